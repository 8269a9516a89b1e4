package io.flexconnect.storage;

import io.flexconnect.storage.DatabaseConfig.EmbeddedDatabaseConfig;
import io.flexconnect.storage.TelemetryStatements.Bound;
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
 * How fast each way of writing a flush gets the same telemetry rows into an empty {@code telemetry}
 * table, as a ratio to one plain binary {@code COPY} of all of them, measured in the same run on
 * plain PostgreSQL and on a TimescaleDB hypertable. In the {@code io.flexconnect.storage} package
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
    s.put("COPY binary, all rows in one statement (ceiling)", (jdbc, v) -> {
      TelemetryCopy.copy(jdbc, rows);
      jdbc.commit();
    });
    s.put("(a) unnest upsert, Vert.x (the writer before)", (jdbc, v) -> {
      for (List<TelemetryRow> batch : batches) {
        Bound upsert = TelemetryStatements.telemetryUpsert(batch);
        await(v.begin().compose(tx -> v.preparedQuery(upsert.sql()).execute(upsert.tuple())
            .compose(r -> tx.commit())));
      }
    });
    s.put("(a') unnest upsert, JDBC", (jdbc, v) -> {
      for (List<TelemetryRow> batch : batches) {
        FlushWriter.execute(jdbc, TelemetryStatements.telemetryUpsert(batch));
        jdbc.commit();
      }
    });
    s.put("(b) COPY into temp staging + INSERT ... SELECT ON CONFLICT", (jdbc, v) -> {
      try (Statement st = jdbc.createStatement()) {
        st.execute("CREATE TEMP TABLE IF NOT EXISTS telemetry_staging "
            + "(LIKE telemetry INCLUDING DEFAULTS) ON COMMIT DELETE ROWS");
        jdbc.commit();
        String merge = "INSERT INTO telemetry SELECT * FROM telemetry_staging "
            + TelemetryStatements.UPSERT_TELEMETRY.substring(TelemetryStatements.UPSERT_TELEMETRY.indexOf("ON CONFLICT"));
        for (List<TelemetryRow> batch : batches) {
          TelemetryCopy.copy(jdbc, batch, "telemetry_staging");
          st.executeUpdate(merge);
          jdbc.commit();
        }
      }
    });
    s.put("(c) binary unnest INSERT, no ON CONFLICT (optimistic), Vert.x", (jdbc, v) -> {
      for (List<TelemetryRow> batch : batches) {
        Bound upsert = TelemetryStatements.telemetryUpsert(batch);
        String insert = upsert.sql().substring(0, upsert.sql().indexOf("ON CONFLICT"));
        await(v.begin().compose(tx -> v.preparedQuery(insert).execute(upsert.tuple()).compose(r -> tx.commit())));
      }
    });
    s.put("COPY binary per flush (ours: optimistic path)", (jdbc, v) -> {
      for (List<TelemetryRow> batch : batches) {
        TelemetryCopy.copy(jdbc, batch);
        jdbc.commit();
      }
    });
    // A "redelivered" strategy runs right after the one before it, without emptying the table: every
    // row of every flush is stored already.
    s.put("whole flush before: Vert.x upsert + device_signals + devices", this::upsertFlushes);
    s.put("whole flush before, redelivered", this::upsertFlushes);
    s.put("whole flush ours: FlushWriter, COPY + folded latest values", (jdbc, v) -> copyFlushes(jdbc));
    s.put("whole flush ours, redelivered (COPY fails, upsert)", (jdbc, v) -> copyFlushes(jdbc));
    return s;
  }

  private void upsertFlushes(Connection jdbc, SqlConnection v) {
    TelemetryStatements statements = new TelemetryStatements(1);
    for (List<TelemetryRow> batch : batches) {
      await(v.begin().compose(tx -> statements.insertRows(v, batch).compose(r -> tx.commit())));
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
    DatabaseConfig config = new DatabaseConfig(url, null, null, 1, new EmbeddedDatabaseConfig("unused", 0));
    Pool pool = Database.pool(vertx, config, 1);
    await(new SchemaMigrator(pool).migrate());
    Map<String, double[]> seconds = new LinkedHashMap<>();
    try (Connection jdbc = Database.openWriterConnection(config)) {
      try (Statement st = jdbc.createStatement()) {
        if (!timescale) {
          // The migration made telemetry a hypertable (the server has TimescaleDB): a plain table instead.
          st.execute("CREATE TABLE telemetry_plain (LIKE telemetry INCLUDING ALL)");
          st.execute("DROP TABLE telemetry CASCADE");
          st.execute("ALTER TABLE telemetry_plain RENAME TO telemetry");
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
      st.execute("TRUNCATE telemetry, device_signals");
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
        + "flushes of %,d rows; median of %d rounds after 1 warm-up%n%n", count, DEVICES, SIGNALS, BATCH_ROWS, rounds));
    table.append("| strategy | PostgreSQL rows/s | vs COPY | TimescaleDB rows/s | vs COPY |\n|---|---|---|---|---|\n");
    String ceiling = plain.keySet().iterator().next();
    double plainCeiling = count / median(plain.get(ceiling));
    double tsCeiling = count / median(timescale.get(ceiling));
    for (String name : plain.keySet()) {
      double p = count / median(plain.get(name));
      double t = count / median(timescale.get(name));
      table.append(String.format(Locale.ROOT, "| %s | %,.0f | %.2f | %,.0f | %.2f |%n",
          name, p, p / plainCeiling, t, t / tsCeiling));
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
