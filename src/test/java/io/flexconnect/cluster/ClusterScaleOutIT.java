package io.flexconnect.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexconnect.app.Platform;
import io.flexconnect.storage.DatabaseConfig;
import io.flexconnect.testing.Await;
import io.flexconnect.testing.Http;
import io.flexconnect.testing.ListenPorts;
import io.flexconnect.testing.Mosquitto;
import io.flexconnect.testing.PlatformProcess;
import io.flexconnect.testing.TestApiKeys;
import io.flexconnect.testing.TestDatabase;
import io.flexconnect.testing.TestDevices;
import io.flexconnect.testing.TestPublisher;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale-out on one machine, as it runs in production: three platform processes (the JAR), one real
 * Mosquitto whose shared subscription spreads the messages over them round robin, one PostgreSQL.
 * 50 devices publish 600 messages each (30,000) whose temperature crosses an alert rule's
 * threshold seven times per device; one instance is killed with {@code kill -9} mid-stream and a
 * fourth process takes its place (its instance name, so the broker hands it the dead session's
 * unacknowledged messages, as a Kubernetes StatefulSet does).
 *
 * <p>Afterwards every message is stored once, every incident is raised once (the same incidents
 * the input gives on one instance, computed from it), and a live-stream client on instance 1 has
 * received every point of a device owned by another instance. Smaller runs:
 * {@code -Dflexconnect.cluster.perDevice=120}; {@code -Dflexconnect.cluster.brokerLog=FILE} starts
 * Mosquitto with {@code log_type all} and saves its log there.
 *
 * <p>Opt-in ({@code -Dflexconnect.cluster.it=true}): on a shared 2-core machine its four platform
 * JVMs took 107 to 191 s at 6,000 messages, depending on the machine's load, and 145 to 280 s at 30,000,
 * most of it starting them.
 */
@EnabledIfSystemProperty(named = "flexconnect.cluster.it", matches = "true")
class ClusterScaleOutIT {
  private static final int DEVICES = Integer.getInteger("flexconnect.cluster.devices", 50);
  private static final int PER_DEVICE = Integer.getInteger("flexconnect.cluster.perDevice", 600);
  /** The temperature is high for PHASE messages, low for PHASE messages, and so on. */
  private static final int PHASE = 40;
  /**
   * The rule's lateness, in event time: messages held by the killed instance's session reach the
   * platform only when its replacement connects, after later messages of the same devices, and are
   * sorted back into place only within this (timestamps are the publishing time, as devices send).
   */
  private static final long LATENESS_MS = 60_000;
  private static final int PUBLISHERS = 5;

  @TempDir Path dir;
  private final List<PlatformProcess> processes = new ArrayList<>();
  private Mosquitto broker;
  private Vertx vertx;
  /** Held for the whole test: Vert.x closes a client, and its WebSockets, once it is unreachable. */
  private WebSocketClient wsClient;
  private String dbUrl;
  private final List<Integer> hazelcastPorts = new ArrayList<>();
  private final Map<String, Integer> httpPorts = new HashMap<>();

  @AfterEach
  void tearDown() throws Exception {
    for (PlatformProcess p : processes) {
      p.kill();
    }
    if (broker != null) {
      String logTo = System.getProperty("flexconnect.cluster.brokerLog");
      if (logTo != null) {
        Files.writeString(Path.of(logTo), broker.log());
      }
      broker.close();
    }
    if (vertx != null) {
      Await.result(vertx.close());
    }
  }

