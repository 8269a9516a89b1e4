package io.flexconnect.codec.can;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A CAN frame written in can-utils text form ({@code 123#11223344}, {@code 18FEF100#...}, {@code
 * 123##1...}), as {@code cansend} accepts and {@code candump -L} prints.
 *
 * @param canId 11-bit or 29-bit identifier without flag bits
 * @param extended whether the ID was written with 8 hex digits (29-bit)
 * @param fd whether it is a CAN FD frame ({@code ##})
 * @param fdFlags the CAN FD flags nibble (BRS = 1, ESI = 2), 0 for classic frames
 * @param data the payload bytes (a private copy)
 */
public record CanTextFrame(int canId, boolean extended, boolean fd, int fdFlags, byte[] data) {

  public CanTextFrame {
    data = data.clone();
  }

  @Override
  public byte[] data() {
    return data.clone();
  }

  /** The data length. */
  public int length() {
    return data.length;
  }

  /** The identifier as DBC files write it: bit 31 set if extended. */
  public int dbcId() {
    return extended ? canId | CanReading.EXTENDED_FLAG : canId;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CanTextFrame f && f.canId == canId && f.extended == extended && f.fd == fd
        && f.fdFlags == fdFlags && Arrays.equals(f.data, data);
  }

  @Override
  public int hashCode() {
    return (canId * 31 + Boolean.hashCode(extended)) * 31 + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    String id = extended ? String.format("%08X", canId) : String.format("%03X", canId);
    return id + (fd ? "##" + Integer.toHexString(fdFlags).toUpperCase() : "#")
        + HexFormat.of().withUpperCase().formatHex(data);
  }
}
