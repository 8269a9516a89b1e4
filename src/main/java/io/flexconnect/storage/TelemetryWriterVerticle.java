package io.flexconnect.storage;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.Message;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.sqlclient.Pool;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes telemetry and rejected messages in batches. Requests are collected until {@code
 * batchRows} rows wait or {@code batchIntervalMs} passed, then written in one transaction of at
 * most {@code batchRows} rows; every request is answered only after that transaction committed (or
 * failed), which is what lets the MQTT side acknowledge a message only once its rows are safe.
 *
 * <p>Work is split into {@code writers} lanes by device, each with its own connection and one
 * flush at a time: flushes of different devices overlap, while a device's rows are always written
 * in arrival order, so "last write wins" follows arrival order for two values at the same key.
 * While a lane flushes, the next batch gathers and is written as soon as the flush commits.
 *
 * <p>Flushes run over JDBC on a bounded worker pool ({@code writerThreads}), one JDBC connection
 * per lane, because binary COPY ({@link FlushWriter}) is not available on Vert.x's client; the
 * event loop only gathers requests and answers them.
 *
 * <p>A message whose rows the database refuses for good is isolated from its flush (the others
 * commit) and answered with {@link StorageAddresses#REFUSED}, so it is rejected rather than retried
 * forever; a failure of storage as a whole leaves every message of the flush unanswered-for-retry
 * and shows as failing in {@link StorageStatus}. See {@link WriteFailure}.
 */
public final class TelemetryWriterVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(TelemetryWriterVerticle.class);
  private static final long PRUNE_INTERVAL_MS = 60_000;

  private final DatabaseConfig database;
  private final StorageConfig config;
  private final WriterStats stats = new WriterStats();
  private Pool pool;
  private WorkerExecutor workers;
  private TelemetryStatements statements;
  private Lane[] lanes;
  private boolean failing;
  private long failingSinceMs;
  private WriteFailure lastFailure;
  private final Set<String> refusalsLogged = new HashSet<>();
  private int totalPendingRows;
  private boolean backlogged;

  private final MeterRegistry meters;
  private Timer flushTimer;
  private DistributionSummary flushRows;

  public TelemetryWriterVerticle(DatabaseConfig database, StorageConfig config, MeterRegistry meters) {
    this.database = database;
    this.config = config;
    this.meters = meters;
  }

  @Override
  public Future<?> start() {
    pool = Database.pool(vertx, database, 1); // pruning only: flushes use the lanes' JDBC connections
    workers = vertx.createSharedWorkerExecutor("flexconnect-storage-writer", config.writerThreads());
    statements = new TelemetryStatements(config.rejectedKeep());
    lanes = new Lane[config.writers()];
    for (int i = 0; i < lanes.length; i++) {
      lanes[i] = new Lane();
    }
    flushTimer = Timer.builder("flexconnect.storage.flush").description("one transaction of the writer")
        .publishPercentiles(0.5, 0.99).register(meters);
    flushRows = DistributionSummary.builder("flexconnect.storage.flush.rows").description("rows per flush")
        .register(meters);
    Gauge.builder("flexconnect.storage.pending.rows", this, w -> w.totalPendingRows)
        .description("rows waiting for a flush").register(meters);
    FunctionCounter.builder("flexconnect.storage.rows.written", stats, st -> st.rowsWritten)
        .description("telemetry rows committed").register(meters);
    FunctionCounter.builder("flexconnect.storage.flush.failures", stats, st -> st.failedFlushes)
        .description("flushes that failed (their messages are retried)").register(meters);
    FunctionCounter.builder("flexconnect.storage.refused", stats, st -> st.refused)
        .description("messages the database refuses for good (rejected as storage_refused)").register(meters);
    FunctionCounter.builder("flexconnect.storage.copy.fallbacks", stats, st -> st.copyFallbacks)
        .description("flushes whose COPY met rows already stored (redeliveries) and were written as an upsert")
        .register(meters);
    FunctionCounter.builder("flexconnect.storage.backlog.holds", stats, st -> st.backlogHolds)
        .description("times more than storage.maxPendingRows rows waited and intake was asked to hold").register(meters);
    Gauge.builder("flexconnect.storage.pending.rows.peak", stats, st -> st.peakPendingRows)
        .description("most rows that ever waited for a flush").register(meters);
    vertx.eventBus().<TelemetryBatch>localConsumer(StorageAddresses.TELEMETRY, this::accept);
    vertx.eventBus().<RejectedMessage>localConsumer(StorageAddresses.REJECTED, this::accept);
    vertx.eventBus().localConsumer(StorageAddresses.STATUS, m -> m.reply(status()));
    vertx.setPeriodic(PRUNE_INTERVAL_MS, id -> pool.withConnection(statements::pruneRejected)
        .onFailure(err -> log.debug("pruning rejected messages failed: {}", err.getMessage())));
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    if (pool == null) {
      return Future.succeededFuture();
    }
    return workers.executeBlocking(() -> {
      for (Lane lane : lanes) {
        lane.closeConnection();
      }
      return null;
    }, false).eventually(workers::close).eventually(pool::close);
  }

  /** Counters for health and metrics. */
  public WriterStats stats() {
    return stats;
  }

  private void accept(Message<?> message) {
    laneOf(message.body()).accept(message);
  }

  private Lane laneOf(Object body) {
    if (body instanceof TelemetryBatch batch && !batch.rows().isEmpty()) {
      return lanes[Math.floorMod(batch.rows().get(0).deviceId().hashCode(), lanes.length)];
    }
    if (body instanceof TelemetryBatch batch && batch.raw() != null) {
      return lanes[Math.floorMod(batch.raw().deviceId().hashCode(), lanes.length)];
    }
    return lanes[0];
  }

  /**
   * Work is never refused for the backlog (a refused message would be decoded again and again):
   * above {@code maxPendingRows} waiting rows the writer asks intake to stop reading instead, and to
   * read again at half of it. What arrives meanwhile was already in flight, so the backlog stays
   * within {@code maxPendingRows} plus what intake holds ({@code mqtt.maxUnacknowledged} messages).
   */
  private void backlogChanged(int rowsDelta) {
    totalPendingRows += rowsDelta;
    stats.peakPendingRows = Math.max(stats.peakPendingRows, totalPendingRows);
    if (!backlogged && totalPendingRows > config.maxPendingRows()) {
      backlogged = true;
      stats.backlogHolds++;
      log.debug("Backlog of {} rows: asking intake to hold", totalPendingRows);
      vertx.eventBus().publish(StorageAddresses.BACKLOG, true);
    } else if (backlogged && totalPendingRows <= config.maxPendingRows() / 2) {
      backlogged = false;
      vertx.eventBus().publish(StorageAddresses.BACKLOG, false);
    }
  }

  private static int rowsOf(Object body) {
    return body instanceof TelemetryBatch batch ? Math.max(1, batch.rows().size()) : 1;
  }

  /** One sequence of flushes, on one connection at a time. */
  private final class Lane {
    private List<Message<?>> pending = new ArrayList<>();
    private int pendingRows;
    private boolean flushing;
    private long timerId = -1;
    // Used by one worker thread at a time: a lane runs one flush at a time.
    private volatile Connection connection;
    // Its series-id cache likewise; one per lane, so lanes never contend for it.
    private final FlushWriter flushWriter = new FlushWriter(config.copy());

    void accept(Message<?> message) {
      int rows = rowsOf(message.body());
      pending.add(message);
      pendingRows += rows;
      backlogChanged(rows);
      if (flushing) {
        return; // written as soon as the running flush commits
      }
      if (pendingRows >= config.batchRows()) {
        flush();
      } else if (timerId < 0) {
        timerId = vertx.setTimer(config.batchIntervalMs(), id -> {
          timerId = -1;
          flush();
        });
      }
    }

    private void flush() {
      if (flushing || pending.isEmpty()) {
        return;
      }
      if (timerId >= 0) {
        vertx.cancelTimer(timerId);
        timerId = -1;
      }
      List<Message<?>> batch = takeBatch();
      flushing = true;
      write(this, batch).onComplete(ar -> {
        flushing = false;
        if (!pending.isEmpty()) {
          flush(); // what gathered meanwhile has waited a whole flush already
        }
      });
    }

    /** Up to {@code batchRows} rows of the oldest requests (always at least one request). */
    private List<Message<?>> takeBatch() {
      int rows = 0;
      int count = 0;
      while (count < pending.size()) {
        int next = rowsOf(pending.get(count).body());
        if (count > 0 && rows + next > config.batchRows()) {
          break;
        }
        rows += next;
        count++;
      }
      List<Message<?>> batch;
      if (count == pending.size()) {
        batch = pending;
        pending = new ArrayList<>();
      } else {
        batch = new ArrayList<>(pending.subList(0, count));
        pending = new ArrayList<>(pending.subList(count, pending.size()));
      }
      pendingRows -= rows;
      backlogChanged(-rows);
      return batch;
    }

    /** Writes one flush on this lane's connection (opened on first use, replaced after a storage failure). */
    FlushWriter.Outcome writeBlocking(FlushWriter.Flush flush) throws SQLException {
      if (connection == null) {
        connection = Database.openWriterConnection(database);
      }
      try {
        return flushWriter.write(connection, flush);
      } catch (SQLException | RuntimeException e) {
        if (WriteFailure.of(e).kind() == WriteFailure.Kind.STORAGE) {
          closeConnection();
        }
        throw e;
      }
    }

    void closeConnection() {
      Connection conn = connection;
      connection = null;
      if (conn != null) {
        try {
          conn.close();
        } catch (SQLException e) {
          log.debug("closing a writer connection failed: {}", e.getMessage());
        }
      }
    }
  }

  /**
   * Writes the messages in one transaction. When the database refuses their rows for good (a
   * {@link WriteFailure.Kind#DATA} error), the batch is halved and each half written again in order,
   * down to the single message that cannot be stored, which is refused: the others commit, and a
   * poison message never blocks the ones behind it. Completes with false when storage itself failed
   * (the messages not committed then are failed, to be retried).
   */
  private Future<Boolean> write(Lane lane, List<Message<?>> batch) {
    List<TelemetryRow> rows = new ArrayList<>();
    List<RejectedMessage> rejected = new ArrayList<>();
    List<RawCanMessage> raw = new ArrayList<>();
    Map<String, Long> messagesByDevice = new HashMap<>();
    for (Message<?> m : batch) {
      if (m.body() instanceof TelemetryBatch t) {
        if (!t.rows().isEmpty()) {
          messagesByDevice.merge(t.rows().get(0).deviceId(), 1L, Long::sum);
        }
        rows.addAll(t.rows());
        if (t.raw() != null) {
          raw.add(t.raw());
        }
      } else if (m.body() instanceof RejectedMessage r) {
        rejected.add(r);
      }
    }
    long started = System.nanoTime();
    FlushWriter.Flush flush = new FlushWriter.Flush(rows, raw, rejected, messagesByDevice);
    return workers.executeBlocking(() -> lane.writeBlocking(flush), false)
        .transform(ar -> {
          if (ar.succeeded()) {
            if (ar.result().upsertedAfterConflict()) {
              stats.copyFallbacks++;
            }
            committed(batch, rows, rejected.size(), System.nanoTime() - started);
            return Future.succeededFuture(true);
          }
          WriteFailure failure = WriteFailure.of(ar.cause());
          if (failure.kind() == WriteFailure.Kind.STORAGE) {
            failed(batch, failure);
            return Future.succeededFuture(false);
          }
          if (batch.size() == 1) {
            refuse(batch.get(0), failure);
            return Future.succeededFuture(true);
          }
          List<Message<?>> first = batch.subList(0, batch.size() / 2);
          List<Message<?>> second = batch.subList(batch.size() / 2, batch.size());
          return write(lane, first).compose(ok -> {
            if (ok) {
              return write(lane, second);
            }
            failed(second, lastFailure);
            return Future.succeededFuture(false);
          });
        });
  }

  /** Answers a message whose rows the database can never store, so it is rejected instead of retried. */
  private void refuse(Message<?> message, WriteFailure failure) {
    stats.refused++;
    boolean first = refusalsLogged.add(String.valueOf(failure.sqlState()));
    String what = message.body() instanceof RejectedMessage ? "a rejection record (dropped)" : "a message (rejected)";
    if (first) {
      log.warn("The database refuses {} for good: {}; further refusals with SQLSTATE {} are logged at debug",
          what, failure.describe(), failure.sqlState());
    } else {
      log.debug("The database refuses {} for good: {}", what, failure.describe());
    }
    if (message.body() instanceof RejectedMessage) {
      message.reply(0); // the refusal it records stands; retrying its record would block the device forever
    } else {
      message.fail(StorageAddresses.REFUSED, failure.describe());
    }
  }

  private void committed(List<Message<?>> batch, List<TelemetryRow> rows, int rejected, long nanos) {
    stats.recordFlush(rows.size(), rejected, nanos);
    flushTimer.record(nanos, TimeUnit.NANOSECONDS);
    flushRows.record(rows.size());
    log.debug("Committed {} rows and {} rejections in {} ms", rows.size(), rejected, nanos / 1_000_000);
    if (failing) {
      log.info("Storage recovered: writes succeed again");
      failing = false;
      vertx.eventBus().publish(StorageAddresses.STATE, StorageState.WRITABLE);
    }
    for (Message<?> m : batch) {
      m.reply(m.body() instanceof TelemetryBatch t ? t.rows().size() : 1);
    }
    if (!rows.isEmpty()) {
      vertx.eventBus().publish(StorageAddresses.COMMITTED, new TelemetryBatch(rows));
    }
  }

  private void failed(List<Message<?>> batch, WriteFailure failure) {
    stats.failedFlushes++;
    lastFailure = failure;
    if (!failing) {
      log.warn("Storage write failed, messages stay unacknowledged and are retried: {}", failure.describe());
      failing = true;
      failingSinceMs = System.currentTimeMillis();
      vertx.eventBus().publish(StorageAddresses.STATE, StorageState.FAILING);
    }
    for (Message<?> m : batch) {
      m.fail(503, "storage write failed: " + failure.describe());
    }
  }

  private StorageStatus status() {
    return new StorageStatus(failing, failing && lastFailure != null ? lastFailure.describe() : null,
        failing ? failingSinceMs : 0, stats.refused);
  }

  /** Writer counters; read on the writer's event loop or as a racy snapshot for metrics. */
  public static final class WriterStats {
    long flushes;
    long rowsWritten;
    long rejectedWritten;
    long failedFlushes;
    long backlogHolds;
    long peakPendingRows;
    long refused;
    long copyFallbacks;
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
