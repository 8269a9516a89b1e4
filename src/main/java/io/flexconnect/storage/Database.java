package io.flexconnect.storage;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates connection pools from a {@link DatabaseConfig}. */
public final class Database {
  private static final Logger log = LoggerFactory.getLogger(Database.class);

  /**
   * TimescaleDB refuses a transaction that decompresses more than this many rows of compressed
   * chunks (default 100,000, SQLSTATE 53400). Late data upserted into a compressed day and a
   * re-decode of a compressed range must decompress what they touch, however much that is; writers
   * lift the limit for their sessions. On plain PostgreSQL the setting is an inert placeholder.
   */
  static final String LIFT_DECOMPRESSION_LIMIT = "SET timescaledb.max_tuples_decompressed_per_dml_transaction = 0";

  private Database() {}

  /** Connect options for an external URL ({@code postgresql://user:pw@host:port/db}). */
  public static PgConnectOptions connectOptions(DatabaseConfig config) {
    PgConnectOptions options = PgConnectOptions.fromUri(config.url());
    if (!config.user().isBlank() && (options.getUser() == null || options.getUser().isBlank())) {
      options.setUser(config.user());
    }
    if (!config.password().isBlank() && (options.getPassword() == null || options.getPassword().isBlank())) {
      options.setPassword(config.password());
    }
    return options.setCachePreparedStatements(true).setPipeliningLimit(16);
  }

  /** A pool of {@code config.poolSize()} connections, or {@code size} when given (> 0). */
  public static Pool pool(Vertx vertx, DatabaseConfig config, int size) {
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(size > 0 ? size : config.poolSize()))
        .connectingTo(connectOptions(config))
        .using(vertx)
        .build();
  }

  /**
   * A pool for connections that write telemetry, which may land in compressed TimescaleDB chunks:
   * like {@link #pool}, with the per-transaction decompression limit lifted on every connection.
   */
  public static Pool writerPool(Vertx vertx, DatabaseConfig config, int size) {
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(size > 0 ? size : config.poolSize()))
        .connectingTo(connectOptions(config))
        .withConnectHandler(conn -> conn.query(LIFT_DECOMPRESSION_LIMIT).execute().onComplete(ar -> {
          if (ar.failed()) {
            log.warn("Cannot lift the TimescaleDB decompression limit ({}); late data into compressed chunks "
                + "may be refused", ar.cause().getMessage());
          }
          conn.close(); // hands the connection to the pool
        }))
        .using(vertx)
        .build();
  }
}
