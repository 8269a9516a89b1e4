package io.flexconnect.dbc;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.Map;

/**
 * A signal with its masks and shifts computed once at load.
 *
 * <p>Classic frames (all signals within 8 bytes) are read once into two 64-bit words; a signal is
 * then one shift and one mask of the word of its byte order:
 * <pre>
 *   little-endian word (Intel @1):    byte7 byte6 ... byte1 byte0   raw = (le &gt;&gt;&gt; startBit) &amp; mask
 *   big-endian word    (Motorola @0): byte0 byte1 ... byte6 byte7   raw = (be &gt;&gt;&gt; (63 - lsbPos)) &amp; mask
 * </pre>
 * where {@code lsbPos} counts bits from the MSB of byte 0. Sign extension is
 * {@code (raw << k) >> k} with {@code k = 64 - length} for signed signals and 0 otherwise, so signed
 * and unsigned take the same path. Longer (CAN FD) frames read the bytes of each signal the same way
 * from its first byte.
 */
public final class CompiledSignal {

  static final int KIND_INTEGER = 0;
  static final int KIND_UNSIGNED_64 = 1;
  static final int KIND_FLOAT32 = 2;
  static final int KIND_FLOAT64 = 3;

  private final DbcSignal signal;
  private final String messageName;
  private final String qualifiedName;
  final boolean bigEndian;
  /** Shift of the signal's LSB in the classic frame word of its byte order. */
  final int wordShift;
  final long mask;
  final int signShift;
  final int kind;
  final double factor;
  final double offset;
  /** Index of the last byte the signal touches; frames shorter than this + 1 skip it. */
  final int lastByte;
  final int firstByte;
  /** Shift of the LSB within the bytes firstByte.. read as one big- or little-endian number. */
  final int localShift;
  private final long[] choiceKeys;
  private final String[] choiceLabels;
  /** Multiplexer values selecting this signal (inclusive ranges); empty when unconditioned. */
  final long[] muxFrom;
  final long[] muxTo;
  /**
   * Signals this one selects when it is a multiplexer. Set once while the owning CompiledMessage is
   * constructed; DbcDecoder publishes it through final fields, so readers on any thread see it.
   */
  CompiledSignal[] children = new CompiledSignal[0];

  CompiledSignal(DbcSignal signal, String messageName) {
    this.signal = signal;
    this.messageName = messageName;
    this.qualifiedName = messageName + "." + signal.name();
    DbcLayout layout = signal.layout();
    int length = layout.length();
    this.bigEndian = layout.byteOrder() == DbcByteOrder.BIG_ENDIAN;
    this.mask = length == 64 ? -1L : (1L << length) - 1;
    this.signShift = layout.signed() && layout.valueType() == DbcValueType.INTEGER ? 64 - length : 0;
    this.kind = switch (layout.valueType()) {
      case FLOAT32 -> KIND_FLOAT32;
      case FLOAT64 -> KIND_FLOAT64;
      case INTEGER -> !layout.signed() && length == 64 ? KIND_UNSIGNED_64 : KIND_INTEGER;
    };
    this.factor = signal.conversion().factor();
    this.offset = signal.conversion().offset();
    this.firstByte = layout.firstByte();
    this.lastByte = layout.lastByte();
    if (bigEndian) {
      int lsbPos = layout.motorolaMsbPosition() + length - 1;
      this.wordShift = 63 - lsbPos;
      this.localShift = 7 - (lsbPos & 7);
    } else {
      this.wordShift = layout.startBit();
      this.localShift = layout.startBit() & 7;
    }
    // The choices are a SortedMap: keys arrive in ascending signed order, as binarySearch needs.
    Map<Long, String> choices = signal.conversion().choices();
    this.choiceKeys = new long[choices.size()];
    this.choiceLabels = new String[choices.size()];
    int i = 0;
    for (Map.Entry<Long, String> e : choices.entrySet()) {
      choiceKeys[i] = e.getKey();
      choiceLabels[i++] = e.getValue();
    }
    DbcMuxCondition condition = signal.muxCondition();
    int n = condition == null ? 0 : condition.ranges().size();
    this.muxFrom = new long[n];
    this.muxTo = new long[n];
    for (i = 0; i < n; i++) {
      muxFrom[i] = condition.ranges().get(i).from();
      muxTo[i] = condition.ranges().get(i).to();
    }
  }

