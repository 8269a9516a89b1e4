package io.flexconnect.dbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every signal of every real file, on random frames: the compiled extractors (frame-word path and
 * byte path) agree with a bit-by-bit reference that walks the DBC bit numbering.
 */
class ExtractionPropertyTest {

  /** Reference: assemble the raw value one bit at a time (Motorola walks the sawtooth). */
  static long reference(DbcLayout layout, byte[] data) {
    long raw = 0;
    int length = layout.length();
    if (layout.byteOrder() == DbcByteOrder.LITTLE_ENDIAN) {
      for (int i = 0; i < length; i++) {
        int bit = layout.startBit() + i;
        raw |= (long) ((data[bit >> 3] >> (bit & 7)) & 1) << i;
      }
    } else {
      int bit = layout.startBit();
      for (int i = length - 1; i >= 0; i--) {
        raw |= (long) ((data[bit >> 3] >> (bit & 7)) & 1) << i;
        bit = (bit & 7) == 0 ? bit + 15 : bit - 1;
      }
    }
    if (layout.signed() && layout.valueType() == DbcValueType.INTEGER && length < 64
        && (raw & (1L << (length - 1))) != 0) {
      raw -= 1L << length;
    }
    return raw;
  }

  private static List<DbcDatabase> databases() throws Exception {
    List<DbcDatabase> dbs = new java.util.ArrayList<>();
    for (Path dir : List.of(TestData.dbcDir(), TestData.dbcExtraDir())) {
      try (Stream<Path> s = Files.list(dir)) {
        for (Path p : s.filter(f -> f.toString().toLowerCase().endsWith(".dbc")).sorted().toList()) {
          try {
            dbs.add(DbcLoader.load(p));
          } catch (DbcParseException refused) {
            // covered by DbcFilePolicyTest
          }
        }
      }
    }
    return dbs;
  }

  @Test
  void verifiesThatCompiledExtractorsMatchABitByBitReferenceOnEveryRealSignal() throws Exception {
    Random random = new Random(1234);
    long checked = 0;
    for (DbcDatabase db : databases()) {
      for (CompiledMessage m : DbcDecoder.compile(db).messages()) {
        for (int round = 0; round < 20; round++) {
          byte[] data = new byte[64];
          random.nextBytes(data);
          ByteBuf buf = Unpooled.wrappedBuffer(data);
          long le = buf.getLongLE(0);
          long be = buf.getLong(0);
          for (CompiledSignal s : m.signals()) {
            long expected = reference(s.signal().layout(), data);
            assertThat(s.extract(buf, 0, 64)).as(s.toString()).isEqualTo(expected);
            if (s.lastByte < 8) {
              assertThat(s.extract(le, be)).as(s.toString()).isEqualTo(expected);
            }
            checked++;
          }
        }
      }
    }
    assertThat(checked).isGreaterThan(100_000);
  }

  @Test
  void verifiesThatDecodingAnyFrameLengthNeverFails() throws Exception {
    Random random = new Random(99);
    for (DbcDatabase db : databases()) {
      for (CompiledMessage m : DbcDecoder.compile(db).messages()) {
        for (int length = 0; length <= 64; length += 1 + random.nextInt(4)) {
          byte[] data = new byte[length];
          random.nextBytes(data);
          int[] count = new int[1];
          int n = m.decode(data, (s, p, raw, label) -> {
            assertThat(s.lastByte).isLessThan(data.length);
            count[0]++;
          });
          assertThat(n).isEqualTo(count[0]);
        }
      }
    }
  }
}
