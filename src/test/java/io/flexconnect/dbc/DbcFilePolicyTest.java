package io.flexconnect.dbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every real file in the test data either loads (possibly with warnings) or is refused
 * with a line-and-column message, as {@code docs/dbc.md} describes.
 */
class DbcFilePolicyTest {

  /** Files refused on purpose, with the location and reason expected. */
  private static final Map<String, String> REFUSED = Map.of(
      "cantools_issue_199_extended.dbc",
      "cantools_issue_199_extended.dbc:45:5: extended frame ID 0x7fffffff of message DriverDoorStatus "
          + "is more than 29 bits");

  static Stream<Path> files() throws IOException {
    List<Path> all = new java.util.ArrayList<>();
    for (Path dir : List.of(TestData.dbcDir(), TestData.dbcExtraDir())) {
      try (Stream<Path> s = Files.list(dir)) {
        s.filter(p -> p.getFileName().toString().toLowerCase().endsWith(".dbc")).sorted()
            .forEach(all::add);
      }
    }
    assertThat(all).hasSizeGreaterThanOrEqualTo(47);
    return all.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void verifiesThatEachRealFileLoadsOrIsRefusedWithALocation(Path file) throws Exception {
    String name = file.getFileName().toString();
    if (REFUSED.containsKey(name)) {
      DbcParseException e = catchThrowableOfType(DbcParseException.class, () -> DbcLoader.load(file));
      assertThat(e).as(name + " must be refused").isNotNull();
      assertThat(e.getMessage()).startsWith(REFUSED.get(name));
      return;
    }
    DbcDatabase db = DbcLoader.load(file);
    assertThat(db.messages()).isNotEmpty();
    for (DbcWarning w : db.warnings()) {
      assertThat(w.line()).isPositive();
      assertThat(w.column()).isPositive();
      assertThat(w.message()).isNotBlank();
    }
    // Compiling never fails once loaded.
    assertThat(DbcDecoder.compile(db).messages()).hasSameSizeAs(db.messages());
  }

  private static DbcDatabase extra(String name) throws Exception {
    return DbcLoader.load(TestData.dbcExtraDir().resolve(name));
  }

  private static List<String> warnings(DbcDatabase db) {
    return db.warnings().stream().map(DbcWarning::toString).toList();
  }

  @Test
  void verifiesThatCantoolsIssue199IsRefusedForItsOver29BitExtendedId() {
    DbcParseException e = catchThrowableOfType(DbcParseException.class,
        () -> DbcLoader.load(TestData.dbcDir().resolve("cantools_issue_199_extended.dbc")));
    assertThat(e.line()).isEqualTo(45);
    assertThat(e.column()).isEqualTo(5);
    assertThat(e.reason()).contains("more than 29 bits");
  }

  @Test
  void verifiesThatACommentNamingNoSignalIsIgnoredWithAWarning() throws Exception {
    DbcDatabase db = extra("opendbc_honda_civic_touring_2016_can_generated.dbc");
    assertThat(warnings(db)).contains("211:13: CM_ SG_ 304 names no signal; comment ignored");
  }

  @Test
  void verifiesThatUnflaggedIdsAbove0x7ffBecomeExtendedWithAWarning() throws Exception {
    DbcDatabase db = extra("opendbc_vw_meb_generated.dbc");
    assertThat(db.message("VZE_04").extended()).isTrue();
    assertThat(DbcDecoder.compile(db).find(0x12dd54a7, true).message().name()).isEqualTo("VZE_04");
    assertThat(warnings(db)).anyMatch(w -> w.startsWith("1921:5: frame ID 0x12dd54a7 of message VZE_04"));
  }

  @Test
  void verifiesThatSignalsPastTheDeclaredLengthAreKeptWithAWarning() throws Exception {
    DbcDatabase db = extra("opendbc_FORD_CADS_64.dbc");
    assertThat(warnings(db)).anyMatch(w -> w.startsWith("714:41: signal CAN_DET_SUPER_RES_TARGET_22_03 "
        + "needs 26 bytes but message MRR_Detection_022 declares 24"));
  }

  @Test
  void verifiesThatOverlappingSignalsAreWarnedAbout() throws Exception {
    DbcDatabase db = extra("opendbc_toyota_nodsu_pt_generated.dbc");
    assertThat(warnings(db)).anyMatch(w -> w.contains("overlaps signal PCS_DUST in message PCS_HUD"));
  }

  @Test
  void verifiesThatAMissingFinalSemicolonIsAcceptedWithAWarning() throws Exception {
    DbcDatabase db = extra("opendbc_gm_global_a_powertrain_generated.dbc");
    assertThat(warnings(db)).anyMatch(w -> w.contains("value list is not terminated by ';'"));
  }

  @Test
  void verifiesThatCp1252FilesKeepTheirAccentedText() throws Exception {
    DbcDatabase db = DbcLoader.load(TestData.dbcDir().resolve("cantools_choices.dbc"));
    assertThat(db.encoding()).isEqualTo("windows-1252");
    String all = db.messages().stream().flatMap(m -> m.signals().stream())
        .flatMap(s -> s.conversion().valueTable().values().stream()).reduce("", String::concat);
    assertThat(all).contains("#%=*\u00e4'").doesNotContain("\ufffd");
  }

  @Test
  void verifiesThatTheIndependentSignalContainerIsDroppedSilently() throws Exception {
    DbcDatabase db = extra("css_gnss.dbc");
    assertThat(db.message("VECTOR__INDEPENDENT_SIG_MSG")).isNull();
    assertThat(db.warnings()).isEmpty();
  }

  @Test
  void verifiesThatJ1939DatabasesMarkTheirExtendedMessages() throws Exception {
    DbcDatabase db = extra("css_CSS-Electronics-SAE-J1939-DEMO.dbc");
    assertThat(db.messages()).allSatisfy(m -> assertThat(m.j1939()).isTrue());
  }
}
