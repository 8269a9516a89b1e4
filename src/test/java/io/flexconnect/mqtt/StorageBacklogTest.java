package io.flexconnect.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexconnect.testing.Await;
import io.flexconnect.testing.PlatformFixture;
import io.flexconnect.testing.TestPublisher;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A burst far larger than {@code storage.maxPendingRows} against a writer that cannot keep up (its
 * table is locked for a while), through a real Mosquitto into the real database: intake holds
 * instead of the writer refusing, so every message is decoded once and stored once, and the rows
 * waiting stay within the configured bounds.
 */
class StorageBacklogTest {
  static final String DEVICE = "backlog-0001";
  static final String TOKEN = "tok_backlog-0001-5e1f0a";
  static final String TOPIC = "flexconnect/" + DEVICE + "/json";
  static final int FIELDS = 10;
  static final int MAX_PENDING_ROWS = 200;
  static final int MAX_UNACKNOWLEDGED = 50;

  static byte[] message(int i) {
    StringBuilder fields = new StringBuilder();
    for (int f = 0; f < FIELDS; f++) {
      fields.append(f == 0 ? "" : ",").append("{\"name\":\"s").append(f).append("\",\"value\":").append(i).append('}');
    }
    return ("{\"device_id\":\"" + DEVICE + "\",\"token\":\"" + TOKEN + "\",\"tags\":[{\"site\":\"a\"}],\"points\":["
        + "{\"timestamp\":" + (1_700_000_000_000L + i) + ",\"fields\":[" + fields + "]}]}").getBytes(StandardCharsets.UTF_8);
  }

  /** Messages one socket read may hold once reading stops (see {@link IntakeTest#oneReadOfMessages()}). */
  static int oneReadOfMessages() {
    int wire = 2 + 2 + TOPIC.length() + 2 + message(0).length;
    return 65_536 / wire + 1;
  }

  static double metric(PlatformFixture fx, String name) {
    Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})? ([0-9.E+-]+)$").matcher(fx.http.get("/metrics").body());
    return m.find() ? Double.parseDouble(m.group(2)) : Double.NaN;
  }

  static long storedRows(String dbUrl) {
    return io.flexconnect.testing.TestDatabase.jdbc(dbUrl, conn -> {
      var rs = conn.createStatement().executeQuery("SELECT count(*) FROM telemetry WHERE device_id = '" + DEVICE + "'");
      rs.next();
      return rs.getLong(1);
    });
  }

  @Test
  void verifiesThatABurstLargerThanMaxPendingRowsIsTakenWithoutRefusalOrLossWithinTheConfiguredBounds() throws Exception {
    int messages = 800; // 8,000 rows: 40× storage.maxPendingRows
    try (PlatformFixture fx = PlatformFixture.start("storage_backlog", IntakeTest.env(
        "FLEXCONNECT_STORAGE_BATCH_ROWS", "100",
        "FLEXCONNECT_STORAGE_MAX_PENDING_ROWS", String.valueOf(MAX_PENDING_ROWS),
        "FLEXCONNECT_MQTT_MAX_UNACKNOWLEDGED", String.valueOf(MAX_UNACKNOWLEDGED)))) {
      fx.addDevice(DEVICE, TOKEN);
      // The writer's flush waits on the locked table while the burst arrives: rows pile up.
      Connection locker = IntakeTest.lockTelemetry(fx.dbUrl);
      Thread release = IntakeTest.releaseAfter(locker, 2_000);
      try (TestPublisher device = fx.publisher("backlog-device")) {
        for (int start = 0; start < messages; start += 500) {
          java.util.List<io.vertx.core.Future<Void>> window = new java.util.ArrayList<>();
          for (int i = start; i < Math.min(messages, start + 500); i++) {
            window.add(device.publishAsync(TOPIC, message(i)));
          }
          Await.result(io.vertx.core.Future.all(window));
        }
      }
      release.join();
      Await.until("every row", Duration.ofSeconds(120), () -> storedRows(fx.dbUrl) == (long) messages * FIELDS ? true : null);
      Await.until("everything acknowledged", Duration.ofSeconds(10), () -> fx.status().inFlight() == 0 ? true : null);

      assertThat(fx.status().retries()).as("deliveries the pipeline refused (each decoded again)").isZero();
      assertThat(metric(fx, "flexconnect_messages_total")).as("messages decoded and stored").isEqualTo(messages);
      assertThat(metric(fx, "flexconnect_storage_backlog_holds_total")).as("times intake was held for storage")
          .isPositive();
      assertThat(metric(fx, "flexconnect_mqtt_intake_pauses_total")).as("times intake stopped reading").isPositive();
      long bound = MAX_PENDING_ROWS + (long) (MAX_UNACKNOWLEDGED + oneReadOfMessages()) * FIELDS;
      assertThat(metric(fx, "flexconnect_storage_pending_rows_peak"))
          .as("rows ever waiting: maxPendingRows + (maxUnacknowledged + one socket read) × rows per message")
          .isPositive().isLessThanOrEqualTo(bound);
    }
  }
}
