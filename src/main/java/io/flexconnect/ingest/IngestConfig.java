package io.flexconnect.ingest;

import io.flexconnect.common.Checks;
import io.flexconnect.common.ConfigException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Limits and identity checks applied to every incoming message.
 *
 * @param maxMessageBytes larger payloads are rejected as {@code oversized} before decoding
 * @param maxDecompressedBytes cap on gzip output (bomb protection)
 * @param maxTokenBytes binary token length limit
 * @param minTimestamp earliest accepted point timestamp (ISO-8601)
 * @param maxFutureSeconds how far ahead of the platform clock a point may be
 * @param deviceTopicSegment index of the topic segment that names the device ({@code
 *     flexconnect/{device}/json} → 1); topics with no segment after it carry no device name
 * @param deviceCacheSeconds how long a device's credentials are cached per instance
 * @param unknownDeviceCacheSeconds how long "no such device" is cached (absorbs floods)
 */
public record IngestConfig(
    int maxMessageBytes,
    int maxDecompressedBytes,
    int maxTokenBytes,
    String minTimestamp,
    long maxFutureSeconds,
    int deviceTopicSegment,
    int deviceCacheSeconds,
    int unknownDeviceCacheSeconds) {

  public void validate() {
    Checks.positive("ingest.maxMessageBytes", maxMessageBytes);
    Checks.positive("ingest.maxDecompressedBytes", maxDecompressedBytes);
    Checks.positive("ingest.maxTokenBytes", maxTokenBytes);
    Checks.nonNegative("ingest.maxFutureSeconds", maxFutureSeconds);
    Checks.nonNegative("ingest.deviceTopicSegment", deviceTopicSegment);
    Checks.nonNegative("ingest.deviceCacheSeconds", deviceCacheSeconds);
    Checks.nonNegative("ingest.unknownDeviceCacheSeconds", unknownDeviceCacheSeconds);
    minTimestampMillis();
  }

  public long minTimestampMillis() {
    try {
      return Instant.parse(minTimestamp).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw new ConfigException("ingest.minTimestamp: not an ISO-8601 instant: " + minTimestamp);
    }
  }
}
