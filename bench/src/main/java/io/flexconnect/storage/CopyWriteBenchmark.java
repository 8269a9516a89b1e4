package io.flexconnect.storage;

import io.flexconnect.storage.DatabaseConfig.EmbeddedDatabaseConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * How fast the writer gets telemetry rows into the empty narrow tables ({@code telemetry_points},
 * {@code series}, {@code tag_sets}), as a ratio to one plain binary {@code COPY} of the same rows
 * into a wide table shaped like {@code telemetry} before V12 (the ceiling of earlier runs), measured
 * in the same run on plain PostgreSQL and on TimescaleDB hypertables. In the {@code io.flexconnect.storage} package
 * to run the writer's own (package-private) statements and COPY encoder rather than copies of them.
 *
 * <p>Usage: {@code CopyWriteBenchmark SERVER_URL ROWS ROUNDS RESULT_FILE}; the server's user must
 * create databases. Rows: fixed seed, 20 devices × messages of 100 signals, tags on every row,
 * written in flushes of 5,000 rows (the default {@code storage.batchRows}). One warm-up round, then
 * the median of {@code ROUNDS}; the table is truncated and a checkpoint taken before every strategy.
 */
public final class CopyWriteBenchmark {
  private static final int BATCH_ROWS = 5000;
  private static final int DEVICES = 20;
  private static final int SIGNALS = 100;
  private static final long T0 = 1_764_000_000_000L;

  private final Vertx vertx = Vertx.vertx();
  private final List<TelemetryRow> rows;
  private final List<List<TelemetryRow>> batches = new ArrayList<>();

  private CopyWriteBenchmark(int count) {
    rows = rows(count);
    for (int i = 0; i < rows.size(); i += BATCH_ROWS) {
      batches.add(rows.subList(i, Math.min(rows.size(), i + BATCH_ROWS)));
    }
  }

  /** Messages of 100 signals from 20 devices, one second apart per device, values from a fixed seed. */
  static List<TelemetryRow> rows(int count) {
    Random random = new Random(42);
    List<TelemetryRow> out = new ArrayList<>(count);
    for (int message = 0; out.size() < count; message++) {
      String device = "bench-" + (message % DEVICES);
      long ts = T0 + (message / DEVICES) * 1000L;
      String tags = "{\"point_tag1\":\"point_value" + (message % 3) + "\",\"tag1\":\"value1\"}";
      for (int s = 0; s < SIGNALS && out.size() < count; s++) {
        out.add(TelemetryRow.json(device, "signal_" + s, ts, random.nextGaussian() * 100, null, tags, ts + 40));
      }
    }
    return out;
  }

  /** One way of writing all rows; returns nothing, throws on failure. */
  interface Strategy {
    void run(Connection jdbc, SqlConnection vertxConn) throws Exception;
  }

  private Map<String, Strategy> strategies() {
    Map<String, Strategy> s = new LinkedHashMap<>();
    s.put("COPY binary into the wide table, all rows in one statement (ceiling)", (jdbc, v) -> {
      copyWide(jdbc, rows, "telemetry_wide");
      jdbc.commit();
    });
    s.put("COPY binary narrow per flush, ids cached (optimistic path)", (jdbc, v) -> {
      SeriesIds ids = new SeriesIds(FlushWriter.CACHED_SERIES, FlushWriter.CACHED_TAG_SETS);
      for (List<TelemetryRow> batch : batches) {
        SeriesIds.Ids batchIds = ids.resolve(jdbc, batch);
        TelemetryCopy.copy(jdbc, batch, batchIds);
        jdbc.commit();
      }
    });
    s.put("latest values only: folded upsert of device_signals per flush", (jdbc, v) -> {
      for (List<TelemetryRow> batch : batches) {
        FlushWriter.execute(jdbc, TelemetryStatements.signalsUpsert(batch));
        jdbc.commit();
      }
    });
    s.put("latest values only: folded rows COPY'd into temp staging + one merge", this::stagedSignals);
    // A "redelivered" strategy runs right after the one before it, without emptying the tables: every
    // row of every flush is stored already.
    s.put("whole flush: FlushWriter, COPY + folded latest values + devices", (jdbc, v) -> copyFlushes(jdbc));
    s.put("whole flush, redelivered (COPY fails, upsert)", (jdbc, v) -> copyFlushes(jdbc));
    return s;
  }

  /** The wide rows the ceiling copies: the columns of telemetry before V12. */
  private static void copyWide(Connection jdbc, List<TelemetryRow> rows, String table) throws SQLException {
    try (BinaryCopy copy = BinaryCopy.open(jdbc, "COPY " + table
        + " (device_id, signal, ts, value, value_text, tags, received_at) FROM STDIN (FORMAT binary)")) {
      for (TelemetryRow row : rows) {
        copy.row(7);
        copy.text(row.deviceId());
        copy.text(row.signal());
        pointFields(copy, row);
      }
      copy.finish();
    }
  }

