package io.flexconnect.app;

import io.flexconnect.storage.Database;
import io.flexconnect.storage.DatabaseConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * Runs one CLI action against the configured database (the embedded one is started for the call
 * when the platform is not running).
 *
 * <p>Commands that change data run on a short-lived Vert.x after the schema migration
 * ({@link #change}); read-only commands ({@link #read}) run one query over plain JDBC and skip the
 * migration, since checking every migration costs more round trips than the query itself, and
 * migrate only when their query finds the schema missing or older than it expects.
 */
final class CliDatabase {
  /** SQLSTATEs of a query that a migration may cure: undefined table, column or function. */
  private static final Set<String> SCHEMA_BEHIND = Set.of("42P01", "42703", "42883");
  /** How long a read-only command waits for the database's answer. */
  private static final long READ_TIMEOUT_SECONDS = 60;

  private CliDatabase() {}

  /** Errors the user can act on, printed without a stack trace. */
  static final class UserError extends RuntimeException {
    UserError(String message) {
      super(message, null, false, false);
    }
  }

  /** Migrates the schema, then runs {@code action}; returns its exit code. */
  static int change(FlexconnectConfig config, long timeoutSeconds, PrintStream err,
      BiFunction<Vertx, FlexconnectConfig, Future<Integer>> action) throws Exception {
    return withVertx(config, quietOptions(), timeoutSeconds, err, (vertx, resolved) -> {
      Codecs.register(vertx.eventBus()); // re-decoding sends records to its verticle
      return Platform.migrate(vertx, resolved.db()).compose(info -> action.apply(vertx, resolved));
    });
  }

  /** A read-only query over one JDBC connection. */
  @FunctionalInterface
  interface JdbcQuery<T> {
    T run(Connection conn) throws SQLException;
  }

  /** What a read-only command makes of its query's result (prints it, writes a file); its exit code. */
  @FunctionalInterface
  interface Output<T> {
    int write(T result) throws IOException;
  }

  /**
   * Runs a read-only {@code query} over one plain JDBC connection, without a Vert.x instance: one
   * query needs no event loop, and starting one (with Netty and the reactive client) costs most of
   * a command's time. Skips the migration; when the query finds the schema missing or older than it
   * expects, migrates (on a short-lived Vert.x: rare) and queries once more. {@code output} sees only
   * a successful result, so a retry prints nothing twice; returns its exit code.
   */
  static <T> int read(FlexconnectConfig config, PrintStream err, JdbcQuery<T> query, Output<T> output)
      throws Exception {
    try (Infrastructure infra = Infrastructure.database(config)) {
      DatabaseConfig db = infra.config().db();
      T result;
      try {
        result = query(db, query);
      } catch (SQLException e) {
        if (!SCHEMA_BEHIND.contains(e.getSQLState())) {
          err.println("error: " + e);
          return 1;
        }
        int migrated = onVertx(infra.config(), quietOptions(), 60, err,
            (vertx, resolved) -> Platform.migrate(vertx, resolved.db()).map(info -> 0));
        if (migrated != 0) {
          return migrated;
        }
        try {
          result = query(db, query);
        } catch (SQLException again) {
          err.println("error: " + again);
          return 1;
        }
      }
      return output.write(result);
    }
  }

  private static <T> T query(DatabaseConfig db, JdbcQuery<T> query) throws SQLException {
    try (Connection conn = Database.openConnection(db, "flexconnect-cli")) {
      conn.setNetworkTimeout(Runnable::run, (int) TimeUnit.SECONDS.toMillis(READ_TIMEOUT_SECONDS));
      return query.run(conn);
    }
  }

  private static int withVertx(FlexconnectConfig config, VertxOptions options, long timeoutSeconds, PrintStream err,
      BiFunction<Vertx, FlexconnectConfig, Future<Integer>> action) throws Exception {
    try (Infrastructure infra = Infrastructure.database(config)) {
      return onVertx(infra.config(), options, timeoutSeconds, err, action);
    }
  }

  /** Runs {@code action} on a Vert.x created for it against the {@code resolved} database. */
  private static int onVertx(FlexconnectConfig resolved, VertxOptions options, long timeoutSeconds, PrintStream err,
      BiFunction<Vertx, FlexconnectConfig, Future<Integer>> action) throws Exception {
    Vertx vertx = Vertx.vertx(options);
    try {
      return action.apply(vertx, resolved)
          .toCompletionStage().toCompletableFuture().get(timeoutSeconds, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      boolean expected = cause instanceof UserError
          || cause instanceof io.flexconnect.device.DeviceRegistry.DeviceException
          || cause instanceof io.vertx.core.eventbus.ReplyException
          || ApiKeyCli.expected(cause);
      err.println("error: " + (expected ? cause.getMessage() : cause.toString()));
      return 1;
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /**
   * Without the blocked-thread warning: a command's event loop loads its classes cold, which on a
   * busy machine takes seconds; warning about it would only clutter the command's stderr.
   */
  private static VertxOptions quietOptions() {
    return new VertxOptions().setMaxEventLoopExecuteTime(60).setMaxEventLoopExecuteTimeUnit(TimeUnit.SECONDS);
  }
}
