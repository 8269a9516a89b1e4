package io.flexconnect.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexconnect.testing.Await;
import io.flexconnect.testing.Mosquitto;
import io.flexconnect.testing.PlatformFixture;
import io.flexconnect.testing.TestDatabase;
import io.flexconnect.testing.TestPublisher;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Acknowledge-after-commit end to end, against a real Mosquitto configured as shipped: nothing is
 * lost while storage is down, and a backlog built while the platform is away arrives whole.
 */
class NoDataLossTest {
  static final String TOKEN = "tok_loss-0001-5e1f9a";

  static byte[] message(int i) {
    return ("{\"device_id\":\"loss-0001\",\"token\":\"" + TOKEN + "\",\"points\":[{\"timestamp\":"
        + (1_700_000_000_000L + i) + ",\"fields\":[{\"name\":\"seq\",\"value\":" + i + "}]}]}")
        .getBytes(StandardCharsets.UTF_8);
  }

  static long storedRows(String dbUrl) {
    return TestDatabase.jdbc(dbUrl, conn -> {
      var rs = conn.createStatement().executeQuery("SELECT count(*) FROM telemetry WHERE device_id = 'loss-0001'");
      rs.next();
      return rs.getLong(1);
    });
  }

  static void publishAll(TestPublisher publisher, int from, int to) {
    for (int start = from; start < to; start += 500) {
      List<Future<Void>> window = new ArrayList<>();
      for (int i = start; i < Math.min(to, start + 500); i++) {
        window.add(publisher.publishAsync("flexconnect/loss-0001/json", message(i)));
      }
      Await.result(Future.all(window));
    }
  }

  @Test
  void verifiesThatMessagesStayUnacknowledgedWhileStorageIsDownAndAreStoredWhenItReturns() throws Exception {
    try (PlatformFixture fx = PlatformFixture.start("loss_outage", Map.of(
        "FLEXCONNECT_MQTT_RETRY_MIN_MS", "50", "FLEXCONNECT_MQTT_RETRY_MAX_MS", "200"))) {
      fx.addDevice("loss-0001", TOKEN);
      TestDatabase.jdbc(fx.dbUrl, conn -> conn.createStatement().execute("ALTER TABLE telemetry_points RENAME TO telemetry_points_away"));
      try (TestPublisher device = fx.publisher("loss-device")) {
        publishAll(device, 0, 200);
      }
      Await.until("messages held in flight", Duration.ofSeconds(20), () ->
          fx.status().inFlight() == 200 && fx.status().retries() > 200 ? true : null);
      assertThat(fx.status().acknowledged()).isZero();

      TestDatabase.jdbc(fx.dbUrl, conn -> conn.createStatement().execute("ALTER TABLE telemetry_points_away RENAME TO telemetry_points"));
      Await.until("all 200 rows", Duration.ofSeconds(30), () -> storedRows(fx.dbUrl) == 200 ? true : null);
      Await.until("everything acknowledged", Duration.ofSeconds(10), () -> fx.status().inFlight() == 0 ? true : null);
      assertThat(fx.status().acknowledged()).isEqualTo(200);
    }
  }

  @Test
  void verifiesThatABacklogBuiltWhileThePlatformIsAwayArrivesWhole() throws Exception {
    int backlog = 5_000;
    try (Mosquitto broker = Mosquitto.start()) {
      String dbUrl = TestDatabase.newDatabase("loss_backlog");
      PlatformFixture first = PlatformFixture.start("loss_backlog", broker, dbUrl, Map.of());
      first.addDevice("loss-0001", TOKEN);
      first.stopPlatform(); // its persistent session stays on the broker and queues for it

      Vertx devices = Vertx.vertx();
      try (TestPublisher device = new TestPublisher(devices, broker.port(), "loss-backlog-device")) {
        publishAll(device, 0, backlog);
      } finally {
        Await.result(devices.close());
      }

      PlatformFixture second = PlatformFixture.start("loss_backlog", broker, dbUrl, Map.of());
      try {
        Await.until("the whole backlog", Duration.ofSeconds(60), () -> storedRows(dbUrl) == backlog ? true : null);
        Await.until("everything acknowledged", Duration.ofSeconds(10), () -> second.status().inFlight() == 0 ? true : null);
      } finally {
        second.stopPlatform();
      }
    }
  }
}
