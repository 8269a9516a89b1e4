package io.flexconnect.can;

import io.flexconnect.can.DbcFiles.DbcFileException;
import io.flexconnect.storage.Database;
import io.flexconnect.storage.DatabaseConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves re-decoding requests. Deploy it as a worker verticle: decoding a long history is CPU work
 * that must not run on an event loop, and requests are taken one at a time.
 */
public final class RedecodeVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(RedecodeVerticle.class);

  /** {@link RedecodeRequest} in, {@link RedecodeResult} out; failure code 400 for a DBC that cannot be used or a range before the retention horizon. */
  public static final String ADDRESS = "flexconnect.can.redecode";

  private final CanConfig config;
  private final DatabaseConfig database;
  private Pool pool;
  private Redecoder redecoder;

  public RedecodeVerticle(CanConfig config, DatabaseConfig database) {
    this.config = config;
    this.database = database;
  }

  @Override
  public Future<?> start() {
    pool = Database.writerPool(vertx, database, 1);
    redecoder = new Redecoder(vertx, pool, config);
    vertx.eventBus().<RedecodeRequest>localConsumer(ADDRESS, this::handle);
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    return pool.close();
  }

  private void handle(Message<RedecodeRequest> message) {
    RedecodeRequest r = message.body();
    redecoder.run(r).onComplete(ar -> {
      if (ar.succeeded()) {
        RedecodeResult result = ar.result();
        log.info("Re-decoded device '{}' [{}, {}): {} messages, {} rows replaced by {} (DBC {})", r.deviceId(),
            r.fromMs(), r.toMs(), result.messages(), result.rowsDeleted(), result.rowsWritten(), result.dbcVersions());
        message.reply(result);
      } else if (ar.cause() instanceof DbcFileException || ar.cause() instanceof Redecoder.RangeRefusedException) {
        RuntimeException e = (RuntimeException) ar.cause();
        message.fail(400, e.getMessage());
      } else {
        log.warn("Re-decoding device '{}' failed: {}", r.deviceId(), ar.cause().getMessage());
        message.fail(500, ar.cause().getMessage());
      }
    });
  }
}
