package io.flexconnect.storage;

import io.flexconnect.common.Checks;
import io.flexconnect.common.ConfigException;

/**
 * Batching of the telemetry writer.
 *
 * @param batchRows flush as soon as this many rows wait; also the most rows one transaction writes
 * @param batchIntervalMs flush at the latest this long after the first row arrived
 * @param maxPendingRows above this many waiting rows the writer asks intake to stop reading new messages
 *     until half of them are written; it never refuses work, so nothing is decoded twice
 * @param rejectedKeep how many rejected messages {@code rejected_messages} keeps
 * @param rejectedPayloadBytes how many leading payload bytes are kept per rejected message
 * @param writers parallel write lanes (connections), split by device so each device keeps its order
 * @param retentionDays on TimescaleDB, telemetry older than this many days is dropped; 0 keeps it
 * @param compressAfterDays on TimescaleDB, telemetry older than this many days is compressed; 0 never
 * @param copy write telemetry by binary COPY, falling back to the upsert for a flush holding rows
 *     already stored (a redelivery); false always upserts
 * @param writerThreads worker threads running the writer's blocking JDBC flushes (the JDBC
 *     connections are one per lane, so at most {@code writers} of them)
 */
public record StorageConfig(
    int batchRows, int batchIntervalMs, int maxPendingRows, int rejectedKeep, int rejectedPayloadBytes,
    int writers, int retentionDays, int compressAfterDays, boolean copy, int writerThreads) {

  public void validate() {
    Checks.positive("storage.batchRows", batchRows);
    Checks.positive("storage.batchIntervalMs", batchIntervalMs);
    Checks.positive("storage.maxPendingRows", maxPendingRows);
    Checks.positive("storage.rejectedKeep", rejectedKeep);
    Checks.nonNegative("storage.rejectedPayloadBytes", rejectedPayloadBytes);
    Checks.positive("storage.writers", writers);
    Checks.atMost("storage.writers", writers, 64);
    Checks.positive("storage.writerThreads", writerThreads);
    Checks.atMost("storage.writerThreads", writerThreads, 64);
    Checks.nonNegative("storage.retentionDays", retentionDays);
    Checks.nonNegative("storage.compressAfterDays", compressAfterDays);
    if (maxPendingRows < batchRows) {
      throw new ConfigException(
          "storage.maxPendingRows (" + maxPendingRows + ") must be at least storage.batchRows (" + batchRows + ")");
    }
  }

  /** The TimescaleDB compression and retention these settings ask for. */
  public TimescalePolicies timescalePolicies() {
    return new TimescalePolicies(retentionDays, compressAfterDays);
  }
}
