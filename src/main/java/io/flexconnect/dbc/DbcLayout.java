package io.flexconnect.dbc;

/**
 * Where a signal's bits sit in the frame: the geometry only, no scaling.
 *
 * @param startBit the start bit as written in the DBC (LSB for Intel, MSB for Motorola)
 * @param length number of bits, 1 to 64
 */
public record DbcLayout(int startBit, int length, DbcByteOrder byteOrder, boolean signed,
    DbcValueType valueType) {

  /** Index of the last byte the signal touches (the byte holding its LSB for Motorola). */
  public int lastByte() {
    if (byteOrder == DbcByteOrder.LITTLE_ENDIAN) {
      return (startBit + length - 1) >> 3;
    }
    return (motorolaMsbPosition() + length - 1) >> 3;
  }

  /** First byte the signal touches. */
  public int firstByte() {
    return byteOrder == DbcByteOrder.LITTLE_ENDIAN ? startBit >> 3 : motorolaMsbPosition() >> 3;
  }

  /** Big-endian sequential position (0 = MSB of byte 0) of a Motorola signal's most significant bit. */
  int motorolaMsbPosition() {
    return (startBit & ~7) + 7 - (startBit & 7);
  }

  /** True when this layout and the other share at least one bit of the frame. */
  public boolean overlaps(DbcLayout other) {
    long[] a = bits();
    long[] b = other.bits();
    for (int i = 0; i < a.length && i < b.length; i++) {
      if ((a[i] & b[i]) != 0) {
        return true;
      }
    }
    return false;
  }

  /** Occupied bits as a bitmap over the frame (bit i of the bitmap = DBC bit number i). */
  long[] bits() {
    long[] map = new long[(lastByte() >> 3) + 2];
    if (byteOrder == DbcByteOrder.LITTLE_ENDIAN) {
      for (int i = 0; i < length; i++) {
        int b = startBit + i;
        map[b >> 6] |= 1L << (b & 63);
      }
    } else {
      int seq = motorolaMsbPosition();
      for (int i = 0; i < length; i++) {
        int p = seq + i;
        int b = (p & ~7) + 7 - (p & 7);
        map[b >> 6] |= 1L << (b & 63);
      }
    }
    return map;
  }
}
