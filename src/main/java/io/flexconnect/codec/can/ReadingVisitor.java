package io.flexconnect.codec.can;

import io.netty.buffer.ByteBuf;

/**
 * Receives the readings of a {@link CanMessage} as primitives, so walking a message allocates
 * nothing per reading. The data is {@code dataLength} bytes of {@code buf} from absolute index
 * {@code dataIndex}; read it with absolute getters ({@code buf.getByte(dataIndex + i)}) and do not
 * change the buffer's indices or keep it past {@link CanMessage#close()}.
 */
@FunctionalInterface
public interface ReadingVisitor {

  /**
   * @param timestampMs the point's timestamp, epoch milliseconds
   * @param bus bus number 0–7
   * @param canId 11-bit or 29-bit identifier, without flag bits
   * @param extended whether the identifier is a 29-bit extended one
   */
  void reading(long timestampMs, int bus, int canId, boolean extended, ByteBuf buf, int dataIndex,
      int dataLength);
}