  /** ts, value, value_text, tags, received_at: the columns the wide table and device_signals share. */
  private static void pointFields(BinaryCopy copy, TelemetryRow row) throws SQLException {
    copy.timestamp(row.timestampMs());
    TelemetryCopy.value(copy, row);
    copy.text(row.text());
    copy.jsonb(row.tagsJson());
    copy.timestamp(row.receivedAtMs());
  }

  // The alternative to the folded upsert: the folded rows by COPY into a staging table, merged by
  // one INSERT ... SELECT with the same ON CONFLICT rule.
  private void stagedSignals(Connection jdbc, SqlConnection v) throws SQLException {
    String upsert = TelemetryStatements.UPSERT_SIGNALS;
    String merge = """
        INSERT INTO device_signals AS ds
          (device_id, signal, source, unit, first_ts, ts, value, value_text, tags, received_at)
        SELECT device_id, signal, source, unit, first_ts, ts, value, value_text, tags, received_at
        FROM signals_staging
        """ + upsert.substring(upsert.indexOf("ON CONFLICT"));
    try (Statement st = jdbc.createStatement()) {
      st.execute("CREATE TEMP TABLE IF NOT EXISTS signals_staging "
          + "(LIKE device_signals INCLUDING DEFAULTS) ON COMMIT DELETE ROWS");
      jdbc.commit();
      for (List<TelemetryRow> batch : batches) {
        Map<String, TelemetryRow> newest = new LinkedHashMap<>();
        Map<String, Long> earliest = new LinkedHashMap<>();
        for (TelemetryRow row : batch) {
          String key = row.deviceId() + '\0' + row.signal();
          newest.merge(key, row, (a, b) -> b.timestampMs() >= a.timestampMs() ? b : a);
          earliest.merge(key, row.timestampMs(), Math::min);
        }
        try (BinaryCopy copy = BinaryCopy.open(jdbc, "COPY signals_staging (device_id, signal, source, unit, "
            + "first_ts, ts, value, value_text, tags, received_at) FROM STDIN (FORMAT binary)")) {
          for (Map.Entry<String, TelemetryRow> e : newest.entrySet()) {
            TelemetryRow row = e.getValue();
            copy.row(10);
            copy.text(row.deviceId());
            copy.text(row.signal());
            copy.text(row.source());
            copy.text(row.unit());
            copy.timestamp(earliest.get(e.getKey()));
            pointFields(copy, row);
          }
          copy.finish();
        }
        st.executeUpdate(merge);
        jdbc.commit();
      }
    }
  }

  private void copyFlushes(Connection jdbc) throws SQLException {
    FlushWriter writer = new FlushWriter(true);
    for (List<TelemetryRow> batch : batches) {
      writer.write(jdbc, new FlushWriter.Flush(batch, List.of(), List.of(), Map.of(batch.get(0).deviceId(), 50L)));
    }
  }

  private static <T> T await(Future<T> future) {
    return future.toCompletionStage().toCompletableFuture().join();
  }

  private Map<String, double[]> measure(String url, boolean timescale, int rounds) throws Exception {
    DatabaseConfig config = new DatabaseConfig(url, null, null, 1, 120, new EmbeddedDatabaseConfig("unused", 0));
    Pool pool = Database.pool(vertx, config, 1);
    await(new SchemaMigrator(pool).migrate());
    Map<String, double[]> seconds = new LinkedHashMap<>();
    try (Connection jdbc = Database.openWriterConnection(config)) {
      try (Statement st = jdbc.createStatement()) {
        // The ceiling's table: telemetry as it was before V12 (key and arrival index included).
        st.execute("""
            CREATE TABLE telemetry_wide (device_id text NOT NULL, signal text NOT NULL, ts timestamptz NOT NULL,
              value double precision, value_text text, tags jsonb, received_at timestamptz NOT NULL,
              PRIMARY KEY (device_id, signal, ts))""");
        st.execute("CREATE INDEX ON telemetry_wide (received_at DESC)");
        if (timescale) {
          st.execute("SELECT create_hypertable('telemetry_wide', 'ts', chunk_time_interval => INTERVAL '1 day')");
        } else {
          // The migration made telemetry_points a hypertable (the server has TimescaleDB): a plain
          // table instead (the views over it go; nothing here reads them).
          st.execute("CREATE TABLE points_plain (LIKE telemetry_points INCLUDING ALL)");
          st.execute("DROP TABLE telemetry_points CASCADE");
          st.execute("ALTER TABLE points_plain RENAME TO telemetry_points");
        }
        for (int d = 0; d < DEVICES; d++) {
          st.execute("INSERT INTO devices (device_id) VALUES ('bench-" + d + "') ON CONFLICT DO NOTHING");
        }
        jdbc.commit();
      }
      SqlConnection v = await(pool.getConnection());
      Map<String, Strategy> strategies = strategies();
      for (int round = 0; round <= rounds; round++) {
        for (Map.Entry<String, Strategy> e : strategies.entrySet()) {
          boolean redelivery = e.getKey().contains("redelivered");
          if (!redelivery) {
            reset(jdbc);
          }
          long start = System.nanoTime();
          e.getValue().run(jdbc, v);
          double s = (System.nanoTime() - start) / 1e9;
          if (round > 0) {
            seconds.computeIfAbsent(e.getKey(), k -> new double[rounds])[round - 1] = s;
          }
          System.err.printf(Locale.ROOT, "%s round %d: %-70s %.3f s%n", timescale ? "timescaledb" : "postgresql",
              round, e.getKey(), s);
        }
      }
      await(v.close());
    }
    await(pool.close());
    return seconds;
  }

