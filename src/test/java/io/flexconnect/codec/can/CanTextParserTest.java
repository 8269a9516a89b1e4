package io.flexconnect.codec.can;

import static io.flexconnect.codec.can.CanTestSupport.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.flexconnect.codec.can.CanTextParser.Result;
import org.junit.jupiter.api.Test;

class CanTextParserTest {

  private static CanLogEntry entry(String line) {
    Result<CanLogEntry> result = CanTextParser.parseCandumpLine(line);
    assertThat(result).isInstanceOf(Result.Parsed.class);
    return ((Result.Parsed<CanLogEntry>) result).value();
  }

  private static CanTextFrame frame(String text) {
    Result<CanTextFrame> result = CanTextParser.parseFrame(text);
    assertThat(result).isInstanceOf(Result.Parsed.class);
    return ((Result.Parsed<CanTextFrame>) result).value();
  }

  @Test
  void verifiesThatAClassicCandumpLineIsParsed() {
    CanLogEntry entry = entry("(1622547800.000000) can0 123#0102030405060708");
    assertThat(entry.timestampMs()).isEqualTo(1622547800000L);
    assertThat(entry.iface()).isEqualTo("can0");
    assertThat(entry.bus()).isZero();
    assertThat(entry.frame().canId()).isEqualTo(0x123);
    assertThat(entry.frame().extended()).isFalse();
    assertThat(entry.frame().fd()).isFalse();
    assertThat(entry.frame().data()).containsExactly(bytes(1, 2, 3, 4, 5, 6, 7, 8));
  }

  @Test
  void verifiesThatTheTimestampIsConvertedToMillisecondsExactly() {
    assertThat(entry("(1622547800.123999) can0 123#").timestampMs()).isEqualTo(1622547800123L);
    assertThat(entry("(1622547800.5) can0 123#").timestampMs()).isEqualTo(1622547800500L);
  }

  @Test
  void verifiesThatAnEightDigitIdIsExtended() {
    CanTextFrame frame = entry("(1622547800.000000) can1 18FEF100#FF00").frame();
    assertThat(frame.extended()).isTrue();
    assertThat(frame.canId()).isEqualTo(0x18FEF100);
    assertThat(frame.dbcId()).isEqualTo(0x98FEF100);
  }

  @Test
  void verifiesThatAnEightDigitSmallIdIsStillExtended() {
    CanTextFrame frame = frame("00000123#11");
    assertThat(frame.extended()).isTrue();
    assertThat(frame.canId()).isEqualTo(0x123);
  }

  @Test
  void verifiesThatACanFdLineKeepsItsFlagsAndUpTo64Bytes() {
    String data = "00".repeat(64);
    CanLogEntry entry = entry("(1622547800.000000) vcan2 1A0##1" + data);
    assertThat(entry.bus()).isEqualTo(2);
    assertThat(entry.frame().fd()).isTrue();
    assertThat(entry.frame().fdFlags()).isEqualTo(1);
    assertThat(entry.frame().length()).isEqualTo(64);
  }

  @Test
  void verifiesThatRemoteFramesAreSkipped() {
    assertThat(CanTextParser.parseCandumpLine("(1622547800.000000) can0 123#R"))
        .isInstanceOf(Result.Skipped.class);
    assertThat(CanTextParser.parseFrame("12345678#R5")).isInstanceOf(Result.Skipped.class);
  }

  @Test
  void verifiesThatErrorFramesAreSkipped() {
    assertThat(CanTextParser.parseFrame("20000004#0004000000000000")).isInstanceOf(Result.Skipped.class);
  }

  @Test
  void verifiesThatBlankLinesAndCommentsAreSkipped() {
    assertThat(CanTextParser.parseCandumpLine("   ")).isInstanceOf(Result.Skipped.class);
    assertThat(CanTextParser.parseCandumpLine("# recorded on the bench")).isInstanceOf(Result.Skipped.class);
  }

  @Test
  void verifiesThatATrailingDirectionMarkerIsIgnored() {
    assertThat(entry("(1622547800.000000) can0 123#11 R").frame().data()).containsExactly(bytes(0x11));
  }

  @Test
  void verifiesThatDotSeparatedDataAndTheDlcSuffixAreAccepted() {
    assertThat(frame("123#11.22.33").data()).containsExactly(bytes(0x11, 0x22, 0x33));
    assertThat(frame("123#1122334455667788_E").length()).isEqualTo(8);
  }

  @Test
  void verifiesThatInterfaceNamesMapToTheirTrailingNumber() {
    assertThat(CanTextParser.busNumber("can0")).isZero();
    assertThat(CanTextParser.busNumber("vcan2")).isEqualTo(2);
    assertThat(CanTextParser.busNumber("slcan13")).isEqualTo(13);
    assertThat(CanTextParser.busNumber("vcan")).isEqualTo(-1);
  }

  @Test
  void verifiesThatMalformedTextIsInvalidNotAnException() {
    String[] bad = {
        "123", "12#00", "1234#00", "XYZ#00", "800#00", "123#0", "123#GG", "123#010203040506070809",
        "123##", "123##G00", "123###00", "40000000#00", "123#1122_3",
    };
    for (String text : bad) {
      assertThat(CanTextParser.parseFrame(text)).as(text).isInstanceOf(Result.Invalid.class);
    }
  }

  @Test
  void verifiesThatMalformedLogLinesAreInvalid() {
    String[] bad = {
        "1622547800.000000 can0 123#00", "(abc) can0 123#00", "(1.2.3) can0 123#00",
        "(1622547800.000000) can0", "(1622547800.000000) can0 123#00 extra",
    };
    for (String line : bad) {
      assertThat(CanTextParser.parseCandumpLine(line)).as(line).isInstanceOf(Result.Invalid.class);
    }
  }
}
