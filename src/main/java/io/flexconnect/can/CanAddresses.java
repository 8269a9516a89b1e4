package io.flexconnect.can;

/** Event-bus addresses of the CAN feature. */
public final class CanAddresses {
  private CanAddresses() {}

  /** {@code RawMessage} in, {@link CanDecodeResult} out. */
  public static final String DECODE = "flexconnect.can.decode";

  /** {@link ExtractionRequest} in, {@link Extraction} out. */
  public static final String EXTRACT = "flexconnect.can.extract";
}
