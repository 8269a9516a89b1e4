package io.flexconnect.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flexconnect.decode.DecodeOptions.DbcSpec;
import io.flexconnect.decode.DecodeOptions.Mode;
import io.flexconnect.decode.DecodeOptions.UsageException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Command-line rules of {@code decode}, without any file. */
class DecodeOptionsTest {

  private static DecodeOptions parse(String... args) throws UsageException {
    return DecodeOptions.parse(List.of(args));
  }

  @Test
  void verifiesThatDbcFilesKeepTheirOrderAndBus() throws UsageException {
    DecodeOptions o = parse("--dbc", "all.dbc", "--dbc=2=two.dbc", "--dbc", "1=one.dbc", "in.bin");

    assertThat(o.dbcs()).containsExactly(new DbcSpec(DbcSpec.ALL_BUSES, Path.of("all.dbc")),
        new DbcSpec(2, Path.of("two.dbc")), new DbcSpec(1, Path.of("one.dbc")));
    assertThat(o.mode()).isEqualTo(Mode.BINARY);
    assertThat(o.input()).isEqualTo(Path.of("in.bin"));
  }

  @Test
  void verifiesThatAnEqualsSignAfterANonNumberIsPartOfTheFileName() throws UsageException {
    assertThat(parse("--dbc", "a=b.dbc").dbcs())
        .containsExactly(new DbcSpec(DbcSpec.ALL_BUSES, Path.of("a=b.dbc")));
  }

  @Test
  void verifiesThatDashOrNoInputMeansStandardInput() throws UsageException {
    assertThat(parse("--dbc", "x.dbc").input()).isNull();
    assertThat(parse("--dbc", "x.dbc", "-").input()).isNull();
    assertThat(parse("--dbc", "x.dbc", "--candump", "-").mode()).isEqualTo(Mode.CANDUMP);
  }

  @Test
  void verifiesThatFramesTakeBusAndTime() throws UsageException {
    DecodeOptions o = parse("--dbc", "x.dbc", "--frame", "123#00", "--frame=456#01", "--bus", "3",
        "--time", "1622547800000", "--unknown");

    assertThat(o.mode()).isEqualTo(Mode.FRAMES);
    assertThat(o.frames()).containsExactly("123#00", "456#01");
    assertThat(o.bus()).isEqualTo(3);
    assertThat(o.timeMs()).isEqualTo(1622547800000L);
    assertThat(o.printUnknown()).isTrue();
  }

  @Test
  void verifiesThatDefaultsAreBusZeroTimeZeroAndUnknownSkipped() throws UsageException {
    DecodeOptions o = parse("--dbc", "x.dbc", "--frame", "123#00");

    assertThat(o.bus()).isZero();
    assertThat(o.timeMs()).isZero();
    assertThat(o.printUnknown()).isFalse();
  }

  @Test
  void verifiesThatHelpIsAnsweredWithoutTheRequiredOptions() throws UsageException {
    assertThat(parse("--help").help()).isTrue();
    assertThat(parse("--dbc", "x.dbc", "-h").help()).isTrue();
    assertThat(parse("--frame", "1#2", "-h").help()).isTrue();
  }

  @Test
  void verifiesThatUsageMistakesAreRefusedWithASentence() {
    assertRefused("at least one --dbc", "in.bin");
    assertRefused("unknown option '--bogus'", "--dbc", "x.dbc", "--bogus");
    assertRefused("--dbc needs a value", "--dbc");
    assertRefused("one INPUT at most", "--dbc", "x.dbc", "a.bin", "b.bin");
    assertRefused("exclude each other", "--dbc", "x.dbc", "--candump", "--frame", "123#00");
    assertRefused("--frame takes no INPUT", "--dbc", "x.dbc", "--frame", "123#00", "a.bin");
    assertRefused("--time applies to --frame only", "--dbc", "x.dbc", "--time", "5", "a.bin");
    assertRefused("--bus applies to --frame and --candump only", "--dbc", "x.dbc", "--bus", "1");
    assertRefused("--bus needs a decimal number", "--dbc", "x.dbc", "--frame", "1#2", "--bus", "x");
    assertRefused("--time must be between 0", "--dbc", "x.dbc", "--frame", "1#2", "--time", "-5");
    assertRefused("file name missing after '='", "--dbc", "1=");
    assertRefused("--candump takes no value", "--dbc", "x.dbc", "--candump=yes");
  }

  private static void assertRefused(String message, String... args) {
    assertThatThrownBy(() -> parse(args)).isInstanceOf(UsageException.class).hasMessageContaining(message);
  }
}
