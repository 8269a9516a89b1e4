package io.flexconnect.storage;

/** Event-bus addresses served by the storage feature. */
public final class StorageAddresses {
  private StorageAddresses() {}

  /** {@link TelemetryBatch} in, committed row count out. */
  public static final String TELEMETRY = "flexconnect.storage.telemetry";

  /** {@link RejectedMessage} in, an empty reply once committed. */
  public static final String REJECTED = "flexconnect.storage.rejected";

  /**
   * Failure code of a {@link #TELEMETRY} or {@link #REJECTED} request the database refuses for good
   * (see {@link WriteFailure.Kind#DATA}): the message is to be rejected, not retried. Any other failure
   * means "not stored, retry".
   */
  public static final int REFUSED = 422;

  /** Any body in, the writer's {@link StorageStatus} out. */
  public static final String STATUS = "flexconnect.storage.status";

  /** Published after each commit with the {@link TelemetryBatch} of rows just stored. */
  public static final String COMMITTED = "flexconnect.storage.committed";

  /**
   * Published locally with the {@link TelemetryBatch} of rows another member of the cluster just
   * committed (for live streams only: alerting runs where the rows were committed).
   */
  public static final String COMMITTED_ELSEWHERE = "flexconnect.storage.committed.elsewhere";

  /**
   * Published with a {@link StorageState} when writes start failing or commit again, so that
   * messages waiting for storage are retried at once instead of each sleeping out a backoff.
   */
  public static final String STATE = "flexconnect.storage.state";

  /**
   * Published with {@code true} when more than {@code storage.maxPendingRows} rows wait for a flush,
   * and {@code false} once they are down to half of it: intake stops reading new messages meanwhile.
   * The writer never refuses work for its backlog; this is what keeps the backlog bounded.
   */
  public static final String BACKLOG = "flexconnect.storage.backlog";
}
