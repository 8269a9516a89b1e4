package io.flexconnect.dbc;

/** Byte order of a signal as written after the {@code @} in an {@code SG_} line. */
public enum DbcByteOrder {
  /** {@code @1}: Intel; the start bit is the least significant bit. */
  LITTLE_ENDIAN,
  /** {@code @0}: Motorola; the start bit is the most significant bit (sawtooth numbering). */
  BIG_ENDIAN
}
