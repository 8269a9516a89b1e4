package io.flexconnect.timescale;

import static io.flexconnect.timescale.Timescale.longValue;
import static org.assertj.core.api.Assertions.assertThat;

import io.flexconnect.testing.Await;
import io.flexconnect.testing.CanMessageBuilder;
import io.flexconnect.testing.Http;
import io.flexconnect.testing.PlatformFixture;
import io.flexconnect.testing.TestPublisher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code storage.retentionDays} on TimescaleDB: the retention jobs drop old rows and stored messages alike. */
class RetentionTest {
  static final String TOKEN = "tok_demo-0001-7f3a9c2e5b814d06a1e2c3d4e5f60718";
  static final long DAY_MS = 86_400_000L;
  @TempDir static Path dbcDir;
  static PlatformFixture fx;

  @BeforeAll
  static void start() throws Exception {
    Timescale.assumeAvailable();
    Files.writeString(dbcDir.resolve("demo.dbc"), Files.readString(Path.of("dbc/demo.dbc")));
    fx = PlatformFixture.start("ts_retention", Map.of("FLEXCONNECT_CAN_DBC_DIR", dbcDir.toString(),
        "FLEXCONNECT_STORAGE_RETENTION_DAYS", "10"));
    fx.addDevice("demo-0001", TOKEN);
  }

  @AfterAll
  static void stop() throws Exception {
    if (fx != null) {
      Timescale.assertNoJobErrors(fx.dbUrl);
      fx.close();
    }
  }

  static long rows(String table, String where) {
    return longValue(fx.dbUrl, "SELECT count(*) FROM " + table + " WHERE device_id = 'demo-0001' AND " + where);
  }

  static String before(long ms) {
    return "to_timestamp(" + ms / 1000.0 + ")";
  }

  @Test
  void verifiesThatTheRetentionJobsDropOldRowsAndStoredMessagesAndReDecodingStopsAtTheHorizon() {
    long now = System.currentTimeMillis();
    long old = Instant.ofEpochMilli(now).minus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.DAYS).toEpochMilli() + 3_600_000L;
    long recent = now - 2 * DAY_MS;
    try (TestPublisher device = fx.publisher("demo-0001-retention")) {
      for (long ts : new long[] {old, recent}) {
        device.publish("flexconnect/demo-0001/can", CanMessageBuilder.withToken(TOKEN).point(ts)
            .reading(0x123, 1, 8, 1, 2, 3, 4, 5, 6, 7, 8).build());
      }
    }
    Await.until("both messages stored", Duration.ofSeconds(20), () -> rows("can_messages", "true") == 2 ? true : null);
    long oldRows = rows("telemetry", "ts < " + before(now - 10 * DAY_MS));
    long recentRows = rows("telemetry", "ts >= " + before(now - 10 * DAY_MS));
    assertThat(oldRows).isPositive();
    assertThat(recentRows).isEqualTo(oldRows);

    for (String relation : new String[] {"telemetry_points", "telemetry_1m", "can_messages"}) {
      Timescale.runJob(fx.dbUrl, Timescale.jobId(fx.dbUrl, "policy_retention", relation));
    }
    assertThat(rows("telemetry", "ts < " + before(now - 10 * DAY_MS))).isZero();
    assertThat(rows("can_messages", "first_ts < " + before(now - 10 * DAY_MS))).isZero();
    assertThat(rows("telemetry", "true")).isEqualTo(recentRows);
    assertThat(rows("can_messages", "true")).isEqualTo(1);

    Http.Response gone = fx.http.post("/api/v1/devices/demo-0001/redecode",
        "{\"from\": " + (old - DAY_MS) + ", \"to\": " + (old + DAY_MS) + "}");
    assertThat(gone.status()).isEqualTo(422);
    assertThat(gone.json().getString("detail")).contains("retention horizon");

    Http.Response clipped = fx.http.post("/api/v1/devices/demo-0001/redecode",
        "{\"from\": " + (old - DAY_MS) + ", \"to\": " + now + "}");
    assertThat(clipped.status()).as(clipped.body()).isEqualTo(200);
    assertThat(clipped.json().getLong("from")).isBetween(now - 10 * DAY_MS, now - 10 * DAY_MS + 120_000);
    assertThat(clipped.json().getInteger("messages")).isEqualTo(1);
    assertThat(clipped.json().getLong("rows_written")).isEqualTo(recentRows);
    assertThat(rows("telemetry", "ts < " + before(now - 10 * DAY_MS))).isZero();
  }
}
