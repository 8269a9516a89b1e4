package io.flexconnect.storage;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and upgrades the schema at start-up, idempotently. Versions are applied in order inside
 * one transaction holding an advisory lock, so several instances starting together do not race.
 * When the {@code timescaledb} extension can be enabled, {@code telemetry_points} and
 * {@code can_messages} become hypertables;
 * otherwise it stays a plain table and every query the platform runs works the same on both.
 */
public final class SchemaMigrator {
  private static final Logger log = LoggerFactory.getLogger(SchemaMigrator.class);
  static final long LOCK_KEY = 0x466c6578L; // "Flex"

  /**
   * Migrations as classpath resources {@code V<version>__<name>.sql}, applied in version order;
   * each version is applied once, whenever it is missing (so versions added on parallel branches
   * apply cleanly). Never edit a released one; add a new one.
   */
  static final List<String> MIGRATIONS = List.of(
      "V1__core_schema.sql", "V2__can_messages.sql", "V3__dashboards.sql",
      "V4__device_credentials.sql",
      "V5__dbc_versions.sql", "V6__api_keys.sql", "V7__alert_incidents.sql", "V8__alert_state.sql",
      "V9__rule_sets.sql", "V10__device_message_counts.sql", "V11__stored_rules_and_rejections.sql",
      "V12__narrow_telemetry.sql");

  private final Pool pool;
  private final TimescalePolicies policies;

  /** Schema only: TimescaleDB rollup and policies stay as the last platform start left them. */
  public SchemaMigrator(Pool pool) {
    this(pool, null);
  }

  /** With the rollup, compression and retention to apply when TimescaleDB is available. */
  public SchemaMigrator(Pool pool, TimescalePolicies policies) {
    this.pool = pool;
    this.policies = policies;
  }

  /** Applies missing migrations, then enables TimescaleDB where available. */
  public Future<SchemaInfo> migrate() {
    return pool.withTransaction(this::applyMigrations).compose(applied -> enableTimescale()
        .map(timescale -> new SchemaInfo(version(MIGRATIONS.get(MIGRATIONS.size() - 1)), applied, timescale)))
        .onSuccess(info -> log.info("Schema at version {} ({} applied now), TimescaleDB {}",
            info.version(), info.appliedNow(), info.timescale() ? "enabled" : "not available: plain tables"));
  }

  private Future<Integer> applyMigrations(SqlConnection conn) {
    // "relation already exists, skipping" notices of re-runs are expected, not worth a log line.
    // A role's or database's statement or lock timeout (common on managed servers) must not cut a
    // migration that moves every row, or the wait of an instance starting beside the one migrating:
    // either would stop the start-up, every time. Both settings end with this transaction.
    return conn.query("SET LOCAL client_min_messages = warning; SET LOCAL statement_timeout = 0; "
            + "SET LOCAL lock_timeout = 0").execute()
        .compose(r -> conn.query("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")").execute())
        .compose(r -> conn.query("CREATE TABLE IF NOT EXISTS schema_version ("
            + "version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())")
            .execute())
        .compose(r -> conn.query("SELECT version FROM schema_version").execute())
        .compose(rows -> {
          Set<Integer> done = new HashSet<>();
          for (Row row : rows) {
            done.add(row.getInteger(0));
          }
          Future<Integer> chain = Future.succeededFuture(0);
          for (String name : MIGRATIONS) {
            int version = version(name);
            if (done.contains(version)) {
              continue;
            }
            chain = chain.compose(count -> conn.query(resource(name)).execute()
                .compose(r -> conn.preparedQuery("INSERT INTO schema_version (version, name) VALUES ($1, $2)")
                    .execute(Tuple.of(version, name)))
                .map(r -> count + 1));
          }
          return chain;
        });
  }

  private Future<Boolean> enableTimescale() {
    return pool.query("SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'").execute()
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(false);
          }
          return pool.query("CREATE EXTENSION IF NOT EXISTS timescaledb").execute()
              .compose(r -> pool.query("SELECT create_hypertable('" + TimescalePolicies.POINTS + "', 'ts', "
                  + "chunk_time_interval => INTERVAL '1 day', if_not_exists => TRUE, migrate_data => TRUE)")
                  .execute())
              // Stored binary CAN messages by time too, so retention drops them with their rows.
              .compose(r -> pool.query("SELECT create_hypertable('can_messages', 'first_ts', "
                  + "chunk_time_interval => INTERVAL '1 day', if_not_exists => TRUE, migrate_data => TRUE)")
                  .execute())
              .compose(r -> policies == null ? Future.succeededFuture() : policies.apply(pool))
              .map(r -> true)
              .recover(err -> {
                log.warn("TimescaleDB is installed but could not be enabled ({}); using plain tables",
                    err.getMessage());
                return Future.succeededFuture(false);
              });
        });
  }

  static int version(String name) {
    if (!name.matches("V\\d+__.+\\.sql")) {
      throw new IllegalStateException("migration name must be V<version>__<name>.sql: " + name);
    }
    return Integer.parseInt(name.substring(1, name.indexOf("__")));
  }

  private static String resource(String name) {
    try (InputStream in = SchemaMigrator.class.getResourceAsStream("/db/" + name)) {
      if (in == null) {
        throw new IllegalStateException("migration missing from the JAR: " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Result of a migration run. */
  public record SchemaInfo(int version, int appliedNow, boolean timescale) {}
}
