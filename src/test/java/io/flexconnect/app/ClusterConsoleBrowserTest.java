package io.flexconnect.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.flexconnect.cluster.ClusterNode;
import io.flexconnect.testing.Await;
import io.flexconnect.testing.Browser;
import io.flexconnect.testing.Http;
import io.flexconnect.testing.ListenPorts;
import io.flexconnect.testing.Mosquitto;
import io.flexconnect.testing.PlatformFixture;
import io.flexconnect.testing.TestApiKeys;
import io.flexconnect.testing.TestDatabase;
import io.flexconnect.testing.TestDevices;
import io.flexconnect.testing.TestPublisher;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The console's cluster panel against a real two-member cluster in this JVM: two platforms, each
 * on its own clustered Vert.x (Hazelcast, TCP/IP join on loopback), one real Mosquitto with the
 * shared subscription, one database. Messages of several devices are published first, so some are
 * forwarded to their owner; then the console of member p1 is opened in headless Chromium and what
 * its panel shows is compared with p1's {@code /health}. (The single-instance case, panel hidden, is
 * in {@code ConsoleBrowserTest}.) Skipped, saying why, where Chromium is not installed.
 */
class ClusterConsoleBrowserTest {
  static final int DEVICES = 12;
  static Mosquitto broker;
  static Vertx admin;
  static final List<ClusterNode> nodes = new ArrayList<>();
  static final List<Integer> httpPorts = new ArrayList<>();
  static String key;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(Browser.chromium().isPresent(),
        "ClusterConsoleBrowserTest skipped: headless Chromium is needed (apt-get install chromium)");
    broker = Mosquitto.start();
    String dbUrl = TestDatabase.newDatabase("console_cluster");
    List<Integer> hazelcastPorts = List.of(ListenPorts.free(), ListenPorts.free());
    String members = "127.0.0.1:" + hazelcastPorts.get(0) + ",127.0.0.1:" + hazelcastPorts.get(1);
    for (int i = 0; i < 2; i++) {
      Map<String, String> env = new HashMap<>();
      env.put("FLEXCONNECT_DB_URL", dbUrl);
      env.put("FLEXCONNECT_MQTT_URL", broker.url());
      env.put("FLEXCONNECT_HTTP_HOST", "127.0.0.1");
      env.put("FLEXCONNECT_HTTP_PORT", "0");
      env.put("FLEXCONNECT_STORAGE_BATCH_INTERVAL_MS", "10");
      env.put("FLEXCONNECT_PKI_DIR", PlatformFixture.tempDir("flexconnect-pki-cluster-console").toString());
      env.put("FLEXCONNECT_CLUSTER_ENABLED", "true");
      env.put("FLEXCONNECT_CLUSTER_INSTANCE", "p" + (i + 1));
      env.put("FLEXCONNECT_CLUSTER_HOST", "127.0.0.1");
      env.put("FLEXCONNECT_CLUSTER_PORT", Integer.toString(hazelcastPorts.get(i)));
      env.put("FLEXCONNECT_CLUSTER_MEMBERS", members);
      FlexconnectConfig config = PlatformRunner.clustered(new ConfigLoader().load(null, env));
      ClusterNode node = Await.result(ClusterNode.join(config.cluster(), PlatformRunner.instanceName(config)));
      nodes.add(node);
      httpPorts.add(Await.result(PlatformRunner.start(node.vertx(), config, node)).platform().httpPort());
      if (i == 0) {
        admin = Vertx.vertx();
        key = TestApiKeys.create(admin, config.db(), "default", true);
        Map<String, String> devices = new HashMap<>();
        for (int d = 0; d < DEVICES; d++) {
          devices.put(device(d), token(d));
        }
        TestDevices.register(admin, config.db(), devices);
      }
    }
  }

  @AfterAll
  static void stop() throws Exception {
    for (ClusterNode node : nodes) {
      Await.result(node.vertx().close());
    }
    if (admin != null) {
      Await.result(admin.close());
    }
    if (broker != null) {
      broker.close();
    }
  }

  static String device(int d) {
    return String.format("cluster-console-%02d", d);
  }

  static String token(int d) {
    return "tok_" + device(d) + "-5e9f1c2a";
  }

  /** Both members in the table, each with the instance name it joined with. */
  private static boolean namesKnown(JsonObject cluster) {
    JsonObject names = cluster.getJsonObject("instances");
    return cluster.getJsonArray("members").size() == 2
        && cluster.getJsonArray("members").stream().allMatch(m -> names.getString((String) m) != null);
  }

  static JsonObject cluster(int member) {
    return new Http(httpPorts.get(member), key).get("/health").json().getJsonObject("cluster");
  }

  @Test
  void verifiesThatTheConsoleShowsTheMembersTheirPartitionsAndThisInstancesForwardTraffic() throws Exception {
    Await.until("two members seen by each", Duration.ofSeconds(60),
        () -> namesKnown(cluster(0)) && namesKnown(cluster(1)) ? true : null);
    try (TestPublisher publisher = new TestPublisher(admin, broker.port(), "cluster-console-devices")) {
      for (int round = 0; round < 2; round++) {
        for (int d = 0; d < DEVICES; d++) {
          publisher.publish("flexconnect/" + device(d) + "/json", ("{\"device_id\":\"" + device(d) + "\",\"token\":\""
              + token(d) + "\",\"points\":[{\"timestamp\":" + (1_700_000_000_000L + round * 1000L + d)
              + ",\"fields\":[{\"name\":\"temperature\",\"value\":" + d + "}]}]}").getBytes(StandardCharsets.UTF_8));
        }
      }
    }
    // Every message received by one member and, when the other owns its device, served there.
    Await.until("every message routed", Duration.ofSeconds(60), () -> {
      JsonObject one = cluster(0), two = cluster(1);
      long received = one.getLong("ingested_here") + one.getLong("forwarded")
          + two.getLong("ingested_here") + two.getLong("forwarded");
      long served = one.getLong("served_for_others") + two.getLong("served_for_others");
      return received >= 2 * DEVICES && served == one.getLong("forwarded") + two.getLong("forwarded") ? true : null;
    });

    Path shots = Path.of("target", "console").toAbsolutePath();
    Files.createDirectories(shots);
    String out = Browser.run(Browser.script("console-cluster.mjs"), Browser.chromium().orElseThrow(),
        "http://127.0.0.1:" + httpPorts.get(0) + "/console/", key, shots.toString());
    Optional<String> line = out.lines().filter(l -> l.startsWith("cluster: ")).findFirst();
    assertThat(line).as(out).isPresent();
    JsonObject shown = new JsonObject(line.get().substring("cluster: ".length()));
    System.out.println("the console's cluster panel: " + shown.encode());
    JsonObject health = cluster(0);

    assertThat(shown.getString("summary")).isEqualTo("2 members · " + health.getInteger("partitions") + " partitions");
    JsonArray rows = shown.getJsonArray("members");
    assertThat(rows).hasSize(2);
    for (int i = 0; i < rows.size(); i++) {
      JsonObject row = rows.getJsonObject(i);
      String member = health.getJsonArray("members").getString(i);
      assertThat(row.getString("member")).isEqualTo(member);
      assertThat(row.getString("name")).as("instance name of " + member)
          .isEqualTo(health.getJsonObject("instances").getString(member)).isIn("p1", "p2");
      assertThat(row.getInteger("partitions")).as(member)
          .isEqualTo(health.getJsonObject("partitions_by_member").getInteger(member));
      assertThat(row.getBoolean("self")).isEqualTo(member.equals(health.getString("self")));
    }
    for (String counter : List.of("forwarded", "served_for_others", "ingested_here", "forward_failures",
        "received_from_others")) {
      assertThat(shown.getJsonObject("counters").getLong(counter)).as(counter).isEqualTo(health.getLong(counter));
    }
    assertThat(health.getLong("ingested_here") + health.getLong("forwarded")).as("p1 received messages").isPositive();
    assertThat(Files.size(shots.resolve("console-cluster.png"))).isGreaterThan(10_000);
  }
}