  private static void reset(Connection jdbc) throws SQLException {
    try (Statement st = jdbc.createStatement()) {
      st.execute("TRUNCATE telemetry_wide, telemetry_points, series, tag_sets, device_signals");
      st.execute("UPDATE devices SET messages = 0, last_seen = NULL");
      jdbc.commit();
      jdbc.setAutoCommit(true);
      st.execute("VACUUM ANALYZE devices");
      st.execute("CHECKPOINT");
      jdbc.setAutoCommit(false);
    }
  }

  private static String newDatabase(String server, String name) throws SQLException {
    String jdbcUrl = "jdbc:" + server.replaceFirst("^postgresql://[^@]*@", "postgresql://");
    String user = server.replaceFirst("^postgresql://([^@:]*).*$", "$1");
    try (Connection conn = DriverManager.getConnection(jdbcUrl, user, "");
        Statement st = conn.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + name);
      st.execute("CREATE DATABASE " + name);
    }
    return server.substring(0, server.lastIndexOf('/') + 1) + name;
  }

  /** The median over rounds of (ceiling's seconds / strategy's seconds) in the same round. */
  private static double medianRatio(double[] ceilingSeconds, double[] seconds) {
    double[] ratios = new double[seconds.length];
    for (int i = 0; i < seconds.length; i++) {
      ratios[i] = ceilingSeconds[i] / seconds[i];
    }
    return median(ratios);
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  public static void main(String[] args) throws Exception {
    String server = args[0];
    int count = Integer.parseInt(args[1]);
    int rounds = Integer.parseInt(args[2]);
    Path result = Path.of(args[3]);
    CopyWriteBenchmark bench = new CopyWriteBenchmark(count);
    Map<String, double[]> plain = bench.measure(newDatabase(server, "flexconnect_copybench_plain"), false, rounds);
    Map<String, double[]> timescale = bench.measure(newDatabase(server, "flexconnect_copybench_ts"), true, rounds);
    await(bench.vertx.close());

    StringBuilder table = new StringBuilder();
    table.append(String.format(Locale.ROOT, "%,d rows (%d devices x %d signals per message, tags on every row), "
        + "flushes of %,d rows; median of %d rounds after 1 warm-up (ratios: median of the per-round ratios)%n%n", count, DEVICES, SIGNALS, BATCH_ROWS, rounds));
    table.append("| strategy | PostgreSQL rows/s | vs COPY | TimescaleDB rows/s | vs COPY |\n|---|---|---|---|---|\n");
    // Ratios per round, then their median: the machine's speed drifts between rounds (other load),
    // while a strategy and the ceiling of the same round ran under about the same conditions.
    String ceiling = plain.keySet().iterator().next();
    for (String name : plain.keySet()) {
      double p = count / median(plain.get(name));
      double t = count / median(timescale.get(name));
      table.append(String.format(Locale.ROOT, "| %s | %,.0f | %.2f | %,.0f | %.2f |%n",
          name, p, medianRatio(plain.get(ceiling), plain.get(name)), t,
          medianRatio(timescale.get(ceiling), timescale.get(name))));
    }
    try (PrintStream out = System.out) {
      out.print(table);
    }
    Files.createDirectories(result.toAbsolutePath().getParent());
    try {
      Files.writeString(result, table);
    } catch (IOException e) {
      System.err.println("cannot write " + result + ": " + e.getMessage());
    }
  }
}
