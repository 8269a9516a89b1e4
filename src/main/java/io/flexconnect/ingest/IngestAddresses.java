package io.flexconnect.ingest;

/** Event-bus addresses served by the ingest feature. */
public final class IngestAddresses {
  private IngestAddresses() {}

  /** {@link RawMessage} in, {@link IngestOutcome} out once committed; a failure means retry. */
  public static final String RAW = "flexconnect.ingest.raw";
}
