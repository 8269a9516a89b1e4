package io.flexconnect.app;

import io.flexconnect.storage.DatabaseConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * Runs one CLI action against the configured database (the embedded one is started for the call
 * when the platform is not running), with the schema migrated, on a short-lived Vert.x.
 */
final class CliDatabase {
  private CliDatabase() {}

  /** Errors the user can act on, printed without a stack trace. */
  static final class UserError extends RuntimeException {
    UserError(String message) {
      super(message, null, false, false);
    }
  }

  static int run(FlexconnectConfig config, long timeoutSeconds, PrintStream err,
      BiFunction<Vertx, FlexconnectConfig, Future<Integer>> action) throws Exception {
    try (Infrastructure infra = Infrastructure.database(config)) {
      Vertx vertx = Vertx.vertx();
      Codecs.register(vertx.eventBus());
      try {
        DatabaseConfig db = infra.config().db();
        return Platform.migrate(vertx, db)
            .compose(info -> action.apply(vertx, infra.config()))
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
}
