package io.flexconnect.decode;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.flexconnect.dbc.DbcDecoder;
import io.flexconnect.dbc.DbcParser;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Frame to JSON line, with DBCs written inline and byte literals. */
class FramePrinterTest {

  private static final String DBC = """
      BO_ 256 Small: 2 ECU
       SG_ Mode M : 0|8@1+ (1,0) [0|255] "" X
       SG_ A m1 : 8|8@1+ (0.5,0) [0|127] "" X
       SG_ B m2 : 8|8@1- (1,-1) [-129|126] "" X
      BO_ 2147484160 Ext: 1 ECU
       SG_ E : 0|8@1+ (1,0) [0|255] "" X
      VAL_ 256 Mode 1 "one" 2 "two" ;
      """;

  private static String physical(double value) throws IOException {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
      FramePrinter.writePhysical(g, value);
    }
    return w.toString();
  }

  private static FramePrinter printer(boolean unknown, ByteArrayOutputStream out) throws Exception {
    DbcDecoder decoder = DbcDecoder.compile(DbcParser.parse(DBC, "inline.dbc"));
    return new FramePrinter(new BusDbcs(List.of(decoder), Map.of()), unknown, out);
  }

  @Test
  void verifiesThatIntegralValuesHaveNoFractionAndOthersAreCleanDecimals() throws IOException {
    assertThat(physical(1026.0)).isEqualTo("1026");
    assertThat(physical(-0.0)).isEqualTo("0");
    assertThat(physical(4 * 0.4)).isEqualTo("1.6"); // 1.6000000000000001 in IEEE double
    assertThat(physical(1541 * 0.01)).isEqualTo("15.41");
    assertThat(physical(-52.25)).isEqualTo("-52.25");
    assertThat(physical(1.234e-7)).isEqualTo("1.234E-7");
    assertThat(physical(0x1p64)).isEqualTo("18446744073709551616"); // unsigned 64-bit, exact
    assertThat(physical(-0x1p63)).isEqualTo("-9223372036854775808");
  }

  @Test
  void verifiesThatNanAndInfinityBecomeNull() throws IOException {
    assertThat(physical(Double.NaN)).isEqualTo("null");
    assertThat(physical(Double.POSITIVE_INFINITY)).isEqualTo("null");
    assertThat(physical(Double.NEGATIVE_INFINITY)).isEqualTo("null");
  }

  @Test
  void verifiesThatOnlyTheSelectedMultiplexedSignalIsPrintedWithTheMultiplexerLabel() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    FramePrinter p = printer(false, out);

    p.frame(7, 1, 0x100, false, new byte[] {1, 9});
    p.frame(8, 1, 0x100, false, new byte[] {2, (byte) 0xFF});
    p.flush();

    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("""
        {"t":7,"bus":1,"id":256,"message":"Small","signals":{"Mode":1,"A":4.5},"labels":{"Mode":"one"}}
        {"t":8,"bus":1,"id":256,"message":"Small","signals":{"Mode":2,"B":-2},"labels":{"Mode":"two"}}
        """);
    assertThat(p.decoded()).isEqualTo(2);
  }

  @Test
  void verifiesThatAShortFrameStillPrintsTheSignalsItHolds() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    FramePrinter p = printer(false, out);

    p.frame(0, 0, 0x100, false, new byte[] {5});
    p.flush();

    assertThat(out.toString(StandardCharsets.UTF_8))
        .isEqualTo("{\"t\":0,\"bus\":0,\"id\":256,\"message\":\"Small\",\"signals\":{\"Mode\":5}}\n");
  }

  @Test
  void verifiesThatElevenAndTwentyNineBitIdsDoNotCollide() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    FramePrinter p = printer(true, out);

    p.frame(0, 0, 0x200, true, new byte[] {3});
    p.frame(0, 0, 0x200, false, new byte[] {3});
    p.flush();

    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("""
        {"t":0,"bus":0,"id":512,"extended":true,"message":"Ext","signals":{"E":3}}
        {"t":0,"bus":0,"id":512,"unknown":true,"data":"03"}
        """);
    assertThat(p.decoded()).isEqualTo(1);
    assertThat(p.unknown()).isEqualTo(1);
  }

  @Test
  void verifiesThatAByteBufFrameIsReadAtItsIndexWithoutMovingIt() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    FramePrinter p = printer(true, out);
    var buf = Unpooled.wrappedBuffer(new byte[] {(byte) 0xEE, 1, 4, (byte) 0xEE});

    p.frame(0, 0, 0x100, false, buf, 1, 2);
    p.frame(0, 0, 0x7FF, false, buf, 1, 2);
    p.flush();

    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("""
        {"t":0,"bus":0,"id":256,"message":"Small","signals":{"Mode":1,"A":2},"labels":{"Mode":"one"}}
        {"t":0,"bus":0,"id":2047,"unknown":true,"data":"0104"}
        """);
    assertThat(buf.readerIndex()).isZero();
  }
}
