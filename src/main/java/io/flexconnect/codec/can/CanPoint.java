package io.flexconnect.codec.can;

import java.util.List;

/**
 * One CAN point of a {@link CanMessage}, for tests and tools.
 *
 * @param offset byte offset of the point header from the start of the (uncompressed) message
 * @param timestampMs epoch milliseconds
 * @param readings the point's readings, in message order
 */
public record CanPoint(int offset, long timestampMs, List<CanReading> readings) {
  public CanPoint {
    readings = List.copyOf(readings);
  }
}