  public String name() {
    return signal.name();
  }

  public String unit() {
    return signal.conversion().unit();
  }

  public String messageName() {
    return messageName;
  }

  /** {@code Message.Signal}, built once: the name decoded values are stored under. */
  public String qualifiedName() {
    return qualifiedName;
  }

  /** The model this was compiled from. */
  public DbcSignal signal() {
    return signal;
  }

  /** The value-table label for a raw value, or null. */
  public String label(long raw) {
    if (choiceKeys.length == 0 || kind >= KIND_FLOAT32) {
      return null;
    }
    int i = Arrays.binarySearch(choiceKeys, raw);
    return i >= 0 ? choiceLabels[i] : null;
  }

  /** Raw bits from the frame words of a classic frame. */
  long extract(long le, long be) {
    long raw = ((bigEndian ? be : le) >>> wordShift) & mask;
    return (raw << signShift) >> signShift;
  }

  /** Raw bits read straight from the buffer; the caller checked that lastByte is inside the frame. */
  long extract(ByteBuf buf, int index, int available) {
    int at = index + firstByte;
    int n = lastByte - firstByte + 1;
    long raw;
    if (!bigEndian) {
      if (n <= 8) {
        long v = firstByte + 8 <= available ? buf.getLongLE(at) : readLittleEndian(buf, at, n);
        raw = (v >>> localShift) & mask;
      } else {
        long lo = buf.getLongLE(at);
        long hi = buf.getByte(at + 8) & 0xFFL;
        raw = ((lo >>> localShift) | (hi << (64 - localShift))) & mask;
      }
    } else {
      if (n <= 8) {
        long v = readBigEndian(buf, at, n);
        raw = (v >>> localShift) & mask;
      } else {
        long hi = buf.getByte(at) & 0xFFL;
        long lo = buf.getLong(at + 1);
        raw = ((lo >>> localShift) | (hi << (64 - localShift))) & mask;
      }
    }
    return (raw << signShift) >> signShift;
  }

  /** {@code raw * factor + offset}, reading the raw bits as this signal's value type. */
  double physical(long raw) {
    double value = switch (kind) {
      case KIND_INTEGER -> (double) raw;
      case KIND_UNSIGNED_64 -> unsignedToDouble(raw);
      case KIND_FLOAT32 -> Float.intBitsToFloat((int) raw);
      default -> Double.longBitsToDouble(raw);
    };
    return value * factor + offset;
  }

  boolean selectedBy(long multiplexerRaw) {
    for (int i = 0; i < muxFrom.length; i++) {
      if (multiplexerRaw >= muxFrom[i] && multiplexerRaw <= muxTo[i]) {
        return true;
      }
    }
    return false;
  }

  /** Correctly rounded conversion of an unsigned 64-bit value (the low bit keeps rounding sticky). */
  static double unsignedToDouble(long raw) {
    if (raw >= 0) {
      return (double) raw;
    }
    return (double) ((raw >>> 1) | (raw & 1)) * 2.0;
  }

  private static long readLittleEndian(ByteBuf buf, int at, int n) {
    long v = 0;
    for (int i = n - 1; i >= 0; i--) {
      v = (v << 8) | (buf.getByte(at + i) & 0xFFL);
    }
    return v;
  }

  private static long readBigEndian(ByteBuf buf, int at, int n) {
    if (n == 8) {
      return buf.getLong(at);
    }
    long v = 0;
    for (int i = 0; i < n; i++) {
      v = (v << 8) | (buf.getByte(at + i) & 0xFFL);
    }
    return v;
  }

  @Override
  public String toString() {
    return qualifiedName;
  }
}