  @Test
  void verifiesThatThreeInstancesStoreEveryMessageOnceAndRaiseEveryIncidentOnceThroughAKill() throws Exception {
    broker = Mosquitto.start(System.getProperty("flexconnect.cluster.brokerLog") == null ? "" : "log_type all");
    vertx = Vertx.vertx();
    wsClient = vertx.createWebSocketClient();
    dbUrl = TestDatabase.newDatabase("cluster");
    DatabaseConfig db = new DatabaseConfig(dbUrl, "postgres", "", 2, 120, new DatabaseConfig.EmbeddedDatabaseConfig("unused", 0));
    Await.result(Platform.migrate(vertx, db));
    Map<String, String> devices = new HashMap<>();
    for (int d = 0; d < DEVICES; d++) {
      devices.put(device(d), token(d));
    }
    TestDevices.register(vertx, db, devices);
    String key = TestApiKeys.create(vertx, db, "default");
    Files.writeString(dir.resolve("alerts.json"), """
        {"latenessMs": %d, "rules": [{"id": "hot", "signal": "temperature",
          "when": {"op": ">", "value": 90}, "clear": {"op": "<", "value": 85}}]}""".formatted(LATENESS_MS));
    for (int i = 0; i < 4; i++) {
      hazelcastPorts.add(ListenPorts.free());
    }

    PlatformProcess first = startInstance("p1", 0);
    awaitHealthy("p1", first);
    PlatformProcess second = startInstance("p2", 1);
    PlatformProcess third = startInstance("p3", 2);
    awaitHealthy("p2", second);
    awaitHealthy("p3", third);
    Http one = new Http(httpPorts.get("p1"), key);
    JsonObject cluster;
    try {
      cluster = Await.until("three members seen by instance 1", Duration.ofSeconds(120), () -> {
        JsonObject c = one.get("/health").json().getJsonObject("cluster");
        return c != null && c.getJsonArray("members").size() == 3 ? c : null;
      });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\n" + outputs(), e);
    }
    PartitionTable table = PartitionTable.assign(strings(cluster.getJsonArray("members")), cluster.getInteger("partitions"));
    String self = cluster.getString("self");
    String watched = null;
    for (int d = 0; d < DEVICES && watched == null; d++) {
      watched = self.equals(table.ownerOf(device(d))) ? null : device(d);
    }
    Set<Long> streamed = ConcurrentHashMap.newKeySet();
    WebSocket ws = openStream(httpPorts.get("p1"), key, watched, streamed);

    List<TestPublisher> publishers = new ArrayList<>();
    for (int p = 0; p < PUBLISHERS; p++) {
      publishers.add(new TestPublisher(vertx, broker.port(), "cluster-devices-" + p));
    }
    PlatformProcess replacement = null;
    long[] roundTs = new long[PER_DEVICE];
    for (int i = 0; i < PER_DEVICE; i++) {
      roundTs[i] = Math.max(System.currentTimeMillis(), i == 0 ? 0 : roundTs[i - 1] + 1);
      List<Future<Void>> round = new ArrayList<>();
      for (int d = 0; d < DEVICES; d++) {
        round.add(publishers.get(d % PUBLISHERS).publishAsync("flexconnect/" + device(d) + "/json",
            message(d, i, roundTs[i])));
      }
      Await.result(Future.all(round));
      if (i == PER_DEVICE / 3) {
        processes.get(2).kill(); // kill -9 of instance 3, mid-stream
        replacement = startInstance("p3", 3); // a fourth process, in the dead one's place
      }
      Thread.sleep(20); // a stream over tens of seconds, so the kill and the join fall inside it
    }
    publishers.forEach(TestPublisher::close);

    int total = DEVICES * PER_DEVICE;
    try {
      Await.until("all " + total + " rows", Duration.ofMinutes(4),
          () -> count("SELECT count(*) FROM telemetry") == total ? true : null);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + " (" + count("SELECT count(*) FROM telemetry") + ")\n" + outputs(), e);
    }
    Map<String, Long> expected = expectedIncidents(roundTs);
    Await.until("every incident resolved", Duration.ofMillis(LATENESS_MS + 120_000),
        () -> count("SELECT count(*) FROM alerts WHERE state = 'resolved'") >= expected.size() ? true : null);
    Thread.sleep(3000); // a late duplicate incident would show up now

