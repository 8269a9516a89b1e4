package io.flexconnect.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexconnect.testing.Await;
import io.flexconnect.testing.Http;
import io.flexconnect.testing.PlatformFixture;
import io.flexconnect.testing.TestVectors;
import io.flexconnect.testing.TestPublisher;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The guide's JSON examples over a real broker into a real database, read back over REST. */
class JsonIngestEndToEndTest {
  static final String SEED_TOKEN = "tok_demo-0001-7f3a9c2e5b814d06a1e2c3d4e5f60718";
  static PlatformFixture fx;

  @BeforeAll
  static void start() throws Exception {
    fx = PlatformFixture.start("json_e2e", Map.of());
    fx.addDevice("demo-0001", SEED_TOKEN);
  }

  @AfterAll
  static void stop() throws Exception {
    fx.close();
  }

  @Test
  void verifiesThatBothSeedExamplesAreStoredAndReadableOverRest() {
    try (TestPublisher device = fx.publisher("demo-0001")) {
      device.publish("flexconnect/demo-0001/json", TestVectors.message("seed-json.json"));
      device.publish("flexconnect/mqtt_topic", TestVectors.message("seed-json-compressed.json"));
    }
    JsonArray points = Await.until("both fields stored", Duration.ofSeconds(20), () -> {
      Http.Response r = fx.http.get("/api/v1/devices/demo-0001/telemetry?from=2021-06-01T00:00:00Z&to=1622600000000");
      assertThat(r.status()).isEqualTo(200);
      JsonArray p = r.json().getJsonArray("points");
      return p.size() == 2 ? p : null;
    });
    JsonObject humidity = points.getJsonObject(0);
    JsonObject temperature = points.getJsonObject(1);
    assertThat(humidity.getString("signal")).isEqualTo("humidity");
    assertThat(humidity.getDouble("value")).isEqualTo(45.0);
    assertThat(temperature.getString("signal")).isEqualTo("temperature");
    assertThat(temperature.getDouble("value")).isEqualTo(22.5);
    assertThat(temperature.getLong("timestamp")).isEqualTo(1622547800000L);
    assertThat(temperature.getString("ts")).isEqualTo("2021-06-01T11:43:20Z");
    assertThat(temperature.getJsonObject("tags").getMap())
        .isEqualTo(Map.of("tag1", "value1", "tag2", "value2", "point_tag1", "point_value1"));
    assertThat(temperature.getString("received_at")).isNotBlank();
  }

  @Test
  void verifiesThatTheLatestValueIsTheNewestDeviceTimestampNotTheLastArrival() {
    try (TestPublisher device = fx.publisher("latest-device")) {
      fx.addDevice("latest-0001", "tok_latest-0001-secret");
      device.publish("flexconnect/latest-0001/json", json("latest-0001", "tok_latest-0001-secret", 1700000002000L, "speed", "20"));
      device.publish("flexconnect/latest-0001/json", json("latest-0001", "tok_latest-0001-secret", 1700000001000L, "speed", "10"));
    }
    Await.until("both points stored", Duration.ofSeconds(20), () ->
        fx.http.get("/api/v1/devices/latest-0001/telemetry").json().getInteger("count") == 2 ? true : null);
    JsonArray signals = fx.http.get("/api/v1/devices/latest-0001/latest").json().getJsonArray("signals");
    assertThat(signals).hasSize(1);
    assertThat(signals.getJsonObject(0).getDouble("value")).isEqualTo(20.0);
    assertThat(signals.getJsonObject(0).getLong("timestamp")).isEqualTo(1700000002000L);
    assertThat(signals.getJsonObject(0).getString("source")).isEqualTo("json");
    assertThat(signals.getJsonObject(0).getString("first_ts")).isEqualTo("2023-11-14T22:13:21Z");
  }

  @Test
  void verifiesThatARedeliveredMessageDoesNotDuplicateRows() {
    fx.addDevice("dup-0001", "tok_dup-0001-secret");
    byte[] message = json("dup-0001", "tok_dup-0001-secret", 1700000000000L, "level", "7.5");
    try (TestPublisher device = fx.publisher("dup-device")) {
      for (int i = 0; i < 3; i++) {
        device.publish("flexconnect/dup-0001/json", message);
      }
      device.publish("flexconnect/dup-0001/json", json("dup-0001", "tok_dup-0001-secret", 1700000000000L, "level", "8.5"));
      device.publish("flexconnect/dup-0001/json", json("dup-0001", "tok_dup-0001-secret", 1700000009000L, "marker", "1"));
    }
    Await.until("the marker point", Duration.ofSeconds(20), () ->
        fx.http.get("/api/v1/devices/dup-0001/telemetry?signal=marker").json().getInteger("count") == 1 ? true : null);
    JsonObject body = fx.http.get("/api/v1/devices/dup-0001/telemetry?signal=level").json();
    assertThat(body.getInteger("count")).isEqualTo(1);
    assertThat(body.getJsonArray("points").getJsonObject(0).getDouble("value")).isEqualTo(8.5); // last write wins
  }

  static byte[] json(String device, String token, long ts, String field, String value) {
    return ("{\"device_id\":\"" + device + "\",\"token\":\"" + token + "\",\"points\":[{\"timestamp\":" + ts
        + ",\"fields\":[{\"name\":\"" + field + "\",\"value\":" + value + "}]}]}").getBytes();
  }
}
