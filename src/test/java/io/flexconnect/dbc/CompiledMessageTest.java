package io.flexconnect.dbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Signal extraction with byte literals: byte orders, signs, widths, floats, multiplexing. */
class CompiledMessageTest {

  private static final String DBC = String.join("\n",
      "VERSION \"\"",
      "BU_: ECU",
      "BO_ 256 Geometry: 8 ECU",
      " SG_ IntelU12 : 4|12@1+ (1,0) [0|0] \"\" ECU",
      " SG_ MotoU12 : 11|12@0+ (1,0) [0|0] \"\" ECU",
      " SG_ IntelS16 : 48|16@1- (0.5,-10) [0|0] \"V\" ECU",
      " SG_ MotoS8 : 39|8@0- (1,0) [0|0] \"\" ECU",
      "BO_ 257 WideUnsigned: 8 ECU",
      " SG_ U64 : 0|64@1+ (1,0) [0|0] \"\" ECU",
      "BO_ 258 WideSigned: 8 ECU",
      " SG_ S64 : 0|64@1- (1,0) [0|0] \"\" ECU",
      "BO_ 259 Float32: 8 ECU",
      " SG_ F32 : 0|32@1- (2,1) [0|0] \"\" ECU",
      "BO_ 260 Float64: 8 ECU",
      " SG_ F64 : 7|64@0- (1,0) [0|0] \"\" ECU",
      "BO_ 2147483904 FdFrame: 16 ECU",
      " SG_ Wide64 : 28|64@1+ (1,0) [0|0] \"\" ECU",
      " SG_ MotoWide : 27|64@0+ (1,0) [0|0] \"\" ECU",
      " SG_ Tail : 100|8@1+ (1,0) [0|0] \"\" ECU",
      "BO_ 512 Muxed: 8 ECU",
      " SG_ Mux M : 0|8@1+ (1,0) [0|0] \"\" ECU",
      " SG_ A m1 : 8|8@1+ (1,0) [0|0] \"\" ECU",
      " SG_ B m2 : 8|16@1+ (1,0) [0|0] \"\" ECU",
      " SG_ Always : 56|8@1+ (1,0) [0|0] \"\" ECU",
      "BO_ 513 Cascade: 8 ECU",
      " SG_ Top M : 0|8@1+ (1,0) [0|0] \"\" ECU",
      " SG_ Sub m1M : 8|8@1+ (1,0) [0|0] \"\" ECU",
      " SG_ Leaf m3 : 16|8@1+ (1,0) [0|0] \"\" ECU",
      "BO_ 5 Standard5: 1 ECU",
      " SG_ S : 0|8@1+ (1,0) [0|0] \"\" ECU",
      "BO_ 2147483653 Extended5: 1 ECU",
      " SG_ E : 0|8@1+ (1,0) [0|0] \"\" ECU",
      "SIG_VALTYPE_ 259 F32 : 1;",
      "SIG_VALTYPE_ 260 F64 : 2;",
      "VAL_ 512 Mux 1 \"Alpha\" 2 \"Beta\" ;",
      "SG_MUL_VAL_ 513 Sub Top 1-1;",
      "SG_MUL_VAL_ 513 Leaf Sub 3-5, 9-9;",
      "");

  private static final DbcDecoder DECODER = compile();

  record Value(double physical, long raw, String label) {}

  private static DbcDecoder compile() {
    try {
      return DbcDecoder.compile(DbcParser.parse(DBC, "extract.dbc"));
    } catch (DbcParseException e) {
      throw new AssertionError(e);
    }
  }

  private static Map<String, Value> decode(int id, boolean extended, String hex) {
    Map<String, Value> out = new LinkedHashMap<>();
    DECODER.find(id, extended).decode(TestData.hex(hex), (s, physical, raw, label) ->
        out.put(s.name(), new Value(physical, raw, label)));
    return out;
  }

  @Test
  void verifiesThatIntelUnsignedSignalsReadFromTheirLeastSignificantBit() {
    assertThat(decode(256, false, "123456789abcdef0").get("IntelU12").raw()).isEqualTo(0x341);
  }

  @Test
  void verifiesThatMotorolaUnsignedSignalsReadFromTheirMostSignificantBit() {
    assertThat(decode(256, false, "123456789abcdef0").get("MotoU12").raw()).isEqualTo(0x456);
  }

  @Test
  void verifiesThatSignedIntelSignalsAreSignExtendedAndScaled() {
    Value v = decode(256, false, "123456789abcdef0").get("IntelS16");
    assertThat(v.raw()).isEqualTo(-3874);
    assertThat(v.physical()).isEqualTo(-1947.0);
  }

  @Test
  void verifiesThatSignedMotorolaSignalsAreSignExtended() {
    assertThat(decode(256, false, "123456789abcdef0").get("MotoS8").raw()).isEqualTo(-102);
  }

