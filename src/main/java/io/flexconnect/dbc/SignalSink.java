package io.flexconnect.dbc;

/**
 * Receives the decoded signals of one frame, in DBC order with each multiplexer before the signals
 * it selects. Called on the decoding thread; the decoder allocates nothing itself.
 */
@FunctionalInterface
public interface SignalSink {

  /**
   * @param signal the compiled signal (name, unit, message name, model)
   * @param physical {@code raw * factor + offset} in double
   * @param rawBits the raw value: sign-extended for signed integers, the bit pattern for unsigned
   *     ones (use {@link Long#toUnsignedString(long)} for 64-bit values), the IEEE bits for floats
   * @param labelOrNull the value-table label for the raw value, or null
   */
  void accept(CompiledSignal signal, double physical, long rawBits, String labelOrNull);
}
