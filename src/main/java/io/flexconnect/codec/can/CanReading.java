package io.flexconnect.codec.can;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * One CAN reading, for tests and tools; the hot path uses {@link CanMessage#forEachReading}.
 *
 * @param bus bus number 0–7
 * @param canId 11-bit or 29-bit identifier without flag bits
 * @param extended whether {@code canId} is a 29-bit extended identifier
 * @param dlc the raw 5-bit DLC field as the device wrote it
 * @param data a slice of the message buffer (not a copy, not retained): valid until the message is
 *     closed
 */
public record CanReading(int bus, int canId, boolean extended, int dlc, ByteBuf data) {

  /** Bit 31 marks extended identifiers, as DBC files do, so 11- and 29-bit IDs cannot collide. */
  public static final int EXTENDED_FLAG = 0x8000_0000;

  /** The identifier as DBC files write it: {@code canId}, with bit 31 set if extended. */
  public int dbcId() {
    return extended ? canId | EXTENDED_FLAG : canId;
  }

  /** A copy of the data bytes. */
  public byte[] dataBytes() {
    return ByteBufUtil.getBytes(data, data.readerIndex(), data.readableBytes(), true);
  }

  @Override
  public String toString() {
    return "CanReading[bus=" + bus + ", id=0x" + Integer.toHexString(canId)
        + (extended ? " (extended)" : "") + ", dlc=" + dlc + ", data="
        + ByteBufUtil.hexDump(data) + "]";
  }
}
