package io.flexconnect.storage;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/** Creates connection pools from a {@link DatabaseConfig}. */
public final class Database {
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
}
