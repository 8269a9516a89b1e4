package io.flexconnect.rules;

/** Event-bus addresses of the processing stage. */
public final class ProcessingAddresses {
  private ProcessingAddresses() {}

  /** A {@code TelemetryBatch} of one message in, the processed {@code TelemetryBatch} out. */
  public static final String PROCESS = "flexconnect.rules.process";
}
