package io.flexconnect.codec.can;

/**
 * Bounds applied by {@link CanMessageDecoder}. Every length a device declares is checked against
 * these before it is trusted, so a crafted message costs at most a bounded amount of memory and CPU.
 *
 * @param maxTokenBytes largest accepted token, in bytes (default 1024)
 * @param maxDecompressedBytes largest accepted output of a {@code 0xFC} gzip message (default 16 MiB)
 * @param maxPoints most CAN points in one message (default 65,536)
 * @param maxReadingsPerPoint most readings in one point (default 65,535, i.e. what the u16 allows;
 *     a point's u16 {@code Length} caps it at 13,104 anyway)
 * @param maxDlcSearchSteps budget, per message, for the search that resolves ambiguous DLCs (codes
 *     9–15) when neither all-CAN-FD-codes nor all-byte-counts fits a point's {@code Length}; each
 *     tried interpretation of one reading costs one step (default 10,000: about a millisecond at
 *     worst, enough for mixed points of a few dozen readings)
 * @param allowEmptyMessage whether a message with a token and no points is accepted (default
 *     {@code false}: it is rejected as {@code TRUNCATED}, since it carries no data and most often
 *     means the device cut the message short)
 */
public record CanDecoderLimits(
    int maxTokenBytes,
    int maxDecompressedBytes,
    int maxPoints,
    int maxReadingsPerPoint,
    int maxDlcSearchSteps,
    boolean allowEmptyMessage) {

  /** The defaults listed on the record components. */
  public static final CanDecoderLimits DEFAULTS =
      new CanDecoderLimits(1024, 16 * 1024 * 1024, 65_536, 65_535, 10_000, false);

  public CanDecoderLimits {
    requirePositive(maxTokenBytes, "maxTokenBytes");
    requirePositive(maxDecompressedBytes, "maxDecompressedBytes");
    requirePositive(maxPoints, "maxPoints");
    requirePositive(maxReadingsPerPoint, "maxReadingsPerPoint");
    requirePositive(maxDlcSearchSteps, "maxDlcSearchSteps");
    if (maxDecompressedBytes == Integer.MAX_VALUE) {
      // Gunzip allocates up to maxOutput + 1 bytes.
      throw new IllegalArgumentException("maxDecompressedBytes must be below Integer.MAX_VALUE");
    }
  }

  /** The defaults. */
  public static CanDecoderLimits defaults() {
    return DEFAULTS;
  }

  public CanDecoderLimits withMaxTokenBytes(int value) {
    return new CanDecoderLimits(value, maxDecompressedBytes, maxPoints, maxReadingsPerPoint,
        maxDlcSearchSteps, allowEmptyMessage);
  }

  public CanDecoderLimits withMaxDecompressedBytes(int value) {
    return new CanDecoderLimits(maxTokenBytes, value, maxPoints, maxReadingsPerPoint,
        maxDlcSearchSteps, allowEmptyMessage);
  }

  public CanDecoderLimits withMaxPoints(int value) {
    return new CanDecoderLimits(maxTokenBytes, maxDecompressedBytes, value, maxReadingsPerPoint,
        maxDlcSearchSteps, allowEmptyMessage);
  }

  public CanDecoderLimits withMaxReadingsPerPoint(int value) {
    return new CanDecoderLimits(maxTokenBytes, maxDecompressedBytes, maxPoints, value,
        maxDlcSearchSteps, allowEmptyMessage);
  }

  public CanDecoderLimits withMaxDlcSearchSteps(int value) {
    return new CanDecoderLimits(maxTokenBytes, maxDecompressedBytes, maxPoints, maxReadingsPerPoint,
        value, allowEmptyMessage);
  }

  public CanDecoderLimits withAllowEmptyMessage(boolean value) {
    return new CanDecoderLimits(maxTokenBytes, maxDecompressedBytes, maxPoints, maxReadingsPerPoint,
        maxDlcSearchSteps, value);
  }

  private static void requirePositive(int value, String name) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }
}
