package io.flexconnect.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.flexconnect.app.ConfigLoader;
import io.flexconnect.app.Platform;
import io.flexconnect.testing.Await;
import io.flexconnect.testing.PlatformFixture;
import io.flexconnect.testing.TestDatabase;
import io.flexconnect.testing.TestPublisher;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pipeline rules applied between decoding and storage, on the real MQTT-to-database path. */
class ProcessingEndToEndTest {
  static final String PIPELINES = """
      {"groups": [{"name": "sensors", "devices": "proc-*", "steps": [
        {"type": "deny", "signals": ["debug*"]},
        {"type": "rename", "from": "temp", "to": "temperature"},
        {"type": "convert", "signals": ["temperature"], "from": "degC", "to": "degF"},
        {"type": "derive", "signal": "power", "expression": "voltage * current", "unit": "W"}]}]}
      """;
  @TempDir static Path dir;
  static PlatformFixture fx;

  @BeforeAll
  static void start() throws Exception {
    Files.writeString(dir.resolve("pipelines.json"), PIPELINES);
    fx = PlatformFixture.start("processing", Map.of("FLEXCONNECT_PROCESSING_PIPELINES_FILE",
        dir.resolve("pipelines.json").toString()));
    fx.addDevice("proc-0001", "tok_proc-0001-5eed");
    fx.addDevice("other-0001", "tok_other-0001-5eed");
  }

  @AfterAll
  static void stop() throws Exception {
    fx.close();
  }

  static byte[] message(String device) {
    return ("{\"device_id\":\"" + device + "\",\"token\":\"tok_" + device + "-5eed\",\"points\":[{\"timestamp\":1700000000000,"
        + "\"fields\":[{\"name\":\"temp\",\"value\":22.5},{\"name\":\"voltage\",\"value\":12},"
        + "{\"name\":\"current\",\"value\":2.5},{\"name\":\"debug_counter\",\"value\":7}]}]}")
        .getBytes(StandardCharsets.UTF_8);
  }

  static Map<String, JsonObject> latest(String device, int signals) {
    return Await.until(signals + " signals of " + device, Duration.ofSeconds(20), () -> {
      JsonArray rows = fx.http.get("/api/v1/devices/" + device + "/latest").json().getJsonArray("signals");
      if (rows.size() < signals) {
        return null;
      }
      Map<String, JsonObject> byName = new HashMap<>();
      rows.forEach(r -> byName.put(((JsonObject) r).getString("signal"), (JsonObject) r));
      return byName;
    });
  }

  @Test
  void verifiesThatADeviceOfTheGroupIsFilteredRenamedConvertedAndGetsDerivedSignals() {
    try (TestPublisher device = fx.publisher("proc-device")) {
      device.publish("flexconnect/proc-0001/json", message("proc-0001"));
    }
    Map<String, JsonObject> s = latest("proc-0001", 4);
    assertThat(s.keySet()).containsExactlyInAnyOrder("temperature", "voltage", "current", "power");
    assertThat(s.get("temperature").getDouble("value")).isCloseTo(72.5, within(1e-9));
    assertThat(s.get("temperature").getString("unit")).isEqualTo("degF");
    assertThat(s.get("power").getDouble("value")).isCloseTo(30.0, within(1e-9));
    assertThat(s.get("power").getString("unit")).isEqualTo("W");
  }

  @Test
  void verifiesThatADeviceOutsideEveryGroupIsStoredAsDecoded() {
    try (TestPublisher device = fx.publisher("other-device")) {
      device.publish("flexconnect/other-0001/json", message("other-0001"));
    }
    Map<String, JsonObject> s = latest("other-0001", 4);
    assertThat(s.keySet()).containsExactlyInAnyOrder("temp", "voltage", "current", "debug_counter");
  }

  @Test
  void verifiesThatABadPipelinesFileStopsTheStartWithItsPosition() throws Exception {
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, PIPELINES.replace("voltage * current", "voltage * (current"));
    Vertx vertx = Vertx.vertx();
    try {
      var config = new ConfigLoader().load(null, Map.of("FLEXCONNECT_DB_URL", TestDatabase.newDatabase("bad_pipelines"),
          "FLEXCONNECT_MQTT_URL", "mqtt://127.0.0.1:1", "FLEXCONNECT_HTTP_PORT", "0",
          "FLEXCONNECT_PROCESSING_PIPELINES_FILE", bad.toString()));
      Throwable failure = Platform.deploy(vertx, config).toCompletionStage().toCompletableFuture()
          .handle((ok, err) -> err).get();
      assertThat(failure).isNotNull();
      assertThat(failure.getMessage()).contains("bad.json").contains("derive").contains("column");
    } finally {
      Await.result(vertx.close());
    }
  }
}
