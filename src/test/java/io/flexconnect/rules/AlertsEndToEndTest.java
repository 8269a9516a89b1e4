package io.flexconnect.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexconnect.testing.Await;
import io.flexconnect.testing.PlatformFixture;
import io.flexconnect.testing.TestDatabase;
import io.flexconnect.testing.TestPublisher;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Alert rules over data published through real MQTT: stored, on the event bus and on the MQTT alerts topic. */
class AlertsEndToEndTest {
  static final String RULES = """
      {"latenessMs": 0, "rules": [{"id": "hot", "devices": "alert-*", "signal": "temp",
        "when": {"op": ">", "value": 90}, "clear": {"op": "<", "value": 85},
        "severity": "critical", "message": "{device} {signal} {value} > {threshold}"}]}
      """;
  @TempDir static Path dir;
  static PlatformFixture fx;

  static io.vertx.core.http.HttpServer webhook;
  static final List<JsonObject> hooked = new CopyOnWriteArrayList<>();
  static final java.util.concurrent.atomic.AtomicInteger hookCalls = new java.util.concurrent.atomic.AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    Files.writeString(dir.resolve("alerts.json"), RULES);
    // A real HTTP receiver that fails its first call, so the platform has to retry.
    io.vertx.core.Vertx receiver = io.vertx.core.Vertx.vertx();
    webhook = Await.result(receiver.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      if (hookCalls.incrementAndGet() == 1) {
        req.response().setStatusCode(503).end();
      } else {
        hooked.add(body.toJsonObject());
        req.response().setStatusCode(204).end();
      }
    })).listen(0, "127.0.0.1"));
    fx = PlatformFixture.start("alerts", Map.of(
        "FLEXCONNECT_PROCESSING_ALERTS_FILE", dir.resolve("alerts.json").toString(),
        "FLEXCONNECT_PROCESSING_WEBHOOK_URLS", "http://127.0.0.1:" + webhook.actualPort() + "/hook"));
    fx.addDevice("alert-0001", "tok_alert-0001-f1re");
  }

  @AfterAll
  static void stop() throws Exception {
    fx.close();
  }

  static byte[] temp(long ts, double value) {
    return ("{\"device_id\":\"alert-0001\",\"token\":\"tok_alert-0001-f1re\",\"points\":[{\"timestamp\":" + ts
        + ",\"fields\":[{\"name\":\"temp\",\"value\":" + value + "}]}]}").getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void verifiesThatAnIncidentFiresOnceThroughHysteresisAndResolvesOnEveryOutput() {
    List<JsonObject> onBus = new CopyOnWriteArrayList<>();
    fx.vertx.eventBus().<JsonObject>consumer(AlertsVerticle.ALERTS, m -> onBus.add(m.body()));
    List<JsonObject> onMqtt = new CopyOnWriteArrayList<>();
    MqttClient watcher = MqttClient.create(fx.vertx, new MqttClientOptions().setClientId("alert-watcher"));
    watcher.publishHandler(m -> onMqtt.add(new JsonObject(m.payload().toString())));
    Await.result(watcher.connect(fx.broker.port(), "127.0.0.1")
        .compose(ack -> watcher.subscribe("flexconnect/alert-0001/alerts", MqttQoS.AT_LEAST_ONCE.value())));
    List<JsonObject> onStream = new CopyOnWriteArrayList<>();
    io.vertx.core.http.WebSocket ws = Await.result(fx.vertx.createWebSocketClient().connect(
        new io.vertx.core.http.WebSocketConnectOptions().setHost("127.0.0.1").setPort(fx.platform.httpPort())
            .setURI("/api/v1/stream").addHeader("authorization", "Bearer " + fx.http.apiKey())));
    ws.textMessageHandler(text -> onStream.add(new JsonObject(text)));
    Await.result(ws.writeTextMessage("{\"op\":\"subscribe\",\"devices\":[\"alert-0001\"],\"signals\":[\"none\"],\"alerts\":true}"));
    Await.until("the stream subscription", Duration.ofSeconds(10),
        () -> onStream.stream().anyMatch(m -> "subscribed".equals(m.getString("type"))) ? true : null);

    long t = 1_700_000_000_000L;
    try (TestPublisher device = fx.publisher("alert-device")) {
      device.publish("flexconnect/alert-0001/json", temp(t, 80));
      device.publish("flexconnect/alert-0001/json", temp(t + 1000, 95));
      device.publish("flexconnect/alert-0001/json", temp(t + 2000, 88)); // between clear and fire: still firing
      device.publish("flexconnect/alert-0001/json", temp(t + 3000, 97));
      device.publish("flexconnect/alert-0001/json", temp(t + 4000, 86));
      device.publish("flexconnect/alert-0001/json", temp(t + 5000, 80)); // below 85: resolved
    }
    Await.until("the resolution on MQTT", Duration.ofSeconds(20),
        () -> onMqtt.stream().anyMatch(a -> "resolved".equals(a.getString("state"))) ? true : null);
    assertThat(onMqtt).extracting(a -> a.getString("state")).containsExactly("firing", "resolved");
    // The bus consumer runs on a context of its own: its copy may trail the MQTT round trip.
    Await.until("both transitions on the event bus", Duration.ofSeconds(10), () -> onBus.size() >= 2 ? true : null);
    assertThat(onBus).extracting(a -> a.getString("state")).containsExactly("firing", "resolved");
    Await.until("both transitions on the WebSocket", Duration.ofSeconds(10),
        () -> onStream.stream().filter(m -> "alert".equals(m.getString("type"))).count() == 2 ? true : null);
    assertThat(onStream).filteredOn(m -> "alert".equals(m.getString("type")))
        .extracting(a -> a.getString("state")).containsExactly("firing", "resolved");
    assertThat(onStream).noneMatch(m -> "points".equals(m.getString("type"))); // signals filter "none"
    Await.result(ws.close());
    JsonObject firing = onMqtt.get(0);
    assertThat(firing.getString("severity")).isEqualTo("critical");
    assertThat(firing.getString("message")).contains("alert-0001").contains("temp").contains("95");
    assertThat(onMqtt.get(1).getDouble("peak")).isEqualTo(97.0);
    // The webhook refused the first delivery; the retry brings both transitions, in any order.
    // (Other tests' devices fire the same rule: only this device's transitions count here.)
    Await.until("both transitions at the webhook", Duration.ofSeconds(20), () ->
        hooked.stream().filter(a -> "alert-0001".equals(a.getString("device_id"))).count() >= 2 ? true : null);
    assertThat(hooked).filteredOn(a -> "alert-0001".equals(a.getString("device_id")))
        .extracting(a -> a.getString("state")).containsExactlyInAnyOrder("firing", "resolved");
    assertThat(hookCalls.get()).isGreaterThanOrEqualTo(3);

    List<String> rows = TestDatabase.jdbc(fx.dbUrl, conn -> {
      var rs = conn.createStatement().executeQuery("SELECT state, peak_value, extract(epoch FROM opened_at) * 1000, "
          + "extract(epoch FROM closed_at) * 1000, severity FROM alerts WHERE device_id = 'alert-0001'");
      List<String> out = new java.util.ArrayList<>();
      while (rs.next()) {
        out.add(rs.getString(1) + " " + rs.getDouble(2) + " " + rs.getLong(3) + " " + rs.getLong(4) + " " + rs.getString(5));
      }
      return out;
    });
    assertThat(rows).containsExactly("resolved 97.0 " + (t + 1000) + " " + (t + 5000) + " critical");
    var listed = fx.http.get("/api/v1/alerts?device=alert-0001&state=resolved").json().getJsonArray("alerts");
    assertThat(listed).hasSize(1);
    assertThat(listed.getJsonObject(0).getDouble("peak")).isEqualTo(97.0);
    assertThat(listed.getJsonObject(0).getString("closed_at")).isNotNull();
    assertThat(fx.http.get("/api/v1/alerts?state=loud").status()).isEqualTo(400);
    assertThat(fx.http.withKey(fx.createApiKey("acme")).get("/api/v1/alerts").json().getJsonArray("alerts")).isEmpty();
    // The platform's own alerts come back through its flexconnect/# subscription: not device input.
    assertThat(fx.http.get("/api/v1/rejected?limit=100").json().getJsonArray("rejected")).isEmpty();
    Await.result(watcher.disconnect());
  }

  @Test
  void verifiesThatTheStoredPeakOfAFiringIncidentFollowsTheSignalBeforeItCloses() {
    fx.addDevice("alert-0003", "tok_alert-0003-f1re");
    long t = 1_700_200_000_000L;
    try (TestPublisher device = fx.publisher("alert-device-3")) {
      device.publish("flexconnect/alert-0003/json", temp3(t, 92));
      Await.until("firing at 92", Duration.ofSeconds(20), () -> "firing 92.0".equals(incident("alert-0003")) ? true : null);
      device.publish("flexconnect/alert-0003/json", temp3(t + 1000, 105));
      device.publish("flexconnect/alert-0003/json", temp3(t + 2000, 99)); // still firing, below the peak
    }
    Await.until("the stored peak to reach 105 while firing", Duration.ofSeconds(15),
        () -> "firing 105.0".equals(incident("alert-0003")) ? true : null);
    var listed = fx.http.get("/api/v1/alerts?device=alert-0003&state=firing").json().getJsonArray("alerts");
    assertThat(listed).hasSize(1);
    assertThat(listed.getJsonObject(0).getDouble("peak")).isEqualTo(105.0);
  }

  static byte[] temp3(long ts, double value) {
    return new String(temp(ts, value), StandardCharsets.UTF_8).replace("alert-0001", "alert-0003")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** "state peak" of the device's only incident, or null before there is one. */
  static String incident(String deviceId) {
    return TestDatabase.jdbc(fx.dbUrl, conn -> {
      var rs = conn.createStatement().executeQuery(
          "SELECT state, peak_value FROM alerts WHERE device_id = '" + deviceId + "'");
      return rs.next() ? rs.getString(1) + " " + rs.getDouble(2) : null;
    });
  }

  @Test
  void verifiesThatAnIncidentFiringAcrossARestartStaysOneIncident() throws Exception {
    long t = 1_700_100_000_000L;
    String db = io.flexconnect.testing.TestDatabase.newDatabase("alerts_restart");
    Map<String, String> env = Map.of("FLEXCONNECT_PROCESSING_ALERTS_FILE", dir.resolve("alerts.json").toString());
    try (io.flexconnect.testing.Mosquitto broker = io.flexconnect.testing.Mosquitto.start()) {
      PlatformFixture first = PlatformFixture.start("alerts_restart", broker, db, env);
      first.addDevice("alert-0002", "tok_alert-0002-f1re");
      try (TestPublisher device = first.publisher("alert-device-2")) {
        device.publish("flexconnect/alert-0002/json", temp2(t, 95));
      }
      Await.until("firing", Duration.ofSeconds(20), () -> alertStates(db).equals(List.of("firing")) ? true : null);
      first.stopPlatform(); // saves the state machines

      PlatformFixture second = PlatformFixture.start("alerts_restart", broker, db, env);
      try (TestPublisher device = second.publisher("alert-device-2")) {
        device.publish("flexconnect/alert-0002/json", temp2(t + 1000, 99));
        device.publish("flexconnect/alert-0002/json", temp2(t + 2000, 80));
      }
      Await.until("resolved", Duration.ofSeconds(20), () -> alertStates(db).equals(List.of("resolved")) ? true : null);
      double peak = TestDatabase.jdbc(db, conn -> {
        var rs = conn.createStatement().executeQuery("SELECT peak_value FROM alerts WHERE device_id = 'alert-0002'");
        rs.next();
        return rs.getDouble(1);
      });
      assertThat(peak).isEqualTo(99.0); // the same incident, carried across the restart
      second.stopPlatform();
    }
  }

  static byte[] temp2(long ts, double value) {
    return new String(temp(ts, value), StandardCharsets.UTF_8).replace("alert-0001", "alert-0002")
        .getBytes(StandardCharsets.UTF_8);
  }

  static List<String> alertStates(String db) {
    return TestDatabase.jdbc(db, conn -> {
      var rs = conn.createStatement().executeQuery("SELECT state FROM alerts WHERE device_id = 'alert-0002'");
      List<String> states = new java.util.ArrayList<>();
      while (rs.next()) {
        states.add(rs.getString(1));
      }
      return states;
    });
  }
}
