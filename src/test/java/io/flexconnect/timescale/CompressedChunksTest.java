package io.flexconnect.timescale;

import static io.flexconnect.timescale.Timescale.execute;
import static io.flexconnect.timescale.Timescale.longValue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flexconnect.testing.Await;
import io.flexconnect.testing.Http;
import io.flexconnect.testing.PlatformFixture;
import io.flexconnect.testing.TestDatabase;
import io.flexconnect.testing.TestPublisher;
import io.flexconnect.testing.TestVectors;
import io.netty.util.ResourceLeakDetector;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Late data, re-decoding and the rollup against chunks TimescaleDB has compressed, through the
 * platform (MQTT in, REST out), with the platform's own compression policy (after 7 days).
 */
class CompressedChunksTest {
  static final String DEMO_TOKEN = "tok_demo-0001-7f3a9c2e5b814d06a1e2c3d4e5f60718";
  static final long DEMO_DAY = 1_622_505_600_000L; // 2021-06-01, the day of seed-binary.bin
  static final long DAY_MS = 86_400_000L;
  @TempDir static Path dbcDir;
  static PlatformFixture fx;
  static ResourceLeakDetector.Level leakDetection;

  @BeforeAll
  static void start() throws Exception {
    Timescale.assumeAvailable();
    // Paranoid leak tracking records a stack trace per buffer access: encoding 120,000-element
    // column arrays then takes minutes. Sampled tracking still reports leaks.
    leakDetection = ResourceLeakDetector.getLevel();
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);
    String demo = Files.readString(Path.of("dbc/demo.dbc"));
    Files.writeString(dbcDir.resolve("demo.dbc"), demo);
    Files.writeString(dbcDir.resolve("demo-v2.dbc"),
        demo.replace("SG_ EngineSpeed : 0|16@1+ (2,0)", "SG_ EngineSpeed : 0|16@1+ (4,0)"));
    fx = PlatformFixture.start("ts_compressed", Map.of("FLEXCONNECT_CAN_DBC_DIR", dbcDir.toString()));
    assertThat(fx.platform.schema().timescale()).isTrue();
  }

  @AfterAll
  static void stop() throws Exception {
    if (fx != null) {
      ResourceLeakDetector.setLevel(leakDetection);
      Timescale.assertNoJobErrors(fx.dbUrl);
      fx.close();
    }
  }

  /** The start of the UTC day {@code days} ago, plus an hour. */
  static long daysAgo(int days) {
    return Instant.now().minus(days, ChronoUnit.DAYS).truncatedTo(ChronoUnit.DAYS).plus(1, ChronoUnit.HOURS).toEpochMilli();
  }

  static void publish(String deviceId, byte[] payload) {
    try (TestPublisher device = fx.publisher(deviceId + "-pub")) {
      device.publish("flexconnect/" + deviceId + "/json", payload);
    }
  }

  static long rows(String where) {
    return longValue(fx.dbUrl, "SELECT count(*) FROM telemetry WHERE " + where);
  }

  static void awaitRows(String what, String where, long expected) {
    Await.until(what, Duration.ofSeconds(40), () -> rows(where) == expected ? true : null);
  }

  /** Compresses every telemetry chunk holding {@code ms} with {@code compress_chunk}. */
  static void compressChunkOf(long ms) {
    execute(fx.dbUrl, "SELECT compress_chunk(c, if_not_compressed => true) FROM show_chunks('telemetry_points', "
        + "older_than => to_timestamp(" + (ms + DAY_MS) / 1000 + "), newer_than => to_timestamp(" + (ms - DAY_MS) / 1000
        + ")) c");
    assertThat(compressed(ms)).as("chunk of %s compressed", Instant.ofEpochMilli(ms)).isTrue();
  }

  static boolean compressed(long ms) {
    return longValue(fx.dbUrl, "SELECT count(*) FROM timescaledb_information.chunks WHERE hypertable_name = 'telemetry_points' "
        + "AND is_compressed AND range_start <= to_timestamp(" + ms / 1000.0 + ") AND range_end > to_timestamp("
        + ms / 1000.0 + ")") == 1;
  }

  @Test
  void verifiesThatALateBatchOfMoreThan100kRowsUpsertsIntoAChunkCompressedByCompressChunk() {
    String device = "late-0001";
    String token = "tok_late-0001-3c9e";
    fx.addDevice(device, token);
    long day = daysAgo(30);
    publish(device, Telemetry.message(device, token, day, 12_000, 10, 0));
    awaitRows("120,000 rows", "device_id = '" + device + "'", 120_000);
    compressChunkOf(day);

    // The limit is real on this server: a session with TimescaleDB's defaults cannot touch them all.
    assertThatThrownBy(() -> execute(fx.dbUrl, "UPDATE telemetry_points SET value = value "
        + "WHERE series_id IN (SELECT series_id FROM series WHERE device_id = '" + device + "')"))
        .hasRootCauseInstanceOf(SQLException.class)
        .rootCause().satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("53400"));

    publish(device, Telemetry.message(device, token, day, 12_000, 10, 1_000_000));
    awaitRows("the late 120,000 rows replacing the compressed ones",
        "device_id = '" + device + "' AND value >= 1000000", 120_000);
    assertThat(rows("device_id = '" + device + "'")).isEqualTo(120_000);
    assertThat(longValue(fx.dbUrl, "SELECT count(*) FROM rejected_messages")).isZero();
    Await.until("acknowledged", Duration.ofSeconds(10), () -> fx.status().inFlight() == 0 ? true : null);
  }

  @Test
  void verifiesThatChunksCompressedByTheCompressionJobTakeUpsertsAndNewRows() {
    String device = "job-0001";
    String token = "tok_job-0001-77ab";
    fx.addDevice(device, token);
    long day = daysAgo(20);
    publish(device, Telemetry.message(device, token, day, 1_000, 2, 0));
    awaitRows("2,000 rows", "device_id = '" + device + "'", 2_000);

    Timescale.runJob(fx.dbUrl, Timescale.jobId(fx.dbUrl, "policy_compression", "telemetry_points"));
    assertThat(compressed(day)).isTrue();

    publish(device, Telemetry.message(device, token, day, 500, 2, 5_000)); // upserts
    publish(device, Telemetry.message(device, token, day + 500, 1_000, 2, 9_000)); // new rows between
    awaitRows("upserts and new rows", "device_id = '" + device + "'", 4_000);
    assertThat(rows("device_id = '" + device + "' AND value >= 5000 AND value < 9000")).isEqualTo(1_000);
    JsonObject latest = fx.http.get("/api/v1/devices/" + device + "/telemetry?signal=s0&from=" + day + "&to=" + (day + 1)).json();
    assertThat(latest.getJsonArray("points").getJsonObject(0).getDouble("value")).isEqualTo(5_000.0);
  }

  @Test
  void verifiesThatReDecodingACompressedRangeReplacesTheCanRowsAndLeavesTheJsonRowsAlone() {
    fx.addDevice("demo-0001", DEMO_TOKEN);
    try (TestPublisher device = fx.publisher("demo-0001-can")) {
      device.publish("flexconnect/demo-0001/can", TestVectors.message("seed-binary.bin"));
    }
    // Far more JSON rows of the same device and day than one transaction may decompress by default.
    publish("demo-0001", Telemetry.message("demo-0001", DEMO_TOKEN, DEMO_DAY, 12_000, 10, 0));
    awaitRows("the CAN and JSON rows", "device_id = 'demo-0001'", 120_015);
    compressChunkOf(DEMO_DAY);

    Http.Response response = fx.http.post("/api/v1/devices/demo-0001/redecode",
        "{\"from\": " + DEMO_DAY + ", \"to\": " + (DEMO_DAY + DAY_MS) + ", \"dbc\": \"demo-v2.dbc\"}");
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(response.json().getLong("rows_deleted")).isEqualTo(15);
    assertThat(response.json().getLong("rows_written")).isEqualTo(15);
    assertThat(fx.http.get("/api/v1/devices/demo-0001/telemetry?signal=EngineData.EngineSpeed&from=" + DEMO_DAY
        + "&to=" + (DEMO_DAY + DAY_MS)).json().getJsonArray("points").getJsonObject(0).getDouble("value")).isEqualTo(2052.0);
    assertThat(rows("device_id = 'demo-0001'")).isEqualTo(120_015);
  }

  @Test
  void verifiesThatReDecodingADeviceWithoutCanDataChangesNothing() {
    String device = "jsononly-0001";
    String token = "tok_jsononly-0001-1d";
    fx.addDevice(device, token);
    long day = daysAgo(25);
    publish(device, Telemetry.message(device, token, day, 100, 3, 0));
    awaitRows("300 rows", "device_id = '" + device + "'", 300);
    compressChunkOf(day);

    Http.Response response = fx.http.post("/api/v1/devices/" + device + "/redecode",
        "{\"from\": " + (day - DAY_MS) + ", \"to\": " + (day + DAY_MS) + "}");
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(response.json().getLong("rows_deleted")).isZero();
    assertThat(response.json().getInteger("messages")).isZero();
    assertThat(rows("device_id = '" + device + "'")).isEqualTo(300);
  }

  @Test
  void verifiesThatTheRollupRefreshesAndLateDataReachesIt() {
    String device = "agg-0001";
    String token = "tok_agg-0001-5f";
    fx.addDevice(device, token);
    long minute = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MINUTES).toEpochMilli();
    publish(device, Telemetry.message(device, token, minute, 30, 1, 0)); // 30 samples in the minute
    awaitRows("30 rows", "device_id = '" + device + "'", 30);
    int refresh = Timescale.jobId(fx.dbUrl, "policy_refresh_continuous_aggregate", "telemetry_1m");
    // The scheduler runs this job every minute; two refreshes at once refuse each other.
    execute(fx.dbUrl, "SELECT alter_job(" + refresh + ", scheduled => false)");
    try {
      Timescale.runJob(fx.dbUrl, refresh);
      // The materialized part itself, not the real-time union the view adds for unmaterialized time.
      String materialized = "SELECT coalesce(sum(samples), 0) FROM _timescaledb_internal."
          + Timescale.strings(fx.dbUrl, "SELECT materialization_hypertable_name FROM "
              + "timescaledb_information.continuous_aggregates WHERE view_name = 'telemetry_1m'").get(0)
          + " WHERE device_id = '" + device + "'";
      assertThat(longValue(fx.dbUrl, materialized)).isEqualTo(30);

      publish(device, Telemetry.message(device, token, minute + 30_000, 20, 1, 100)); // late, same minute
      awaitRows("50 rows", "device_id = '" + device + "'", 50);
      Timescale.runJob(fx.dbUrl, refresh);
      assertThat(longValue(fx.dbUrl, materialized)).isEqualTo(50);
      assertThat(longValue(fx.dbUrl, "SELECT max(max_value)::int8 FROM telemetry_1m WHERE device_id = '" + device + "'"))
          .isEqualTo(119);
    } finally {
      execute(fx.dbUrl, "SELECT alter_job(" + refresh + ", scheduled => true)");
    }
  }
}
