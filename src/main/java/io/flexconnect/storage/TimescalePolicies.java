package io.flexconnect.storage;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What TimescaleDB adds once {@code telemetry_points} is a hypertable: the 1-minute rollup
 * {@code telemetry_1m} as a continuous aggregate (replacing the plain view of the same name that
 * V3 and V12 create for PostgreSQL), and compression and retention policies from the configuration.
 *
 * <p>Applied at every start under the migration lock, so a changed setting takes effect on the
 * next start. Each policy is compared with the configuration and replaced only when its settings
 * differ, so an unchanged policy keeps its job (id, statistics, next start) across restarts.
 * A failure here leaves ingestion working and is logged; it never stops the platform.
 *
 * @param retentionDays raw telemetry, its rollup and the stored binary CAN messages older than this
 *     are dropped; 0 keeps forever
 * @param compressAfterDays telemetry chunks older than this are compressed; 0 never compresses
 */
public record TimescalePolicies(int retentionDays, int compressAfterDays) {
  private static final Logger log = LoggerFactory.getLogger(TimescalePolicies.class);

  // The refresh policy looks this far back: a device that buffers longer than this and then
  // uploads lands in the raw table but not in the rollup's materialized part.
  static final String REFRESH_START = "7 days";

  /** The hypertable of raw telemetry (the view {@code telemetry} joins it back to names). */
  public static final String POINTS = "telemetry_points";

  private static final String CREATE_ROLLUP = """
      CREATE MATERIALIZED VIEW telemetry_1m
      WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
      SELECT s.device_id, s.signal, time_bucket(INTERVAL '1 minute', p.ts) AS bucket,
             count(p.value) AS samples, sum(p.value) AS sum_value, min(p.value) AS min_value,
             max(p.value) AS max_value
      FROM telemetry_points p JOIN series s ON s.series_id = p.series_id
      GROUP BY s.device_id, s.signal, time_bucket(INTERVAL '1 minute', p.ts)
      WITH NO DATA""";

  public TimescalePolicies {
    if (retentionDays < 0 || compressAfterDays < 0) {
      throw new IllegalArgumentException("retention and compression days must not be negative");
    }
  }

  /** Applies the rollup and policies; completes (never fails) once done or given up. */
  public Future<Void> apply(Pool pool) {
    return pool.withTransaction(this::applyLocked)
        .compose(created -> created ? materializeHistory(pool) : Future.succeededFuture())
        .onSuccess(v -> log.info("TimescaleDB policies: retention {}, compression {}, rollup telemetry_1m",
            retentionDays == 0 ? "off" : retentionDays + " days",
            compressAfterDays == 0 ? "off" : "after " + compressAfterDays + " days"))
        .recover(err -> {
          log.warn("TimescaleDB rollup or policies could not be applied ({}); dashboards fall back to raw data",
              err.getMessage());
          return Future.succeededFuture();
        });
  }

  /** Returns whether the continuous aggregate was created now. */
  private Future<Boolean> applyLocked(SqlConnection conn) {
    return conn.query("SELECT pg_advisory_xact_lock(" + SchemaMigrator.LOCK_KEY + ")").execute()
        .compose(r -> conn.query("SELECT 1 FROM timescaledb_information.continuous_aggregates "
            + "WHERE view_schema = current_schema() AND view_name = 'telemetry_1m'").execute())
        .compose(rows -> {
          if (rows.size() > 0) {
            return Future.succeededFuture(false);
          }
          return conn.query("DROP VIEW IF EXISTS telemetry_1m").execute()
              .compose(r -> conn.query(CREATE_ROLLUP).execute())
              // The new object needs the reader's grant again (a no-op without the role).
              .compose(r -> conn.query("SELECT flexconnect_grant_reader()").execute())
              .map(r -> true);
        })
        .compose(created -> refresh(conn)
            .compose(v -> compression(conn))
            .compose(v -> retention(conn, POINTS))
            .compose(v -> retention(conn, "telemetry_1m"))
            .compose(v -> retention(conn, "can_messages"))
            .map(created));
  }

