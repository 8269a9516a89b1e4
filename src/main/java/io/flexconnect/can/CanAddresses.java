package io.flexconnect.can;

/** Event-bus addresses of the CAN feature. */
public final class CanAddresses {
  private CanAddresses() {}

  /** {@code RawMessage} in, {@link CanDecodeResult} out. */
  public static final String DECODE = "flexconnect.can.decode";

  /** {@link ExtractionRequest} in, {@link Extraction} out. */
  public static final String EXTRACT = "flexconnect.can.extract";

  /** A device id (String) in, its unknown-frame counts (JsonObject: ID in hex → count) out. */
  public static final String UNKNOWN_FRAMES = "flexconnect.can.unknown-frames";
}
