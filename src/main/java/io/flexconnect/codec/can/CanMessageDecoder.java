package io.flexconnect.codec.can;

import io.flexconnect.codec.Decoded;
import io.flexconnect.codec.Gunzip;
import io.flexconnect.codec.RejectReason;
import io.flexconnect.codec.Rejection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Decodes the binary CAN message of the developer guide. Multi-byte fields are little-endian except
 * the token length, which is big-endian.
 *
 * <pre>
 * message
 * +----------------+-----------------------+---------+---------+-----
 * | token length   | token (UTF-8)         | point 0 | point 1 | ...
 * | u32 BE         | token length bytes    |         |         |
 * +----------------+-----------------------+---------+---------+-----
 *
 * point                                       Length counts all of it, header included
 * +----------------+----------+----------+-----------+-----------+-----
 * | timestamp (ms) | count    | Length   | reading 0 | reading 1 | ...
 * | u64 LE         | u16 LE   | u16 LE   |           |           |
 * +----------------+----------+----------+-----------+-----------+-----
 *   0                8          10         12
 *
 * reading
 * +----------------+-----------------+--------------------+
 * | CAN ID         | bus:3 | dlc:5   | data               |
 * | u32 LE         | u8              | length(dlc) bytes  |
 * +----------------+-----------------+--------------------+
 *
 * compressed message
 * +------+--------------------------------------------+
 * | 0xFC | gzip stream of the whole message above     |
 * +------+--------------------------------------------+
 * </pre>
 *
 * <p><b>Policies.</b>
 *
 * <ul>
 *   <li><i>Whole message.</i> A message is accepted whole or rejected whole: any malformed point
 *       rejects it, so valid points are never stored next to garbage; the device retries or is
 *       fixed. Trailing bytes after the last point are a truncated point ({@code TRUNCATED}).
 *   <li><i>Offsets.</i> Every rejection detail starts with {@code "offset N:"}, N counted from the
 *       first byte of the uncompressed message (after {@code 0xFC} and gunzip for compressed ones).
 *   <li><i>Token.</i> A token length above {@link CanDecoderLimits#maxTokenBytes()} or above what
 *       remains is {@code BAD_TOKEN_LENGTH}, checked before anything is allocated. Invalid UTF-8 is
 *       decoded with replacement characters; the token lookup then fails as an unknown device.
 *   <li><i>Empty message.</i> A token with no point is {@code TRUNCATED} unless {@link
 *       CanDecoderLimits#allowEmptyMessage()}. A point with count 0 and {@code Length} 12 is an
 *       accepted empty point.
 *   <li><i>DLC.</i> Codes 0–8 are byte counts and CAN FD codes at once; 16–31 can only be byte
 *       counts; 9–15 are CAN FD codes (12, 16, 20, 24, 32, 48, 64 bytes) unless the point's {@code
 *       Length} fits only if some of them are byte counts. Per point, the first of these that makes
 *       the readings end exactly at {@code Length} wins:
 *       <ol>
 *         <li>every 9–15 a CAN FD code (the guide's meaning; the only walk for almost all points);
 *         <li>every 9–15 a byte count (a device that writes byte counts throughout);
 *         <li>a depth-first search over the readings, CAN FD code before byte count for each, so
 *             the solution found prefers CAN FD codes on the earliest readings. It prunes on bytes
 *             left versus readings left (5 to 69 bytes each), remembers dead (reading, offset)
 *             states and is bounded by {@link CanDecoderLimits#maxDlcSearchSteps()} per message:
 *             garbage read as headers branches too, so an unbounded search could be made to cost
 *             seconds.
 *       </ol>
 *       If nothing fits: {@code BAD_DLC} when the CAN FD walk met a DLC above 8, otherwise {@code
 *       BAD_POINT_LENGTH}.
 *   <li><i>CAN ID.</i> Bit 31 set or a value above 0x7FF is a 29-bit extended ID ({@code id &
 *       0x1FFFFFFF}). Timestamps are passed through; the ingest stage checks their range.
 * </ul>
 *
 * <p>The decoder is stateless and thread-safe. It never throws for malformed input and never
 * changes the payload's reader or writer index. See {@link CanMessage} for buffer ownership.
 */
public final class CanMessageDecoder {

  /** First byte of a gzip-compressed message. */
  public static final int COMPRESSED_MARKER = 0xFC;

  static final int TOKEN_LENGTH_BYTES = 4;
  static final int POINT_HEADER_BYTES = 12;
  static final int READING_HEADER_BYTES = 5;
  private static final int MAX_READING_BYTES = READING_HEADER_BYTES + 64;

  private final CanDecoderLimits limits;

  public CanMessageDecoder(CanDecoderLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  public CanMessageDecoder() {
    this(CanDecoderLimits.DEFAULTS);
  }

  public CanDecoderLimits limits() {
    return limits;
  }

  /**
   * Decodes the readable bytes of {@code payload} without changing its indices or reference count
   * (the returned message takes its own reference; see {@link CanMessage}).
   *
   * @return the message, which the caller must close, or a rejection
   */
  public Decoded<CanMessage> decode(ByteBuf payload) {
    int length = payload.readableBytes();
    if (length == 0) {
      return Decoded.rejected(RejectReason.EMPTY_PAYLOAD, "offset 0: empty payload");
    }
    int start = payload.readerIndex();
    if (payload.getUnsignedByte(start) == COMPRESSED_MARKER) {
      return decodeCompressed(payload, start + 1, length - 1);
    }
    ByteBuf message = payload.slice(start, length);
    Decoded<CanMessage> result = parse(message, false);
    if (result instanceof Decoded.Ok<CanMessage>) {
      message.retain(); // now owned by the CanMessage
    }
    return result;
  }

  private Decoded<CanMessage> decodeCompressed(ByteBuf payload, int index, int length) {
    Decoded<byte[]> inflated;
    if (payload.hasArray()) {
      inflated = Gunzip.gunzip(payload.array(), payload.arrayOffset() + index, length,
          limits.maxDecompressedBytes());
    } else {
      byte[] compressed = new byte[length];
      payload.getBytes(index, compressed);
      inflated = Gunzip.gunzip(compressed, 0, length, limits.maxDecompressedBytes());
    }
    if (inflated instanceof Decoded.Rejected<byte[]> rejected) {
      return rejected.cast();
    }
    byte[] bytes = ((Decoded.Ok<byte[]>) inflated).value();
    if (bytes.length == 0) {
      return Decoded.rejected(RejectReason.TRUNCATED, "offset 0: decompressed message is empty");
    }
    ByteBuf message = Unpooled.wrappedBuffer(bytes);
    Decoded<CanMessage> result = parse(message, true);
    if (!(result instanceof Decoded.Ok<CanMessage>)) {
      message.release();
    }
    return result;
  }

  /** Validates {@code message} (index 0 = message start, writerIndex = end). */
  private Decoded<CanMessage> parse(ByteBuf message, boolean compressed) {
    final int end = message.writerIndex();
    if (end < TOKEN_LENGTH_BYTES) {
      return reject(RejectReason.TRUNCATED, 0,
          "message of " + end + " bytes ends inside the 4-byte token length");
    }
    long tokenLength = message.getUnsignedInt(0);
    if (tokenLength > limits.maxTokenBytes()) {
      return reject(RejectReason.BAD_TOKEN_LENGTH, 0,
          "token length " + tokenLength + " exceeds the limit of " + limits.maxTokenBytes() + " bytes");
    }
    if (tokenLength > end - TOKEN_LENGTH_BYTES) {
      return reject(RejectReason.BAD_TOKEN_LENGTH, 0, "token length " + tokenLength
          + " exceeds the " + (end - TOKEN_LENGTH_BYTES) + " bytes that remain");
    }
    final int pointsStart = TOKEN_LENGTH_BYTES + (int) tokenLength;

    PointWalker walker = new PointWalker(message, limits.maxDlcSearchSteps());
    int pos = pointsStart;
    int points = 0;
    int readings = 0;
    while (pos < end) {
      int remaining = end - pos;
      if (remaining < POINT_HEADER_BYTES) {
        return reject(RejectReason.TRUNCATED, pos, remaining
            + " trailing bytes are shorter than a 12-byte point header");
      }
      if (points == limits.maxPoints()) {
        return reject(RejectReason.OVERSIZED, pos,
            "more than " + limits.maxPoints() + " points in one message");
      }
      int count = message.getUnsignedShortLE(pos + 8);
      int pointLength = message.getUnsignedShortLE(pos + 10);
      if (count > limits.maxReadingsPerPoint()) {
        return reject(RejectReason.OVERSIZED, pos, "point declares " + count
            + " readings, more than the limit of " + limits.maxReadingsPerPoint());
      }
      if (pointLength < POINT_HEADER_BYTES) {
        return reject(RejectReason.BAD_POINT_LENGTH, pos,
            "point Length " + pointLength + " is shorter than its 12-byte header");
      }
      if (pointLength > remaining) {
        return reject(RejectReason.TRUNCATED, pos,
            "point Length " + pointLength + " exceeds the " + remaining + " bytes that remain");
      }
      if (POINT_HEADER_BYTES + (long) READING_HEADER_BYTES * count > pointLength) {
        return reject(RejectReason.BAD_POINT_LENGTH, pos, "point Length " + pointLength
            + " cannot hold " + count + " readings of at least 5 bytes each");
      }
      Rejection failure = walker.resolve(pos, pointLength, count, readings);
      if (failure != null) {
        return Decoded.rejected(failure);
      }
      pos += pointLength;
      points++;
      readings += count;
    }
    if (points == 0 && !limits.allowEmptyMessage()) {
      return reject(RejectReason.TRUNCATED, pointsStart, "no CAN point after the token");
    }
    String token = message.toString(TOKEN_LENGTH_BYTES, (int) tokenLength, StandardCharsets.UTF_8);
    return Decoded.ok(new CanMessage(message, token, pointsStart, points, readings, compressed,
        walker.byteCountDlc));
  }

  private static Decoded<CanMessage> reject(RejectReason reason, int offset, String detail) {
    return Decoded.rejected(reason, "offset " + offset + ": " + detail);
  }

  /** Length of the data for a DLC read as CAN FD code where it can be one (the preferred reading). */
  private static int preferredLength(int dlc) {
    return dlc <= 15 ? CanDlc.fdLength(dlc) : dlc;
  }

  private static boolean ambiguous(int dlc) {
    return dlc >= 9 && dlc <= 15;
  }

  /**
   * Resolves the readings of one point against its {@code Length}; keeps the per-message state
   * (which ambiguous DLCs turned out to be byte counts, what is left of the search budget).
   */
  private static final class PointWalker {
    private final ByteBuf buf;
    private int stepsLeft;
    /** Bit per global reading index: DLC 9–15 read as byte count. Allocated on first need. */
    long[] byteCountDlc;

    PointWalker(ByteBuf buf, int steps) {
      this.buf = buf;
      this.stepsLeft = steps;
    }

    /** @return null when the readings fit exactly, else the rejection */
    Rejection resolve(int pointOffset, int pointLength, int count, int firstReading) {
      final int end = pointOffset + pointLength;
      int pos = pointOffset + POINT_HEADER_BYTES;
      boolean sawAmbiguous = false;
      int firstWideOffset = -1;
      String miss = null;
      for (int i = 0; i < count; i++) {
        if (end - pos < READING_HEADER_BYTES) {
          miss = "reading " + i + " at offset " + pos + " has its 5-byte header past the point end at "
              + end;
          break;
        }
        int dlc = buf.getUnsignedByte(pos + 4) & 0x1F;
        if (dlc > 8 && firstWideOffset < 0) {
          firstWideOffset = pos;
        }
        sawAmbiguous |= ambiguous(dlc);
        int length = preferredLength(dlc);
        if (length > end - pos - READING_HEADER_BYTES) {
          miss = "reading " + i + " at offset " + pos + " with DLC " + dlc + " (" + length
              + " bytes) runs past the point end at " + end;
          break;
        }
        pos += READING_HEADER_BYTES + length;
      }
      if (miss == null) {
        if (pos == end) {
          return null; // the common case: no search, no allocation
        }
        miss = count + " readings end at offset " + pos + " but Length " + pointLength
            + " ends the point at " + end;
      }
      if (sawAmbiguous) {
        if (fitsAsByteCounts(pointOffset + POINT_HEADER_BYTES, end, count)) {
          recordAllByteCounts(pointOffset + POINT_HEADER_BYTES, count, firstReading);
          return null; // a device that writes byte counts throughout
        }
        int outcome = search(pointOffset + POINT_HEADER_BYTES, end, count, firstReading);
        if (outcome == FOUND) {
          return null;
        }
        if (outcome == BUDGET_EXHAUSTED) {
          return Rejection.of(RejectReason.BAD_DLC, "offset " + pointOffset
              + ": ambiguous DLCs 9-15 in this point exhausted the search budget; " + miss);
        }
      }
      if (firstWideOffset >= 0) {
        int dlc = buf.getUnsignedByte(firstWideOffset + 4) & 0x1F;
        return Rejection.of(RejectReason.BAD_DLC, "offset " + firstWideOffset + ": DLC " + dlc
            + describe(dlc) + " in the point at offset " + pointOffset
            + " does not let the readings fit its Length " + pointLength
            + (sawAmbiguous ? " under any mix of CAN FD codes and byte counts" : "") + "; " + miss);
      }
      return Rejection.of(RejectReason.BAD_POINT_LENGTH, "offset " + pointOffset
          + ": point Length " + pointLength + " does not match its readings; " + miss);
    }

    /** Whether the readings end exactly at {@code end} with every DLC read as a byte count. */
    private boolean fitsAsByteCounts(int start, int end, int count) {
      int pos = start;
      for (int i = 0; i < count; i++) {
        if (end - pos < READING_HEADER_BYTES) {
          return false;
        }
        int length = buf.getUnsignedByte(pos + 4) & 0x1F;
        if (length > end - pos - READING_HEADER_BYTES) {
          return false;
        }
        pos += READING_HEADER_BYTES + length;
      }
      return pos == end;
    }

    private void recordAllByteCounts(int start, int count, int firstReading) {
      int pos = start;
      for (int i = 0; i < count; i++) {
        int dlc = buf.getUnsignedByte(pos + 4) & 0x1F;
        if (ambiguous(dlc)) {
          markByteCount(firstReading + i);
        }
        pos += READING_HEADER_BYTES + dlc;
      }
    }

    private static String describe(int dlc) {
      return ambiguous(dlc)
          ? " (CAN FD code for " + CanDlc.fdLength(dlc) + " bytes, or a byte count of " + dlc + ")"
          : " (byte count)";
    }

    private static final int FOUND = 0;
    private static final int NONE = 1;
    private static final int BUDGET_EXHAUSTED = 2;

    /**
     * Depth-first search, CAN FD code first, over the readings of one point; iterative so a point
     * with thousands of readings cannot overflow the stack.
     */
    private int search(int start, int end, int count, int firstReading) {
      int[] offsets = new int[count + 1];
      byte[] next = new byte[count]; // next option to try per reading: 0 = preferred, 1 = byte count
      Set<Long> dead = new HashSet<>();
      offsets[0] = start;
      int i = 0;
      while (i >= 0) {
        if (i == count) {
          if (offsets[i] == end) {
            record(offsets, next, count, firstReading);
            return FOUND;
          }
          i--;
          continue;
        }
        int pos = offsets[i];
        int dlc = buf.getUnsignedByte(pos + 4) & 0x1F;
        int option = next[i]++;
        if (option > (ambiguous(dlc) ? 1 : 0)) {
          dead.add(key(i, pos));
          i--;
          continue;
        }
        if (--stepsLeft < 0) {
          return BUDGET_EXHAUSTED;
        }
        int after = pos + READING_HEADER_BYTES + (option == 0 ? preferredLength(dlc) : dlc);
        long left = (long) end - after;
        int readingsLeft = count - i - 1;
        if (left < (long) READING_HEADER_BYTES * readingsLeft
            || left > (long) MAX_READING_BYTES * readingsLeft
            || dead.contains(key(i + 1, after))) {
          continue; // cannot end exactly at Length from here: try the next option
        }
        i++;
        offsets[i] = after;
        if (i < count) {
          next[i] = 0;
        }
      }
      return NONE;
    }

    private static long key(int reading, int offset) {
      return ((long) reading << 32) | (offset & 0xFFFF_FFFFL);
    }

    private void record(int[] offsets, byte[] next, int count, int firstReading) {
      for (int i = 0; i < count; i++) {
        int dlc = buf.getUnsignedByte(offsets[i] + 4) & 0x1F;
        if (ambiguous(dlc) && next[i] - 1 == 1) {
          markByteCount(firstReading + i);
        }
      }
    }

    private void markByteCount(int reading) {
      int word = reading >>> 6;
      if (byteCountDlc == null) {
        byteCountDlc = new long[Math.max(word + 1, 4)];
      } else if (word >= byteCountDlc.length) {
        byteCountDlc = Arrays.copyOf(byteCountDlc, Math.max(word + 1, byteCountDlc.length * 2));
      }
      byteCountDlc[word] |= 1L << reading;
    }
  }
}
