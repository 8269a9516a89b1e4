package io.flexconnect.codec.can;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * A validated binary CAN message: the token and a view over the points in the message buffer. No
 * reading is materialised and no data byte is copied; {@link #forEachReading} walks the buffer.
 *
 * <p><b>Ownership.</b> A message holds one reference to its buffer and must be {@link #close()
 * closed} (try-with-resources) once its readings have been consumed:
 *
 * <ul>
 *   <li>for a plain payload it is a retained slice of the payload given to {@link
 *       CanMessageDecoder#decode}: the caller still owns (and releases) its payload as usual, and
 *       the bytes stay valid until both have been released;
 *   <li>for a {@code 0xFC} payload it is the decompressed buffer, which only the message references.
 * </ul>
 *
 * Data slices and indices handed out are valid until {@code close()}. Index 0 of {@link #buffer()}
 * is the first byte of the uncompressed message, so buffer indices equal message offsets.
 *
 * <p>Not thread-safe for {@code close()} racing with reads; reading from several threads before
 * closing is safe as long as no one changes the buffer's indices.
 */
public final class CanMessage implements AutoCloseable {

  private final ByteBuf buf;
  private final String token;
  private final int pointsStart;
  private final int pointCount;
  private final int readingCount;
  private final boolean compressed;
  /** Global reading indices whose DLC 9–15 is a byte count rather than a CAN FD code; usually null. */
  private final long[] byteCountDlc;
  private boolean closed;

  CanMessage(ByteBuf buf, String token, int pointsStart, int pointCount, int readingCount,
      boolean compressed, long[] byteCountDlc) {
    this.buf = buf;
    this.token = token;
    this.pointsStart = pointsStart;
    this.pointCount = pointCount;
    this.readingCount = readingCount;
    this.compressed = compressed;
    this.byteCountDlc = byteCountDlc;
  }

  /** The device token, decoded as UTF-8. Never log it. */
  public String token() {
    return token;
  }

  public int pointCount() {
    return pointCount;
  }

  /** Readings over all points. */
  public int readingCount() {
    return readingCount;
  }

  /** Whether the payload was {@code 0xFC} + gzip. */
  public boolean compressed() {
    return compressed;
  }

  /** Size of the uncompressed message in bytes. */
  public int messageBytes() {
    return buf.writerIndex();
  }

  /** The message bytes (index 0 = message start). Do not change its indices; not retained. */
  public ByteBuf buffer() {
    ensureOpen();
    return buf;
  }

  /** Visits every reading in message order; allocates nothing. */
  public void forEachReading(ReadingVisitor visitor) {
    ensureOpen();
    final ByteBuf b = buf;
    final long[] bits = byteCountDlc;
    int pos = pointsStart;
    int reading = 0;
    for (int p = 0; p < pointCount; p++) {
      long timestamp = b.getLongLE(pos);
      int count = b.getUnsignedShortLE(pos + 8);
      pos += CanMessageDecoder.POINT_HEADER_BYTES;
      for (int i = 0; i < count; i++, reading++) {
        int rawId = b.getIntLE(pos);
        int busDlc = b.getUnsignedByte(pos + 4);
        int dlc = busDlc & 0x1F;
        int length = dataLength(dlc, bits, reading);
        boolean extended = isExtended(rawId);
        visitor.reading(timestamp, busDlc >>> 5, extended ? rawId & 0x1FFF_FFFF : rawId, extended,
            b, pos + CanMessageDecoder.READING_HEADER_BYTES, length);
        pos += CanMessageDecoder.READING_HEADER_BYTES + length;
      }
    }
  }

  /** The points with their readings as objects (data as unretained slices); for tests and tools. */
  public List<CanPoint> points() {
    ensureOpen();
    List<CanPoint> points = new ArrayList<>(pointCount);
    int pos = pointsStart;
    int reading = 0;
    for (int p = 0; p < pointCount; p++) {
      int offset = pos;
      long timestamp = buf.getLongLE(pos);
      int count = buf.getUnsignedShortLE(pos + 8);
      pos += CanMessageDecoder.POINT_HEADER_BYTES;
      List<CanReading> readings = new ArrayList<>(count);
      for (int i = 0; i < count; i++, reading++) {
        int rawId = buf.getIntLE(pos);
        int busDlc = buf.getUnsignedByte(pos + 4);
        int dlc = busDlc & 0x1F;
        int length = dataLength(dlc, byteCountDlc, reading);
        boolean extended = isExtended(rawId);
        readings.add(new CanReading(busDlc >>> 5, extended ? rawId & 0x1FFF_FFFF : rawId, extended,
            dlc, buf.slice(pos + CanMessageDecoder.READING_HEADER_BYTES, length)));
        pos += CanMessageDecoder.READING_HEADER_BYTES + length;
      }
      points.add(new CanPoint(offset, timestamp, readings));
    }
    return points;
  }

  /** Releases the message's buffer reference; idempotent. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      buf.release();
    }
  }

  /** Same as {@link #close()}, in Netty's vocabulary. */
  public void release() {
    close();
  }

  @Override
  public String toString() {
    // The token is a credential: never part of a string that may reach a log.
    return "CanMessage[points=" + pointCount + ", readings=" + readingCount + ", bytes="
        + buf.writerIndex() + (compressed ? ", compressed" : "") + "]";
  }

  static boolean isExtended(int rawId) {
    // Bit 31 set (negative), or an unsigned value above the 11-bit range.
    return rawId < 0 || rawId > 0x7FF;
  }

  static int dataLength(int dlc, long[] byteCountDlc, int reading) {
    if (dlc > 15) {
      return dlc;
    }
    if (byteCountDlc != null && dlc > 8 && isSet(byteCountDlc, reading)) {
      return dlc;
    }
    return CanDlc.fdLength(dlc);
  }

  private static boolean isSet(long[] bits, int index) {
    int word = index >>> 6;
    return word < bits.length && (bits[word] & (1L << index)) != 0;
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("CanMessage already closed");
    }
  }
}
