package io.flexconnect.codec.json;

/**
 * Bounds for {@link JsonTelemetryDecoder}.
 *
 * @param maxDecompressedBytes cap on the gunzipped size of a {@code b64} message
 * @param minTimestampMs earliest accepted point timestamp
 * @param maxFutureMs how far ahead of "now" a point may be
 * @param maxNameLength longest accepted field name, tag key or tag value
 */
public record JsonDecoderLimits(
    int maxDecompressedBytes, long minTimestampMs, long maxFutureMs, int maxNameLength) {

  /** 2000-01-01T00:00:00Z, the contract's default earliest timestamp. */
  public static final long YEAR_2000_MS = 946_684_800_000L;

  public static JsonDecoderLimits defaults() {
    return new JsonDecoderLimits(16 * 1024 * 1024, YEAR_2000_MS, 86_400_000L, 256);
  }
}
