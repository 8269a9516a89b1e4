package io.flexconnect.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexconnect.testing.Await;
import io.flexconnect.testing.Http;
import io.flexconnect.testing.PlatformFixture;
import io.flexconnect.testing.TestPublisher;
import io.vertx.core.Future;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The live stream over a real WebSocket, fed by messages published over real MQTT. */
class LiveStreamTest {
  static PlatformFixture fx;
  static WebSocketClient wsClient;

  @BeforeAll
  static void start() throws Exception {
    fx = PlatformFixture.start("live_stream", Map.of("FLEXCONNECT_HTTP_STREAM_QUEUE_BYTES", "1048576",
        "FLEXCONNECT_STORAGE_BATCH_ROWS", "200"));
    fx.addDevice("live-0001", "tok_live-0001-c0ffee");
    wsClient = fx.vertx.createWebSocketClient();
  }

  @AfterAll
  static void stop() throws Exception {
    fx.close();
  }

  static byte[] json(long ts, String field, String value) {
    return ("{\"device_id\":\"live-0001\",\"token\":\"tok_live-0001-c0ffee\",\"points\":[{\"timestamp\":" + ts
        + ",\"fields\":[{\"name\":\"" + field + "\",\"value\":" + value + "}]}]}").getBytes(StandardCharsets.UTF_8);
  }

  /** A connected client collecting every message it receives. */
  record Client(WebSocket ws, List<JsonObject> received) {
    static Client connect() {
      return connect(wsClient);
    }

    static Client connect(WebSocketClient with) {
      List<JsonObject> received = new CopyOnWriteArrayList<>();
      WebSocket ws = Await.result(with.connect(new io.vertx.core.http.WebSocketConnectOptions()
          .setPort(fx.platform.httpPort()).setHost("127.0.0.1").setURI("/api/v1/stream")
          .addHeader("authorization", "Bearer " + fx.http.apiKey())));
      ws.textMessageHandler(text -> received.add(new JsonObject(text)));
      return new Client(ws, received);
    }

    void send(String json) {
      Await.result(ws.writeTextMessage(json));
    }

    JsonObject await(String what, java.util.function.Predicate<JsonObject> match) {
      return Await.until(what, Duration.ofSeconds(20),
          () -> received.stream().filter(match).findFirst().orElse(null));
    }

    List<JsonObject> points() {
      List<JsonObject> out = new ArrayList<>();
      received.stream().filter(m -> "points".equals(m.getString("type")))
          .forEach(m -> m.getJsonArray("points").forEach(p -> out.add((JsonObject) p)));
      return out;
    }
  }

  @Test
  void verifiesThatASubscriberReceivesCommittedPointsAndNothingAfterUnsubscribing() {
    Client client = Client.connect();
    client.send("{\"op\":\"subscribe\",\"devices\":[\"live-0001\"],\"signals\":[\"speed\"]}");
    client.await("the subscription", m -> "subscribed".equals(m.getString("type")));
    try (TestPublisher device = fx.publisher("live-device-1")) {
      device.publish("flexconnect/live-0001/json", json(1_700_000_000_000L, "speed", "42.5"));
      device.publish("flexconnect/live-0001/json", json(1_700_000_000_001L, "other", "1"));
      JsonObject message = client.await("the point", m -> "points".equals(m.getString("type")));
      assertThat(message.getString("device_id")).isEqualTo("live-0001");
      JsonObject point = message.getJsonArray("points").getJsonObject(0);
      assertThat(point.getString("signal")).isEqualTo("speed");
      assertThat(point.getDouble("value")).isEqualTo(42.5);
      assertThat(point.getLong("timestamp")).isEqualTo(1_700_000_000_000L);

      client.send("{\"op\":\"unsubscribe\"}");
      client.await("the unsubscription", m -> "unsubscribed".equals(m.getString("type")));
      device.publish("flexconnect/live-0001/json", json(1_700_000_000_002L, "speed", "43"));
      Await.until("the point stored", Duration.ofSeconds(20), () -> fx.http.get(
          "/api/v1/devices/live-0001/telemetry?signal=speed&from=1700000000002&to=1700000000003")
          .json().getInteger("count") == 1 ? true : null);
    }
    assertThat(client.points()).extracting(p -> p.getString("signal")).containsOnly("speed").hasSize(1);
    Await.result(client.ws().close());
  }

