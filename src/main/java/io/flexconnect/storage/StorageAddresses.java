package io.flexconnect.storage;

/** Event-bus addresses served by the storage feature. */
public final class StorageAddresses {
  private StorageAddresses() {}

  /** {@link TelemetryBatch} in, committed row count out. */
  public static final String TELEMETRY = "flexconnect.storage.telemetry";

  /** {@link RejectedMessage} in, an empty reply once committed. */
  public static final String REJECTED = "flexconnect.storage.rejected";

  /** Published after each commit with the {@link TelemetryBatch} of rows just stored. */
  public static final String COMMITTED = "flexconnect.storage.committed";
}
