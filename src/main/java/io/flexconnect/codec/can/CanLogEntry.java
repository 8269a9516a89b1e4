package io.flexconnect.codec.can;

/**
 * One frame of a {@code candump -L} log.
 *
 * @param timestampMs epoch milliseconds (microseconds truncated)
 * @param iface the interface name, e.g. {@code can0}
 * @param bus the trailing number of the interface name ({@code vcan2} → 2), or -1 if it has none
 * @param frame the frame
 */
public record CanLogEntry(long timestampMs, String iface, int bus, CanTextFrame frame) {}
