package io.flexconnect.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexconnect.storage.StorageAddresses;
import io.flexconnect.storage.TelemetryBatch;
import io.flexconnect.testing.Await;
import io.flexconnect.testing.Mosquitto;
import io.flexconnect.testing.PlatformFixture;
import io.flexconnect.testing.TestDatabase;
import io.flexconnect.testing.TestPublisher;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The subscription's intake against a real Mosquitto configured as shipped ({@code max_queued_messages
 * 0}): bounded while storage cannot keep up, quick to resume when storage returns, and a stop that
 * acknowledges what it committed.
 */
class IntakeTest {
  static final String DEVICE = "intake-0001";
  static final String TOKEN = "tok_intake-0001-7c2d41";
  static final String TOPIC = "flexconnect/" + DEVICE + "/json";
  static final int LIMIT = 200;

  static byte[] message(int i) {
    return ("{\"device_id\":\"" + DEVICE + "\",\"token\":\"" + TOKEN + "\",\"points\":[{\"timestamp\":"
        + (1_700_000_000_000L + i) + ",\"fields\":[{\"name\":\"seq\",\"value\":" + i + "}]}]}")
        .getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Messages that may already sit decoded in the client when it stops reading: one socket read
   * (Netty's adaptive buffer grows to 64 KiB) of the smallest PUBLISH this test sends.
   */
  static int oneReadOfMessages() {
    int wire = 2 + 2 + TOPIC.length() + 2 + message(0).length; // fixed header, topic, packet id, payload
    return 65_536 / wire + 1;
  }

  static long storedRows(String dbUrl) {
    return TestDatabase.jdbc(dbUrl, conn -> {
      var rs = conn.createStatement().executeQuery("SELECT count(*) FROM telemetry WHERE device_id = '" + DEVICE + "'");
      rs.next();
      return rs.getLong(1);
    });
  }

  static void storageDown(String dbUrl) {
    TestDatabase.jdbc(dbUrl, conn -> conn.createStatement().execute("ALTER TABLE telemetry_points RENAME TO telemetry_points_away"));
  }

  static void storageUp(String dbUrl) {
    TestDatabase.jdbc(dbUrl, conn -> conn.createStatement().execute("ALTER TABLE telemetry_points_away RENAME TO telemetry_points"));
  }

  static void publishAll(TestPublisher publisher, int from, int to) {
    for (int start = from; start < to; start += 500) {
      List<Future<Void>> window = new ArrayList<>();
      for (int i = start; i < Math.min(to, start + 500); i++) {
        window.add(publisher.publishAsync(TOPIC, message(i)));
      }
      Await.result(Future.all(window));
    }
  }

  /** Publishes a backlog from a separate device process stand-in while no platform is subscribed. */
  static void publishBacklog(Mosquitto broker, int count) {
    Vertx devices = Vertx.vertx();
    try (TestPublisher device = new TestPublisher(devices, broker.port(), "intake-backlog-device")) {
      publishAll(device, 0, count);
    } finally {
      Await.result(devices.close());
    }
  }

  /** A first run registers the device and leaves the persistent session behind on the broker. */
  static void prepareSession(String name, Mosquitto broker, String dbUrl) throws Exception {
    PlatformFixture first = PlatformFixture.start(name, broker, dbUrl, Map.of());
    first.addDevice(DEVICE, TOKEN);
    first.stopPlatform();
  }

  static Map<String, String> env(String... pairs) {
    Map<String, String> env = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  @Test
  void verifiesThatTheSubscriptionHoldsNoMoreThanItsIntakeLimitUnderABacklogWhileStorageIsDown() throws Exception {
    int backlog = 5_000;
    try (Mosquitto broker = Mosquitto.start()) {
      String dbUrl = TestDatabase.newDatabase("intake_bound");
      prepareSession("intake_bound", broker, dbUrl);
      publishBacklog(broker, backlog);
      storageDown(dbUrl);

      PlatformFixture fx = PlatformFixture.start("intake_bound", broker, dbUrl, env(
          "FLEXCONNECT_MQTT_MAX_UNACKNOWLEDGED", String.valueOf(LIMIT),
          "FLEXCONNECT_MQTT_RETRY_MIN_MS", "50", "FLEXCONNECT_MQTT_RETRY_MAX_MS", "200"));
      try {
        long peak = 0;
        long until = System.nanoTime() + Duration.ofSeconds(4).toNanos();
        while (System.nanoTime() < until) {
          peak = Math.max(peak, fx.status().inFlight());
          Thread.sleep(20);
        }
        assertThat(peak).as("messages held unacknowledged (limit %d + one socket read)", LIMIT)
            .isGreaterThan(0).isLessThanOrEqualTo(LIMIT + oneReadOfMessages());
        assertThat(fx.http.get("/metrics").body()).contains("flexconnect_mqtt_intake_limit " + LIMIT + ".0");

        storageUp(dbUrl);
        Await.until("the whole backlog", Duration.ofSeconds(90), () -> storedRows(dbUrl) == backlog ? true : null);
        Await.until("everything acknowledged", Duration.ofSeconds(10), () -> fx.status().inFlight() == 0 ? true : null);
      } finally {
        fx.stopPlatform();
      }
    }
  }

  @Test
  void verifiesThatWaitingMessagesAreWrittenWithinASecondOrTwoOfStorageReturning() throws Exception {
    try (PlatformFixture fx = PlatformFixture.start("intake_recovery", Map.of())) { // shipped retry backoff
      fx.addDevice(DEVICE, TOKEN);
      storageDown(fx.dbUrl);
      try (TestPublisher device = fx.publisher("intake-recovery-device")) {
        publishAll(device, 0, 100);
      }
      Await.until("messages waiting for storage", Duration.ofSeconds(20), () ->
          fx.status().inFlight() == 100 && fx.status().retries() >= 100 ? true : null);
      Thread.sleep(8_000); // an outage long enough for any per-message backoff to grow past seconds

      storageUp(fx.dbUrl);
      long restored = System.nanoTime();
      Await.until("the 100 rows", Duration.ofSeconds(30), () -> storedRows(fx.dbUrl) == 100 ? true : null);
      long millis = (System.nanoTime() - restored) / 1_000_000;
      assertThat(millis).as("storage back to all rows written (ms)").isLessThan(2_000);
    }
  }

  @Test
  void verifiesThatHealthShowsDegradedWhileStorageFailsAndUpOnceItRecovers() throws Exception {
    try (PlatformFixture fx = PlatformFixture.start("intake_health", env(
        "FLEXCONNECT_MQTT_RETRY_MIN_MS", "50", "FLEXCONNECT_MQTT_RETRY_MAX_MS", "200"))) {
      fx.addDevice(DEVICE, TOKEN);
      storageDown(fx.dbUrl);
      try (TestPublisher device = fx.publisher("intake-health-device")) {
        publishAll(device, 0, 10);
      }
      JsonObject degraded = Await.until("health to report the failing storage", Duration.ofSeconds(10), () -> {
        JsonObject h = fx.http.get("/health").json();
        return "DEGRADED".equals(h.getString("status")) ? h : null;
      });
      assertThat(degraded.getString("ingest")).isEqualTo("WAITING_FOR_STORAGE");
      assertThat(degraded.getString("database")).isEqualTo("UP"); // reachable; its writes fail

      storageUp(fx.dbUrl);
      Await.until("health back to UP", Duration.ofSeconds(5), () -> {
        JsonObject h = fx.http.get("/health").json();
        return "UP".equals(h.getString("status")) && "READY".equals(h.getString("ingest")) ? h : null;
      });
      Await.until("the 10 rows", Duration.ofSeconds(5), () -> storedRows(fx.dbUrl) == 10 ? true : null);
    }
  }

  @Test
  void verifiesThatStoppingCommitsAndAcknowledgesWhatThePipelineHoldsSoNothingComesBackTwice() throws Exception {
    int backlog = 4_000;
    try (Mosquitto broker = Mosquitto.start()) {
      String dbUrl = TestDatabase.newDatabase("intake_stop");
      prepareSession("intake_stop", broker, dbUrl);
      publishBacklog(broker, backlog);

      PlatformFixture draining = PlatformFixture.start("intake_stop", broker, dbUrl, env(
          "FLEXCONNECT_MQTT_MAX_UNACKNOWLEDGED", "500"));
      Await.until("the backlog flowing", Duration.ofSeconds(30), () -> storedRows(dbUrl) >= 300 ? true : null);
      Connection locker = lockTelemetry(dbUrl);
      Thread.sleep(500);
      long committedBeforeStop = storedRows(dbUrl);
      long held = draining.status().inFlight();
      assertThat(held).as("messages held by the pipeline when the stop begins").isPositive();
      Thread release = releaseAfter(locker, 1_500);
      draining.stopPlatform(); // the path SIGTERM takes
      release.join();
      Set<Long> committedAtStop = storedTimestamps(dbUrl);
      assertThat((long) committedAtStop.size())
          .as("rows once stopped: the held messages were committed before the disconnect")
          .isGreaterThanOrEqualTo(committedBeforeStop + held).isLessThan(backlog);

      // Every message the restarted platform takes reaches storage again (an upsert for a duplicate),
      // and the writer publishes its rows once committed: their timestamps name the messages.
      Set<Long> storedAfterStop = ConcurrentHashMap.newKeySet();
      PlatformFixture after = PlatformFixture.start("intake_stop", broker, dbUrl, Map.of(), vertx ->
          vertx.eventBus().<TelemetryBatch>localConsumer(StorageAddresses.COMMITTED, msg -> msg.body().rows().stream()
              .filter(row -> row.deviceId().equals(DEVICE))
              .forEach(row -> storedAfterStop.add(row.timestampMs()))));
      try {
        Await.until("the whole backlog", Duration.ofSeconds(60), () -> storedRows(dbUrl) == backlog ? true : null);
        Await.until("everything acknowledged", Duration.ofSeconds(10), () -> after.status().inFlight() == 0 ? true : null);
        int notCommittedAtStop = backlog - committedAtStop.size();
        Await.until("the restarted platform's commits seen", Duration.ofSeconds(5), () ->
            storedAfterStop.size() >= notCommittedAtStop ? true : null);
        Set<Long> deliveredTwice = new TreeSet<>(storedAfterStop);
        deliveredTwice.retainAll(committedAtStop);
        assertThat(deliveredTwice)
            .as("messages (device timestamps) of the %d committed before the stop delivered again after it",
                committedAtStop.size())
            .isEmpty();
        assertThat(storedAfterStop.size()).as("messages delivered after the stop: exactly those not committed before it")
            .isEqualTo(notCommittedAtStop);
      } finally {
        after.stopPlatform();
      }
    }
  }

  /** The device timestamps (ms) of the test device's stored rows: one per message. */
  static Set<Long> storedTimestamps(String dbUrl) {
    return TestDatabase.jdbc(dbUrl, conn -> {
      var rs = conn.createStatement().executeQuery(
          "SELECT (extract(epoch FROM ts) * 1000)::bigint FROM telemetry WHERE device_id = '" + DEVICE + "'");
      Set<Long> timestamps = new HashSet<>();
      while (rs.next()) {
        timestamps.add(rs.getLong(1));
      }
      return timestamps;
    });
  }

  /** Another session holds the table: the writer's flushes wait, as under a slow commit. */
  static Connection lockTelemetry(String dbUrl) throws java.sql.SQLException {
    Connection locker = connect(dbUrl);
    locker.setAutoCommit(false);
    locker.createStatement().execute("LOCK TABLE telemetry_points IN EXCLUSIVE MODE");
    return locker;
  }

  /** Started: ends {@code locker}'s transaction (and so its lock) after {@code millis}. */
  static Thread releaseAfter(Connection locker, long millis) {
    Thread release = new Thread(() -> {
      try {
        Thread.sleep(millis);
        locker.commit();
        locker.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    release.start();
    return release;
  }

  /** A JDBC session of its own on a test database (the harness's {@code jdbc} closes its session). */
  static Connection connect(String dbUrl) throws java.sql.SQLException {
    java.net.URI uri = java.net.URI.create(dbUrl);
    String[] login = uri.getUserInfo().split(":", 2);
    return DriverManager.getConnection("jdbc:postgresql://" + uri.getHost() + ":" + uri.getPort() + uri.getPath(),
        login[0], login.length > 1 ? login[1] : "");
  }
}
