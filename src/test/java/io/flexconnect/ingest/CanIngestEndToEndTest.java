package io.flexconnect.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.flexconnect.testing.Await;
import io.flexconnect.testing.CanMessageBuilder;
import io.flexconnect.testing.PlatformFixture;
import io.flexconnect.testing.TestVectors;
import io.flexconnect.testing.TestDatabase;
import io.flexconnect.testing.TestPublisher;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The guide's binary examples over a real broker, decoded with the demo DBC, read back over REST. */
class CanIngestEndToEndTest {
  static final String SEED_TOKEN = "tok_demo-0001-7f3a9c2e5b814d06a1e2c3d4e5f60718";
  static PlatformFixture fx;

  @BeforeAll
  static void start() throws Exception {
    fx = PlatformFixture.start("can_e2e", Map.of("FLEXCONNECT_CAN_STORE_UNKNOWN", "true"));
    fx.addDevice("demo-0001", SEED_TOKEN);
  }

  @AfterAll
  static void stop() throws Exception {
    fx.close();
  }

  static Map<String, JsonObject> latest(String device, int expectedSignals) {
    return Await.until(expectedSignals + " signals of " + device, Duration.ofSeconds(20), () -> {
      JsonArray signals = fx.http.get("/api/v1/devices/" + device + "/latest").json().getJsonArray("signals");
      if (signals.size() < expectedSignals) {
        return null;
      }
      Map<String, JsonObject> byName = new HashMap<>();
      signals.forEach(s -> byName.put(((JsonObject) s).getString("signal"), (JsonObject) s));
      return byName;
    });
  }

  @Test
  void verifiesThatTheSeedBinaryExamplesBecomeDecodedSignals() {
    try (TestPublisher device = fx.publisher("demo-0001")) {
      device.publish("flexconnect/mqtt_topic_binary", TestVectors.message("seed-binary.bin"));
      device.publish("flexconnect/demo-0001/can", TestVectors.message("seed-binary-compressed.bin"));
    }
    Map<String, JsonObject> s = latest("demo-0001", 15);
    assertThat(s.get("EngineData.EngineSpeed").getDouble("value")).isEqualTo(1026.0);
    assertThat(s.get("EngineData.EngineSpeed").getString("unit")).isEqualTo("rpm");
    assertThat(s.get("EngineData.EngineSpeed").getString("source")).isEqualTo("can");
    assertThat(s.get("EngineData.EngineSpeed").getJsonObject("tags").getMap()).isEqualTo(Map.of("bus", "1"));
    assertThat(s.get("EngineData.EngineSpeed").getLong("timestamp")).isEqualTo(1622547800000L);
    assertThat(s.get("EngineData.EngineState").getDouble("value")).isEqualTo(3.0);
    assertThat(s.get("EngineData.EngineState").getString("label")).isEqualTo("Running");
    assertThat(s.get("BatteryStatus.BatteryVoltage").getDouble("value")).isCloseTo(437.07, within(1e-9));
    assertThat(s.get("BatteryStatus.BatteryCurrent").getDouble("value")).isEqualTo(-52.0);
    assertThat(s.get("ChassisData.SteeringAngle").getDouble("value")).isCloseTo(438.6, within(1e-9));
    assertThat(s.get("ChassisData.SteeringAngle").getLong("timestamp")).isEqualTo(1622547800100L);
    assertThat(s.get("ChassisData.SteeringAngle").getJsonObject("tags").getMap()).isEqualTo(Map.of("bus", "2"));

    // Plain and compressed carry the same frames: stored once, and the raw message kept once.
    JsonObject speed = fx.http.get("/api/v1/devices/demo-0001/telemetry?signal=EngineData.EngineSpeed").json();
    assertThat(speed.getInteger("count")).isEqualTo(1);
    long kept = TestDatabase.jdbc(fx.dbUrl, conn -> {
      var rs = conn.createStatement().executeQuery("SELECT count(*) FROM can_messages WHERE device_id = 'demo-0001'");
      rs.next();
      return rs.getLong(1);
    });
    assertThat(kept).isEqualTo(1);
  }

  @Test
  void verifiesThatACanFdFrameNoDbcKnowsIsCountedAndStoredRaw() {
    fx.addDevice("fd-0001", "tok_fd-0001-2b7e151628aed2a6");
    byte[] fd = TestVectors.message("canfd-dlc13.bin");
    // Same frame, this device's token: rebuild the message around the vector's single point.
    byte[] points = java.util.Arrays.copyOfRange(fd, 4 + 46, fd.length);
    byte[] message = CanMessageBuilder.withToken("tok_fd-0001-2b7e151628aed2a6").trailing(toInts(points)).build();
    try (TestPublisher device = fx.publisher("fd-0001")) {
      device.publish("flexconnect/fd-0001/can", message);
    }
    Map<String, JsonObject> s = latest("fd-0001", 1);
    JsonObject raw = s.get("raw.3.1A0");
    assertThat(raw).isNotNull();
    assertThat(raw.getString("value")).hasSize(64).startsWith("000102030405");
    assertThat(raw.getJsonObject("tags").getMap()).isEqualTo(Map.of("bus", "3"));
    assertThat(fx.http.get("/api/v1/devices/fd-0001/can/unknown").json().getJsonObject("unknown_ids").getMap())
        .isEqualTo(Map.of("1A0", 1));
  }

  static int[] toInts(byte[] bytes) {
    int[] out = new int[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      out[i] = bytes[i] & 0xFF;
    }
    return out;
  }
}
