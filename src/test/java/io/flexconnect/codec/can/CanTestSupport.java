package io.flexconnect.codec.can;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexconnect.codec.Decoded;
import io.flexconnect.codec.Rejection;
import io.flexconnect.testing.TestVectors;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** Shared helpers: test vectors, decoding byte arrays with every buffer released. */
final class CanTestSupport {

  static final String SEED_TOKEN = "tok_demo-0001-7f3a9c2e5b814d06a1e2c3d4e5f60718";
  static final long SEED_TS = 1622547800000L;

  private CanTestSupport() {}

  static byte[] vector(String name) {
    return TestVectors.message(name);
  }

  /** Decodes and returns the rejection; fails if the message was accepted. */
  static Rejection rejection(CanMessageDecoder decoder, byte[] bytes) {
    ByteBuf payload = Unpooled.wrappedBuffer(bytes);
    try {
      Decoded<CanMessage> result = decoder.decode(payload);
      if (result instanceof Decoded.Ok<CanMessage> ok) {
        ok.value().close();
      }
      assertThat(result).isInstanceOf(Decoded.Rejected.class);
      return ((Decoded.Rejected<CanMessage>) result).rejection();
    } finally {
      payload.release();
    }
  }

  static Rejection rejection(byte[] bytes) {
    return rejection(new CanMessageDecoder(), bytes);
  }

  /**
   * Decodes and returns the message; fails if it was rejected. The message owns a reference to a
   * copy of {@code bytes}: close it.
   */
  static CanMessage accepted(CanMessageDecoder decoder, byte[] bytes) {
    ByteBuf payload = Unpooled.wrappedBuffer(bytes);
    try {
      Decoded<CanMessage> result = decoder.decode(payload);
      assertThat(result).isInstanceOf(Decoded.Ok.class);
      return ((Decoded.Ok<CanMessage>) result).value();
    } finally {
      payload.release(); // the message keeps its own reference
    }
  }

  static CanMessage accepted(byte[] bytes) {
    return accepted(new CanMessageDecoder(), bytes);
  }

  static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }
}
