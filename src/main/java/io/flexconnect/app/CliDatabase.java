package io.flexconnect.app;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.pgclient.PgException;
import java.io.PrintStream;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * Runs one CLI action against the configured database (the embedded one is started for the call
 * when the platform is not running) on a short-lived, small Vert.x.
 *
 * <p>Commands that change data run after the schema migration ({@link #change}); read-only commands
 * ({@link #read}) skip it, since checking every migration costs more round trips than the query
 * itself, and migrate only when their query finds the schema missing or older than it expects.
 */
final class CliDatabase {
  /** SQLSTATEs of a query that a migration may cure: undefined table, column or function. */
  private static final Set<String> SCHEMA_BEHIND = Set.of("42P01", "42703", "42883");

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

  /**
   * Runs a read-only {@code action} without migrating first; when it fails on a schema that lacks
   * what it reads (a new database, an older version), migrates and runs it once more. The action
   * prints only on success, so a retry prints nothing twice.
   */
  static int read(FlexconnectConfig config, long timeoutSeconds, PrintStream err,
      BiFunction<Vertx, FlexconnectConfig, Future<Integer>> action) throws Exception {
    return withVertx(config, readOptions(), timeoutSeconds, err, (vertx, resolved) -> action.apply(vertx, resolved)
        .recover(failure -> schemaBehind(failure)
            ? Platform.migrate(vertx, resolved.db()).compose(info -> action.apply(vertx, resolved))
            : Future.failedFuture(failure)));
  }

  static boolean schemaBehind(Throwable failure) {
    return failure instanceof PgException pg && SCHEMA_BEHIND.contains(pg.getSqlState());
  }

  private static int withVertx(FlexconnectConfig config, VertxOptions options, long timeoutSeconds, PrintStream err,
      BiFunction<Vertx, FlexconnectConfig, Future<Integer>> action) throws Exception {
    try (Infrastructure infra = Infrastructure.database(config)) {
      Vertx vertx = Vertx.vertx(options);
      try {
        return action.apply(vertx, infra.config())
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
  }

  /**
   * Without the blocked-thread warning: a command's event loop loads its classes cold, which on a
   * busy machine takes seconds; warning about it would only clutter the command's stderr.
   */
  private static VertxOptions quietOptions() {
    return new VertxOptions().setMaxEventLoopExecuteTime(60).setMaxEventLoopExecuteTimeUnit(TimeUnit.SECONDS);
  }

  /** One query's worth of Vert.x: one event loop, few workers, no file cache (nothing is served). */
  private static VertxOptions readOptions() {
    return quietOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2).setInternalBlockingPoolSize(1)
        .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false).setClassPathResolvingEnabled(false));
  }
}
