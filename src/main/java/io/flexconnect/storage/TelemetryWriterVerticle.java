package io.flexconnect.storage;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes telemetry and rejected messages in batches. Requests are collected until {@code
 * batchRows} rows wait or {@code batchIntervalMs} passed, then written in one transaction; every
 * request is answered only after that transaction committed (or failed), which is what lets the
 * MQTT side acknowledge a message only once its rows are safe.
 *
 * <p>One flush runs at a time: rows arriving meanwhile form the next batch. This keeps "last write
 * wins" true to arrival order for two values at the same key.
 */
public final class TelemetryWriterVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(TelemetryWriterVerticle.class);
  private static final long PRUNE_INTERVAL_MS = 60_000;

  private final DatabaseConfig database;
  private final StorageConfig config;
  private Pool pool;
  private TelemetryStatements statements;

  private List<Message<?>> pending = new ArrayList<>();
  private int pendingRows;
  private boolean flushing;
  private long timerId = -1;
  private boolean failing;
  private final WriterStats stats = new WriterStats();

  public TelemetryWriterVerticle(DatabaseConfig database, StorageConfig config) {
    this.database = database;
    this.config = config;
  }

  @Override
  public Future<?> start() {
    pool = Database.pool(vertx, database, 2);
    statements = new TelemetryStatements(config.rejectedKeep());
    vertx.eventBus().<TelemetryBatch>localConsumer(StorageAddresses.TELEMETRY, this::accept);
    vertx.eventBus().<RejectedMessage>localConsumer(StorageAddresses.REJECTED, this::accept);
    vertx.setPeriodic(PRUNE_INTERVAL_MS, id -> pool.withConnection(statements::pruneRejected)
        .onFailure(err -> log.debug("pruning rejected messages failed: {}", err.getMessage())));
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    return pool == null ? Future.succeededFuture() : pool.close();
  }

  /** Counters for health and metrics. */
  public WriterStats stats() {
    return stats;
  }

  private void accept(Message<?> message) {
    int rows = rowsOf(message.body());
    if (pendingRows + rows > config.maxPendingRows()) {
      stats.overloaded++;
      message.fail(503, "storage overloaded: " + pendingRows + " rows waiting");
      return;
    }
    pending.add(message);
    pendingRows += rows;
    if (pendingRows >= config.batchRows()) {
      flush();
    } else if (timerId < 0 && !flushing) {
      timerId = vertx.setTimer(config.batchIntervalMs(), id -> {
        timerId = -1;
        flush();
      });
    }
  }

  private static int rowsOf(Object body) {
    return body instanceof TelemetryBatch batch ? batch.rows().size() : 1;
  }

  private void flush() {
    if (flushing || pending.isEmpty()) {
      return;
    }
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
    List<Message<?>> batch = pending;
    pending = new ArrayList<>();
    pendingRows = 0;
    flushing = true;

    List<TelemetryRow> rows = new ArrayList<>();
    List<RejectedMessage> rejected = new ArrayList<>();
    List<RawCanMessage> raw = new ArrayList<>();
    for (Message<?> m : batch) {
      if (m.body() instanceof TelemetryBatch t) {
        rows.addAll(t.rows());
        if (t.raw() != null) {
          raw.add(t.raw());
        }
      } else if (m.body() instanceof RejectedMessage r) {
        rejected.add(r);
      }
    }
    long started = System.nanoTime();
    Function<SqlConnection, Future<Integer>> work = conn -> statements.write(conn, rows, raw, rejected);
    pool.withTransaction(work).onComplete(ar -> {
      flushing = false;
      if (ar.succeeded()) {
        stats.recordFlush(rows.size(), rejected.size(), System.nanoTime() - started);
        log.debug("Committed {} rows and {} rejections", rows.size(), rejected.size());
        if (failing) {
          log.info("Storage recovered: writes succeed again");
          failing = false;
        }
        for (Message<?> m : batch) {
          m.reply(rowsOf(m.body()));
        }
        if (!rows.isEmpty()) {
          vertx.eventBus().publish(StorageAddresses.COMMITTED, new TelemetryBatch(rows));
        }
      } else {
        stats.failedFlushes++;
        if (!failing) {
          log.warn("Storage write failed, messages stay unacknowledged and are retried: {}",
              ar.cause().getMessage());
          failing = true;
        }
        for (Message<?> m : batch) {
          m.fail(503, "storage write failed: " + ar.cause().getMessage());
        }
      }
      if (pendingRows >= config.batchRows()) {
        flush();
      } else if (!pending.isEmpty() && timerId < 0) {
        timerId = vertx.setTimer(config.batchIntervalMs(), id -> {
          timerId = -1;
          flush();
        });
      }
    });
  }

  /** Writer counters; read on the writer's event loop or as a racy snapshot for metrics. */
  public static final class WriterStats {
    long flushes;
    long rowsWritten;
    long rejectedWritten;
    long failedFlushes;
    long overloaded;
    long lastFlushNanos;

    void recordFlush(int rows, int rejected, long nanos) {
      flushes++;
      rowsWritten += rows;
      rejectedWritten += rejected;
      lastFlushNanos = nanos;
    }

    public long flushes() {
      return flushes;
    }

    public long rowsWritten() {
      return rowsWritten;
    }

    public long failedFlushes() {
      return failedFlushes;
    }
  }
}
