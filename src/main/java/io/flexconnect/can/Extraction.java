package io.flexconnect.can;

import io.flexconnect.storage.TelemetryRow;
import java.util.List;

/**
 * Signals decoded from one binary message.
 *
 * @param frames readings in the message
 * @param unknownFrames readings whose ID no DBC of the device knows
 * @param firstTimestampMs earliest reading timestamp ({@code Long.MAX_VALUE} when no reading)
 * @param lastTimestampMs latest reading timestamp ({@code Long.MIN_VALUE} when no reading)
 */
public record Extraction(List<TelemetryRow> rows, int frames, int unknownFrames, long firstTimestampMs,
    long lastTimestampMs) {}