  private Future<Void> refresh(SqlConnection conn) {
    return ensurePolicy(conn, "policy_refresh_continuous_aggregate", "telemetry_1m",
        "(j.config->>'start_offset')::interval = INTERVAL '" + REFRESH_START + "' "
            + "AND (j.config->>'end_offset')::interval = INTERVAL '1 minute' "
            + "AND j.schedule_interval = INTERVAL '1 minute'",
        "SELECT remove_continuous_aggregate_policy('telemetry_1m', if_exists => true)",
        "SELECT add_continuous_aggregate_policy('telemetry_1m', start_offset => INTERVAL '" + REFRESH_START
            + "', end_offset => INTERVAL '1 minute', schedule_interval => INTERVAL '1 minute')");
  }

  private Future<Void> compression(SqlConnection conn) {
    return conn.query("SELECT compression_enabled FROM timescaledb_information.hypertables "
            + "WHERE hypertable_name = '" + POINTS + "'").execute()
        .compose(rows -> {
          boolean enabled = rows.size() > 0 && Boolean.TRUE.equals(rows.iterator().next().getBoolean(0));
          if (enabled || compressAfterDays == 0) {
            return Future.succeededFuture();
          }
          // Segment by the key's leading column: a device's signal decompresses alone.
          return conn.query("ALTER TABLE " + POINTS + " SET (timescaledb.compress, "
              + "timescaledb.compress_segmentby = 'series_id', "
              + "timescaledb.compress_orderby = 'ts DESC')").execute().mapEmpty();
        })
        .compose(v -> ensurePolicy(conn, "policy_compression", POINTS,
            compressAfterDays == 0 ? null
                : "(j.config->>'compress_after')::interval = INTERVAL '" + compressAfterDays + " days'",
            "SELECT remove_compression_policy('" + POINTS + "', if_exists => true)",
            "SELECT add_compression_policy('" + POINTS + "', compress_after => INTERVAL '" + compressAfterDays + " days')"));
  }

  private Future<Void> retention(SqlConnection conn, String relation) {
    return ensurePolicy(conn, "policy_retention", relation,
        retentionDays == 0 ? null : "(j.config->>'drop_after')::interval = INTERVAL '" + retentionDays + " days'",
        "SELECT remove_retention_policy('" + relation + "', if_exists => true)",
        "SELECT add_retention_policy('" + relation + "', drop_after => INTERVAL '" + retentionDays + " days')");
  }

  /**
   * Leaves the policy {@code proc} of {@code relation} alone when exactly one exists and its job
   * satisfies {@code matches} (SQL over {@code j}, a row of {@code timescaledb_information.jobs});
   * otherwise removes it and, unless {@code matches} is null (no policy wanted), adds it anew.
   */
  private static Future<Void> ensurePolicy(SqlConnection conn, String proc, String relation, String matches,
      String remove, String add) {
    // The jobs view names a continuous aggregate's policies by the view, like a hypertable's.
    String jobs = """
        SELECT j.job_id, %s AS matches
        FROM timescaledb_information.jobs j
        WHERE j.proc_name = '%s' AND j.hypertable_schema = current_schema() AND j.hypertable_name = '%s'
        """.formatted(matches == null ? "false" : matches, proc, relation);
    return conn.query(jobs).execute().compose(rows -> {
      boolean keep = matches != null && rows.size() == 1 && Boolean.TRUE.equals(rows.iterator().next().getBoolean(1));
      if (keep) {
        return Future.succeededFuture();
      }
      if (rows.size() > 0) {
        log.info("TimescaleDB {} of {} changed: replacing job {}", proc, relation, rows.iterator().next().getInteger(0));
      }
      Future<?> removed = rows.size() > 0 ? conn.query(remove).execute() : Future.succeededFuture();
      return removed.compose(r -> matches == null ? Future.succeededFuture() : conn.query(add).execute()).mapEmpty();
    });
  }

  // Refreshing cannot run inside a transaction. Once, when the rollup is created on a database that
  // already holds telemetry, so history older than the refresh window is in the rollup too.
  private Future<Void> materializeHistory(Pool pool) {
    log.info("Materializing the 1-minute rollup of existing telemetry (once)");
    return pool.query("CALL refresh_continuous_aggregate('telemetry_1m', NULL, now() - INTERVAL '1 minute')")
        .execute().mapEmpty();
  }
}
