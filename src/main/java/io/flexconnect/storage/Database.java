package io.flexconnect.storage;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.impl.PgConnectionUriParser;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/** Creates connection pools from a {@link DatabaseConfig}. */
public final class Database {
  /** The login when neither the URL nor {@code db.user} names one (the server's administrator). */
  static final String DEFAULT_USER = "postgres";

  private Database() {}

  /**
   * Connect options for an external URL ({@code postgresql://[user[:pw]@]host:port/db}). The login
   * is the URL's user and password where it names them, else {@code db.user}/{@code db.password},
   * else {@code postgres} without a password.
   */
  public static PgConnectOptions connectOptions(DatabaseConfig config) {
    PgConnectOptions options = PgConnectOptions.fromUri(config.url());
    // fromUri fills in Vert.x's placeholders ("user"/"pass") for what the URL leaves out, so what the
    // URL itself names is read from the parse that fromUri is built on.
    JsonObject named = PgConnectionUriParser.parse(config.url());
    if (!hasText(named.getString("user"))) {
      options.setUser(hasText(config.user()) ? config.user() : DEFAULT_USER);
    }
    if (!hasText(named.getString("password"))) {
      options.setPassword(hasText(config.password()) ? config.password() : "");
    }
    return options.setCachePreparedStatements(true).setPipeliningLimit(16);
  }

  private static boolean hasText(String s) {
    return s != null && !s.isBlank();
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