  @Test
  void verifiesThatUnsigned64BitValuesAboveLongMaxKeepTheirPhysicalValue() {
    Value v = decode(257, false, "ffffffffffffffff").get("U64");
    assertThat(Long.toUnsignedString(v.raw())).isEqualTo("18446744073709551615");
    assertThat(v.physical()).isEqualTo(1.8446744073709552e19);
  }

  @Test
  void verifiesThatSigned64BitValuesAreTwosComplement() {
    assertThat(decode(258, false, "feffffffffffffff").get("S64").physical()).isEqualTo(-2.0);
  }

  @Test
  void verifiesThatFloat32SignalsAreReadAsIeeeAndScaled() {
    assertThat(decode(259, false, "0000604000000000").get("F32").physical()).isEqualTo(8.0);
  }

  @Test
  void verifiesThatMotorolaFloat64SignalsAreReadAsIeee() {
    assertThat(decode(260, false, "c0934a4000000000").get("F64").physical()).isEqualTo(-1234.5625);
  }

  @Test
  void verifiesThat64BitSignalsSpanningNineBytesOfAnFdFrameAreExtracted() {
    Map<String, Value> v = decode(0x100, true, "0102030405060708090a0b0c0d0e0f10");
    assertThat(v.get("Wide64").physical()).isEqualTo(1.3884774193673822e19);
    assertThat(v.get("MotoWide").raw()).isEqualTo(0x405060708090a0b0L);
    assertThat(v.get("Tail").raw()).isEqualTo(224);
  }

  @Test
  void verifiesThatAShortFrameDecodesOnlyTheSignalsThatFitEntirely() {
    Map<String, Value> v = decode(0x100, true, "0102030405060708090a0b0c");
    assertThat(v).containsOnlyKeys("Wide64", "MotoWide");
  }

  @Test
  void verifiesThatAShortClassicFrameSkipsSignalsPastItsEnd() {
    assertThat(decode(256, false, "12345678")).containsOnlyKeys("IntelU12", "MotoU12");
  }

  @Test
  void verifiesThatASimpleMultiplexerSelectsOnlyItsSignalsAndLabelsItsValue() {
    Map<String, Value> v = decode(512, false, "0234120000000007");
    assertThat(v).containsOnlyKeys("Mux", "B", "Always");
    assertThat(v.get("B").raw()).isEqualTo(0x1234);
    assertThat(v.get("Mux").label()).isEqualTo("Beta");
  }

  @Test
  void verifiesThatCascadedExtendedMultiplexingFollowsTheChainOfRanges() {
    assertThat(decode(513, false, "0104090000000000")).containsOnlyKeys("Top", "Sub", "Leaf");
    assertThat(decode(513, false, "0109090000000000")).containsOnlyKeys("Top", "Sub", "Leaf");
    assertThat(decode(513, false, "0106090000000000")).containsOnlyKeys("Top", "Sub");
    assertThat(decode(513, false, "0204090000000000")).containsOnlyKeys("Top");
  }

  @Test
  void verifiesThatDecodingReadsAtTheGivenIndexWithoutMovingTheBuffer() {
    ByteBuf buf = Unpooled.buffer(16);
    buf.writeBytes(TestData.hex("eeeeee123456789abcdef0ee"));
    buf.readerIndex(1);
    Map<String, Double> out = new LinkedHashMap<>();
    int count = DECODER.find(256, false).decode(buf, 3, 8, (s, p, raw, l) -> out.put(s.name(), p));
    assertThat(count).isEqualTo(4);
    assertThat(out.get("IntelU12")).isEqualTo(0x341);
    assertThat(buf.readerIndex()).isEqualTo(1);
    assertThat(buf.writerIndex()).isEqualTo(12);
    buf.release();
  }

  @Test
  void verifiesThatStandardAndExtendedIdsWithTheSameNumberDoNotCollide() {
    assertThat(DECODER.find(5, false).message().name()).isEqualTo("Standard5");
    assertThat(DECODER.find(5, true).message().name()).isEqualTo("Extended5");
    assertThat(DECODER.find(6, false)).isNull();
  }

  @Test
  void verifiesThatNonJ1939MessagesReportNoSourceAddress() {
    assertThat(DECODER.find(5, true).j1939SourceAddress(5)).isEqualTo(-1);
  }

  @Test
  void verifiesThatCompiledSignalsExposeNameUnitAndMessage() {
    CompiledSignal s = DECODER.find(256, false).signal("IntelS16");
    assertThat(s.name()).isEqualTo("IntelS16");
    assertThat(s.unit()).isEqualTo("V");
    assertThat(s.messageName()).isEqualTo("Geometry");
  }

  @Test
  void verifiesThatUnsignedConversionRoundsLikeAnExactConversion() {
    assertThat(CompiledSignal.unsignedToDouble(0x8000000000000401L))
        .isEqualTo(new java.math.BigDecimal(Long.toUnsignedString(0x8000000000000401L)).doubleValue());
    assertThat(CompiledSignal.unsignedToDouble(-1L)).isCloseTo(1.8446744073709552e19, within(0.0));
  }
}