  @Test
  void verifiesThatABrowserMayPresentTheKeyAsAWebSocketSubprotocolInsteadOfInTheUrl() {
    WebSocket ws = Await.result(wsClient.connect(new io.vertx.core.http.WebSocketConnectOptions()
        .setPort(fx.platform.httpPort()).setHost("127.0.0.1").setURI("/api/v1/stream")
        .addSubProtocol("flexconnect.v1").addSubProtocol("bearer." + fx.http.apiKey())));
    List<JsonObject> received = new CopyOnWriteArrayList<>();
    ws.textMessageHandler(text -> received.add(new JsonObject(text)));
    Client client = new Client(ws, received);
    client.send("{\"op\":\"subscribe\",\"devices\":[\"live-0001\"]}");
    client.await("the subscription", m -> "subscribed".equals(m.getString("type")));
    assertThat(ws.subProtocol()).isEqualTo("flexconnect.v1");
    Await.result(ws.close());

    Throwable refused = org.assertj.core.api.Assertions.catchThrowable(() -> Await.result(wsClient.connect(
        new io.vertx.core.http.WebSocketConnectOptions().setPort(fx.platform.httpPort()).setHost("127.0.0.1")
            .setURI("/api/v1/stream").addSubProtocol("flexconnect.v1").addSubProtocol("bearer.fxk_000000000000_wrong"))));
    assertThat(refused).isNotNull();
  }

  @Test
  void verifiesThatAReconnectingClientFirstReceivesWhatItMissedAndLatePointsAreFlagged() {
    try (TestPublisher device = fx.publisher("live-device-2")) {
      device.publish("flexconnect/live-0001/json", json(1_700_000_100_000L, "resume", "1"));
      device.publish("flexconnect/live-0001/json", json(1_700_000_100_010L, "resume", "2"));
      Await.until("stored", Duration.ofSeconds(20), () -> fx.http.get(
          "/api/v1/devices/live-0001/telemetry?signal=resume").json().getInteger("count") == 2 ? true : null);
      Client client = Client.connect();
      client.send("{\"op\":\"subscribe\",\"devices\":[\"live-0001\"],\"signals\":[\"resume\"],\"since\":1700000100000}");
      JsonObject replay = client.await("the replay", m -> Boolean.TRUE.equals(m.getBoolean("replay")));
      assertThat(replay.getJsonArray("points")).hasSize(2);
      device.publish("flexconnect/live-0001/json", json(1_700_000_100_005L, "resume", "1.5")); // older than seen
      JsonObject late = client.await("the late point", m -> "points".equals(m.getString("type"))
          && m.getBoolean("replay") == null);
      assertThat(late.getJsonArray("points").getJsonObject(0).getBoolean("late")).isTrue();
      Await.result(client.ws().close());
    }
  }

  @Test
  void verifiesThatRestQueriesAndStreamSubscriptionsTakeTimesRelativeToNow() {
    try (TestPublisher device = fx.publisher("live-device-relative")) {
      long now = System.currentTimeMillis();
      device.publish("flexconnect/live-0001/json", json(now - 120_000L, "relative", "1")); // two minutes ago
      device.publish("flexconnect/live-0001/json", json(now - 7_200_000L, "relative", "2")); // two hours ago
      Await.until("stored", Duration.ofSeconds(20), () -> fx.http.get(
          "/api/v1/devices/live-0001/telemetry?signal=relative").json().getInteger("count") == 2 ? true : null);
      Http.Response lastHour = fx.http.get("/api/v1/devices/live-0001/telemetry?signal=relative&from=now-1h&to=now%2B1m");
      assertThat(lastHour.status()).as(lastHour.body()).isEqualTo(200);
      assertThat(lastHour.json().getJsonArray("points")).hasSize(1);
      assertThat(fx.http.get("/api/v1/devices/live-0001/telemetry?signal=relative&from=-3h&to=now").json()
          .getInteger("count")).isEqualTo(2);
      assertThat(fx.http.get("/api/v1/devices/live-0001/telemetry?signal=relative&from=-1h&interval=1h").status())
          .isEqualTo(200);
      Http.Response bad = fx.http.get("/api/v1/devices/live-0001/telemetry?from=now-1y");
      assertThat(bad.status()).isEqualTo(400);
      assertThat(bad.body()).contains("from:", "now-1h");

      Client client = Client.connect();
      client.send("{\"op\":\"subscribe\",\"devices\":[\"live-0001\"],\"signals\":[\"relative\"],\"since\":\"-15m\"}");
      JsonObject replay = client.await("the replay", m -> Boolean.TRUE.equals(m.getBoolean("replay")));
      assertThat(replay.getJsonArray("points")).hasSize(1);
      Await.result(client.ws().close());
    }
  }