    assertThat(count("SELECT count(*) FROM telemetry")).isEqualTo(total);
    assertThat(count("SELECT count(DISTINCT (device_id, ts)) FROM telemetry")).isEqualTo(total);
    TreeSet<String> raised = incidents();
    TreeSet<String> missing = new TreeSet<>(expected.keySet());
    missing.removeAll(raised);
    TreeSet<String> extra = new TreeSet<>(raised);
    extra.removeAll(expected.keySet());
    assertThat(missing).as("incidents not raised").isEmpty();
    assertThat(extra).as("incidents raised beyond the input's").isEmpty();
    assertThat(count("SELECT count(*) FROM alerts")).isEqualTo(expected.size());
    String watchedDevice = watched;
    try {
      Await.until("every point of " + watchedDevice + " on instance 1's live stream", Duration.ofSeconds(30),
          () -> streamed.size() == PER_DEVICE ? true : null);
    } catch (AssertionError e) {
      List<Integer> missed = new ArrayList<>();
      for (int i = 0; i < PER_DEVICE; i++) {
        if (!streamed.contains(roundTs[i])) {
          missed.add(i);
        }
      }
      throw new AssertionError(e.getMessage() + ": messages " + missed + " missing, the stream closed: " + ws.isClosed()
          + ", owner at start " + table.ownerOf(watchedDevice) + " of " + table.members() + "\n" + outputs(), e);
    }
    ws.close();
    JsonObject after = new Http(httpPorts.get("p1"), key).get("/health").json().getJsonObject("cluster");
    assertThat(after.getJsonArray("members")).hasSize(3);
    assertThat(after.getLong("forwarded")).isPositive();
    assertThat(replacement.output()).contains("Flexconnect is running");
    assertThat(first.process().isAlive() && second.process().isAlive()).isTrue();
  }

  private PlatformProcess startInstance(String instance, int slot) throws Exception {
    int http = ListenPorts.free();
    httpPorts.put(instance, http);
    Path work = Files.createDirectories(dir.resolve("instance-" + slot));
    StringBuilder members = new StringBuilder();
    for (int port : hazelcastPorts) {
      members.append(members.length() == 0 ? "" : ",").append("127.0.0.1:").append(port);
    }
    Map<String, String> env = new HashMap<>();
    env.put("FLEXCONNECT_DB_URL", dbUrl);
    env.put("FLEXCONNECT_MQTT_URL", "mqtt://127.0.0.1:" + broker.port());
    env.put("FLEXCONNECT_HTTP_PORT", Integer.toString(http));
    env.put("FLEXCONNECT_HTTP_HOST", "127.0.0.1");
    env.put("FLEXCONNECT_CAN_DBC_DIR", Path.of("dbc").toAbsolutePath().toString());
    env.put("FLEXCONNECT_PKI_DIR", dir.resolve("pki").toString());
    env.put("FLEXCONNECT_PROCESSING_ALERTS_FILE", dir.resolve("alerts.json").toString());
    env.put("FLEXCONNECT_CLUSTER_ENABLED", "true");
    env.put("FLEXCONNECT_CLUSTER_INSTANCE", instance);
    env.put("FLEXCONNECT_CLUSTER_HOST", "127.0.0.1");
    env.put("FLEXCONNECT_CLUSTER_PORT", Integer.toString(hazelcastPorts.get(slot)));
    env.put("FLEXCONNECT_CLUSTER_MEMBERS", members.toString());
    PlatformProcess process = PlatformProcess.start(work, env);
    processes.add(process);
    return process;
  }

  private String outputs() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < processes.size(); i++) {
      out.append("--- process ").append(i + 1).append(":\n").append(processes.get(i).output()).append('\n');
    }
    return out.toString();
  }

  private void awaitHealthy(String instance, PlatformProcess process) {
    Http http = new Http(httpPorts.get(instance));
    try {
      Await.until(instance + " healthy", Duration.ofSeconds(240), () -> {
        try {
          return http.get("/health").status() == 200 ? true : null;
        } catch (RuntimeException e) {
          return null;
        }
      });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; its output:\n" + process.output(), e);
    }
  }

  private WebSocket openStream(int port, String key, String device, Set<Long> streamed) {
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
        .setURI("/api/v1/stream").addHeader("Authorization", "Bearer " + key);
    WebSocket ws = Await.until("the live stream of instance 1", Duration.ofSeconds(60), () -> {
      try {
        return Await.result(wsClient.connect(options));
      } catch (RuntimeException | AssertionError e) {
        return null; // a loaded machine: the instance may still be settling
      }
    });
    Set<String> subscribed = ConcurrentHashMap.newKeySet();
    ws.textMessageHandler(text -> {
      JsonObject msg = new JsonObject(text);
      if ("lagged".equals(msg.getString("type"))) {
        streamed.add(-msg.getLong("missed")); // fails the count: a lagged client is a failure here too
      } else if ("subscribed".equals(msg.getString("type"))) {
        subscribed.add("yes");
      } else if ("points".equals(msg.getString("type")) && device.equals(msg.getString("device_id"))) {
        msg.getJsonArray("points").forEach(p -> streamed.add(((JsonObject) p).getLong("timestamp")));
      }
    });
    Await.result(ws.writeTextMessage(new JsonObject().put("op", "subscribe").put("devices", new JsonArray().add(device))
        .encode()));
    Await.until("the stream's subscription", Duration.ofSeconds(10), () -> subscribed.isEmpty() ? null : true);
    return ws;
  }

  /** (device, opened_at) of every incident the input gives: one per high phase, opened at its first point. */
  private static Map<String, Long> expectedIncidents(long[] roundTs) {
    Map<String, Long> incidents = new HashMap<>();
    for (int d = 0; d < DEVICES; d++) {
      for (int i = PHASE; i < PER_DEVICE; i += 2 * PHASE) {
        incidents.put(device(d) + "@" + roundTs[i], roundTs[i]);
      }
    }
    return incidents;
  }

  private TreeSet<String> incidents() {
    return TestDatabase.jdbc(dbUrl, conn -> {
      TreeSet<String> out = new TreeSet<>();
      try (ResultSet rs = conn.createStatement().executeQuery(
          "SELECT device_id, (extract(epoch FROM opened_at) * 1000)::int8 FROM alerts WHERE rule_id = 'hot'")) {
        while (rs.next()) {
          out.add(rs.getString(1) + "@" + rs.getLong(2));
        }
      }
      return out;
    });
  }

  private long count(String sql) {
    return TestDatabase.jdbc(dbUrl, conn -> {
      try (ResultSet rs = conn.createStatement().executeQuery(sql)) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }


  private static byte[] message(int d, int i, long timestamp) {
    double temperature = (i / PHASE) % 2 == 1 ? 95 : 50;
    return ("{\"device_id\":\"" + device(d) + "\",\"token\":\"" + token(d) + "\",\"points\":[{\"timestamp\":"
        + timestamp + ",\"fields\":[{\"name\":\"temperature\",\"value\":" + temperature + "}]}]}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static String device(int d) {
    return String.format("scale-%03d", d);
  }

  private static String token(int d) {
    return "tok_scale-" + d + "-7d1e0f9a3b5c4e21";
  }

  private static List<String> strings(JsonArray array) {
    List<String> out = new ArrayList<>();
    array.forEach(v -> out.add((String) v));
    return out;
  }
}