  @Test
  void verifiesThatClientsAbortingTheHandshakeLeaveNoErrorOrStackTraceInTheLog() throws Exception {
    ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger)
        org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> log =
        new ch.qos.logback.core.read.ListAppender<>();
    log.start();
    root.addAppender(log);
    try {
      String upgrade = "GET /api/v1/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
          + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
          + "Authorization: Bearer " + fx.http.apiKey() + "\r\n\r\n";
      for (int i = 0; i < 20; i++) {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", fx.platform.httpPort())) {
          if (i % 2 == 0) {
            socket.setSoLinger(true, 0); // a reset, as a killed client sends; otherwise an orderly close
          }
          socket.getOutputStream().write(upgrade.getBytes(StandardCharsets.US_ASCII));
          socket.getOutputStream().flush();
        }
      }
      Client.connect().ws().close(); // the stream still accepts clients
      Thread.sleep(1_000); // the aborts are handled asynchronously, after the sockets closed
      assertThat(log.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.ERROR)
              || e.getThrowableProxy() != null)
          .extracting(e -> e.getLevel() + " " + e.getLoggerName() + " " + e.getFormattedMessage()
              + (e.getThrowableProxy() == null ? "" : " " + e.getThrowableProxy().getMessage()))
          .isEmpty();
    } finally {
      root.detachAppender(log);
    }
  }

  @Test
  void verifiesThatAClientThatDoesNotReadGetsLaggedWhileAnotherReceivesEverything() {
    // The slow client's socket buffers are small, so its backlog reaches the server's queue quickly.
    Client slow = Client.connect(fx.vertx.createWebSocketClient(
        new io.vertx.core.http.WebSocketClientOptions().setReceiveBufferSize(4096)));
    Client fast = Client.connect();
    slow.send("{\"op\":\"subscribe\",\"devices\":[\"live-0001\"],\"signals\":[\"bulk\"]}");
    fast.send("{\"op\":\"subscribe\",\"devices\":[\"live-0001\"],\"signals\":[\"bulk\"]}");
    slow.await("subscribed", m -> "subscribed".equals(m.getString("type")));
    fast.await("subscribed", m -> "subscribed".equals(m.getString("type")));
    slow.ws().pause();

    int messages = 3000;
    String big = "\"" + "x".repeat(3000) + "\"";
    try (TestPublisher device = fx.publisher("live-device-3")) {
      List<Future<Void>> window = new ArrayList<>();
      for (int i = 0; i < messages; i++) {
        window.add(device.publishAsync("flexconnect/live-0001/json", json(1_700_001_000_000L + i, "bulk", big)));
        if (window.size() == 200) {
          Await.result(Future.all(window));
          window.clear();
        }
      }
      Await.result(Future.all(window));
    }
    Await.until("every point at the fast client", Duration.ofSeconds(60), () -> {
      if (fast.points().size() == messages) {
        return true;
      }
      throw new AssertionError("fast client has " + fast.points().size() + " points, lagged: "
          + fast.received().stream().filter(m -> "lagged".equals(m.getString("type"))).toList()
          + ", stored: " + fx.http.get("/api/v1/devices/live-0001/telemetry?signal=bulk&limit=10000").json().getInteger("count")
          + ", status: " + fx.status());
    });
    slow.ws().resume();
    JsonObject lagged = Await.until("the lagged notice", Duration.ofSeconds(20), () -> {
      JsonObject notice = slow.received().stream().filter(m -> "lagged".equals(m.getString("type"))).findFirst().orElse(null);
      if (notice == null) {
        throw new AssertionError("slow client has " + slow.points().size() + " points and no lagged notice");
      }
      return notice;
    });
    assertThat(lagged.getLong("missed")).isPositive();
    assertThat(slow.points().size() + lagged.getLong("missed")).isLessThanOrEqualTo(messages);
    assertThat(fast.received()).noneMatch(m -> "lagged".equals(m.getString("type")));
    Await.result(slow.ws().close());
    Await.result(fast.ws().close());
  }

  @Test
  void verifiesThatBadRequestsGetAnErrorMessageAndTheConnectionStaysUsable() {
    Client client = Client.connect();
    client.send("not json");
    client.await("an error", m -> "error".equals(m.getString("type")));
    client.send("{\"op\":\"subscribe\",\"devices\":\"live-0001\"}");
    assertThat(client.await("a second error", m -> "error".equals(m.getString("type"))
        && m.getString("detail").contains("arrays"))).isNotNull();
    client.send("{\"op\":\"subscribe\",\"devices\":[\"live-0001\"]}");
    client.await("the subscription", m -> "subscribed".equals(m.getString("type")));
    Await.result(client.ws().close());
  }
}
