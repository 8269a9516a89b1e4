package io.flexconnect.dbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Grammar, model and refusals with line and column, on hand-written snippets. */
class DbcParserTest {

  private static final String HEADER = "VERSION \"1.0\"\n\nNS_ :\n\tCM_\n\tBA_DEF_\n\nBS_:\n\nBU_: Ecu Gateway\n";

  private static DbcDatabase parse(String body) throws DbcParseException {
    return DbcParser.parse(HEADER + body, "test.dbc");
  }

  private static DbcParseException refused(String body) {
    return catchThrowableOfType(DbcParseException.class, () -> parse(body));
  }

  @Test
  void verifiesThatAMessageWithSignalsCommentsAndAttributesIsModelled() throws Exception {
    DbcDatabase db = parse(String.join("\n",
        "BO_ 291 Engine: 8 Ecu",
        " SG_ Rpm : 0|16@1+ (0.25,0) [0|16383.75] \"rpm\" Gateway,Ecu",
        " SG_ Temp : 23|8@0- (1,-40) [-40|215] \"degC\" Gateway",
        "CM_ \"database comment\";",
        "CM_ BU_ Ecu \"engine controller\";",
        "CM_ BO_ 291 \"engine status\";",
        "CM_ SG_ 291 Rpm \"crank speed\";",
        "BA_DEF_ BO_ \"GenMsgCycleTime\" INT 0 10000;",
        "BA_DEF_ BU_ \"NodeKind\" ENUM \"Ecu\",\"Sensor\";",
        "BA_DEF_DEF_ \"GenMsgCycleTime\" 0;",
        "BA_ \"GenMsgCycleTime\" BO_ 291 100;",
        "BA_ \"NodeKind\" BU_ Ecu 1;",
        "BO_TX_BU_ 291 : Ecu,Gateway;",
        ""));
    DbcMessage m = db.message("Engine");
    assertThat(db.version()).isEqualTo("1.0");
    assertThat(db.comment()).isEqualTo("database comment");
    assertThat(m.frameId()).isEqualTo(291);
    assertThat(m.extended()).isFalse();
    assertThat(m.comment()).isEqualTo("engine status");
    assertThat(m.cycleTimeMs()).isEqualTo(100);
    assertThat(m.transmitters()).containsExactly("Ecu", "Gateway");
    DbcSignal rpm = m.signal("Rpm");
    assertThat(rpm.layout()).isEqualTo(new DbcLayout(0, 16, DbcByteOrder.LITTLE_ENDIAN, false,
        DbcValueType.INTEGER));
    assertThat(rpm.conversion().factor()).isEqualTo(0.25);
    assertThat(rpm.unit()).isEqualTo("rpm");
    assertThat(rpm.receivers()).containsExactly("Gateway", "Ecu");
    assertThat(rpm.comment()).isEqualTo("crank speed");
    DbcSignal temp = m.signal("Temp");
    assertThat(temp.layout().byteOrder()).isEqualTo(DbcByteOrder.BIG_ENDIAN);
    assertThat(temp.layout().signed()).isTrue();
    assertThat(temp.conversion().offset()).isEqualTo(-40);
    assertThat(db.nodes()).extracting(DbcNode::name).containsExactly("Ecu", "Gateway");
    assertThat(db.nodes().get(0).comment()).isEqualTo("engine controller");
    assertThat(db.nodes().get(0).attributes()).containsEntry("NodeKind", "Sensor");
    assertThat(db.warnings()).isEmpty();
  }

  @Test
  void verifiesThatValueTablesAndSignalValueDescriptionsAreRead() throws Exception {
    DbcDatabase db = parse(String.join("\n",
        "VAL_TABLE_ Gear 0 \"P\" 1 \"R\" 2 \"N\" 3 \"D\" ;",
        "BO_ 10 Trans: 1 Ecu",
        " SG_ Gear : 0|4@1+ (1,0) [0|15] \"\" Gateway",
        "VAL_ 10 Gear 0 \"Park\" 1 \"Reverse\" ;",
        ""));
    assertThat(db.valueTables().get("Gear")).containsEntry(3L, "D");
    assertThat(db.message("Trans").signal("Gear").conversion().label(1)).isEqualTo("Reverse");
  }

  @Test
  void verifiesThatExtendedIdsCarryBit31InTheFileAndNotInTheModel() throws Exception {
    DbcMessage m = parse("BO_ 2566844926 Ext: 8 Ecu\n").message("Ext");
    assertThat(m.extended()).isTrue();
    assertThat(m.frameId()).isEqualTo(0x18FEF1FE);
    assertThat(m.dbcId()).isEqualTo(0x98FEF1FE);
  }

  @Test
  void verifiesThatVFrameFormatMarksCanFdMessages() throws Exception {
    DbcDatabase db = parse(String.join("\n",
        "BO_ 2147483649 Fd: 8 Ecu",
        "BA_DEF_ BO_ \"VFrameFormat\" ENUM \"StandardCAN\",\"ExtendedCAN\",\"StandardCAN_FD\","
            + "\"ExtendedCAN_FD\";",
        "BA_ \"VFrameFormat\" BO_ 2147483649 3;",
        ""));
    assertThat(db.message("Fd").fd()).isTrue();
    assertThat(db.message("Fd").attributes()).containsEntry("VFrameFormat", "ExtendedCAN_FD");
  }

  @Test
  void verifiesThatUnsupportedSectionsAreSkipped() throws Exception {
    DbcDatabase db = parse(String.join("\n",
        "BO_ 1 M: 8 Ecu",
        " SG_ S : 0|8@1+ (1,0) [0|0] \"\" Ecu",
        "EV_ EnvVar: 0 [0|100] \"\" 0 1 DUMMY_NODE_VECTOR0 Vector__XXX;",
        "ENVVAR_DATA_ EnvVar: 4;",
        "SGTYPE_ T : 8@1+ (1,0) [0|0] \"\" 0, Tab;",
        "BA_DEF_REL_ BU_SG_REL_ \"R\" INT 0 1;",
        "BA_REL_ \"R\" BU_SG_REL_ Ecu SG_ 1 S 1;",
        "SIG_GROUP_ 1 Group 1 : S;",
        "CAT_DEF_ 1 Cat 0 ;",
        "FILTER 0 ;",
        "SIGTYPE_VALTYPE_ T : 1;",
        "VAL_ EnvVar 0 \"off\" ;",
        "CM_ EV_ EnvVar \"an environment variable\";",
        ""));
    assertThat(db.message("M").signals()).hasSize(1);
    assertThat(db.warnings()).isEmpty();
  }

  @Test
  void verifiesThatMultiplexIndicatorsAndSgMulValAreLinked() throws Exception {
    DbcMessage m = parse(String.join("\n",
        "BO_ 1 M: 8 Ecu",
        " SG_ Top M : 0|8@1+ (1,0) [0|0] \"\" Ecu",
        " SG_ Sub m1M : 8|8@1+ (1,0) [0|0] \"\" Ecu",
        " SG_ Leaf m2 : 16|8@1+ (1,0) [0|0] \"\" Ecu",
        "SG_MUL_VAL_ 1 Sub Top 1-1;",
        "SG_MUL_VAL_ 1 Leaf Sub 2-4, 7-9;",
        "")).message("M");
    assertThat(m.signal("Top").multiplexer()).isTrue();
    assertThat(m.signal("Sub").multiplexer()).isTrue();
    assertThat(m.signal("Leaf").muxCondition().multiplexer()).isEqualTo("Sub");
    assertThat(m.signal("Leaf").muxCondition().ranges()).containsExactly(
        new DbcMuxCondition.Range(2, 4), new DbcMuxCondition.Range(7, 9));
  }

  @Test
  void verifiesThatAMissingColonIsRefusedAtItsLineAndColumn() {
    DbcParseException e = refused("BO_ 100 Msg 8 Ecu\n");
    assertThat(e.line()).isEqualTo(10);
    assertThat(e.column()).isEqualTo(13);
    assertThat(e.getMessage()).isEqualTo("test.dbc:10:13: expected ':' but found '8'");
  }

  @Test
  void verifiesThatAnInvalidByteOrderIsRefused() {
    DbcParseException e = refused("BO_ 100 Msg: 8 Ecu\n SG_ S : 0|8@2+ (1,0) [0|0] \"\" Ecu\n");
    assertThat(e.line()).isEqualTo(11);
    assertThat(e.column()).isEqualTo(14);
    assertThat(e.reason()).contains("expected byte order 0 (Motorola) or 1 (Intel)");
  }

  @Test
  void verifiesThatAMissingSignIsRefused() {
    DbcParseException e = refused("BO_ 100 Msg: 8 Ecu\n SG_ S : 0|8@1 (1,0) [0|0] \"\" Ecu\n");
    assertThat(e.reason()).contains("expected '+' (unsigned) or '-' (signed)");
    assertThat(e.column()).isEqualTo(16);
  }

  @Test
  void verifiesThatAnUnterminatedStringIsRefusedWhereItOpens() {
    DbcParseException e = refused("CM_ BO_ 100 \"never closed;\n");
    assertThat(e.line()).isEqualTo(10);
    assertThat(e.column()).isEqualTo(13);
    assertThat(e.reason()).contains("never closed");
  }

  @Test
  void verifiesThatASignalOutsideAMessageIsRefused() {
    DbcParseException e = refused("SG_ S : 0|8@1+ (1,0) [0|0] \"\" Ecu\n");
    assertThat(e.reason()).contains("SG_ outside a message");
  }

  @Test
  void verifiesThatAnUnknownTopLevelWordIsRefused() {
    DbcParseException e = refused("bogus 1 2 3;\n");
    assertThat(e.line()).isEqualTo(10);
    assertThat(e.column()).isEqualTo(1);
    assertThat(e.reason()).contains("expected a section keyword");
  }

  @Test
  void verifiesThatASignalLongerThan64BitsIsRefused() {
    DbcParseException e = refused("BO_ 100 Msg: 8 Ecu\n SG_ S : 0|65@1+ (1,0) [0|0] \"\" Ecu\n");
    assertThat(e.reason()).contains("expected 1 to 64 bits");
  }

  @Test
  void verifiesThatAFloatSignalOfTheWrongLengthIsRefused() {
    DbcParseException e = refused(
        "BO_ 100 Msg: 8 Ecu\n SG_ S : 0|16@1+ (1,0) [0|0] \"\" Ecu\nSIG_VALTYPE_ 100 S : 1;\n");
    assertThat(e.reason()).contains("expected 32");
  }

  @Test
  void verifiesThatAnExtendedIdOver29BitsIsRefused() {
    DbcParseException e = refused("BO_ 4294967295 Bad: 8 Ecu\n");
    assertThat(e.line()).isEqualTo(10);
    assertThat(e.column()).isEqualTo(5);
    assertThat(e.reason()).contains("extended frame ID 0x7fffffff of message Bad is more than 29 bits");
  }

  @Test
  void verifiesThatDuplicateMessageIdsAreRefused() {
    DbcParseException e = refused("BO_ 100 A: 8 Ecu\nBO_ 100 B: 8 Ecu\n");
    assertThat(e.line()).isEqualTo(11);
    assertThat(e.reason()).contains("reuses standard ID 0x64 of message A (line 10)");
  }

  @Test
  void verifiesThatAMultiplexedSignalWithoutMultiplexerIsRefused() {
    DbcParseException e = refused("BO_ 100 Msg: 8 Ecu\n SG_ S m1 : 8|8@1+ (1,0) [0|0] \"\" Ecu\n");
    assertThat(e.reason()).contains("has no multiplexer signal (M)");
    assertThat(e.column()).isEqualTo(8);
  }

  @Test
  void verifiesThatAMultiplexerCycleIsRefused() {
    DbcParseException e = refused(String.join("\n",
        "BO_ 1 M: 8 Ecu",
        " SG_ A m1M : 0|8@1+ (1,0) [0|0] \"\" Ecu",
        " SG_ B m1M : 8|8@1+ (1,0) [0|0] \"\" Ecu",
        "SG_MUL_VAL_ 1 A B 1-1;",
        "SG_MUL_VAL_ 1 B A 1-1;",
        ""));
    assertThat(e.reason()).contains("forms a cycle");
  }

  @Test
  void verifiesThatACommentOnAnUnknownSignalIsAWarning() throws Exception {
    DbcDatabase db = parse("BO_ 100 Msg: 8 Ecu\nCM_ SG_ 100 Ghost \"boo\";\n");
    assertThat(db.warnings()).containsExactly(new DbcWarning(11, 1,
        "CM_ SG_ names unknown signal Ghost of message Msg; ignored"));
  }

  @Test
  void verifiesThatAnIdAbove0x7ffWithoutTheExtendedFlagIsTreatedAsExtended() throws Exception {
    DbcDatabase db = parse("BO_ 316495015 Vze: 8 Ecu\n");
    assertThat(db.message("Vze").extended()).isTrue();
    assertThat(db.message("Vze").frameId()).isEqualTo(0x12dd54a7);
    assertThat(db.warnings()).singleElement().satisfies(w -> {
      assertThat(w.line()).isEqualTo(10);
      assertThat(w.column()).isEqualTo(5);
      assertThat(w.message()).contains("treated as a 29-bit extended ID");
    });
  }

  @Test
  void verifiesThatAnUnflaggedIdOver29BitsIsRefused() {
    DbcParseException e = refused("BO_ 1073741824 Big: 8 Ecu\n");
    assertThat(e.reason()).contains("is more than 29 bits and is not marked extended");
  }

  @Test
  void verifiesThatOverlappingPlainSignalsAreAWarning() throws Exception {
    DbcDatabase db = parse("BO_ 1 M: 8 Ecu\n SG_ A : 0|8@1+ (1,0) [0|0] \"\" Ecu\n"
        + " SG_ B : 4|8@1+ (1,0) [0|0] \"\" Ecu\n");
    assertThat(db.warnings()).singleElement().satisfies(w ->
        assertThat(w.toString()).isEqualTo("12:6: signal B overlaps signal A in message M; both are decoded"));
  }

  @Test
  void verifiesThatASignalPastTheMessageLengthIsAWarning() throws Exception {
    DbcDatabase db = parse("BO_ 1 M: 2 Ecu\n SG_ A : 16|8@1+ (1,0) [0|0] \"\" Ecu\n");
    assertThat(db.warnings()).singleElement().satisfies(w -> {
      assertThat(w.line()).isEqualTo(11);
      assertThat(w.message()).contains("needs 3 bytes but message M declares 2");
    });
  }

  @Test
  void verifiesThatAMessageOver64BytesIsRefused() {
    assertThat(refused("BO_ 1 M: 65 Ecu\n").reason()).contains("expected at most 64");
  }

  @Test
  void verifiesThatAValueListMissingItsSemicolonAtEndOfFileIsAccepted() throws Exception {
    DbcDatabase db = parse("BO_ 1 M: 1 Ecu\n SG_ A : 0|1@1+ (1,0) [0|1] \"\" Ecu\nVAL_ 1 A 1 \"On\" 0 \"Off\"");
    assertThat(db.message("M").signal("A").conversion().label(1)).isEqualTo("On");
    assertThat(db.warnings()).singleElement().satisfies(w ->
        assertThat(w.message()).contains("not terminated by ';'"));
  }

  @Test
  void verifiesThatWindows1252FilesAreReadWhenTheyAreNotUtf8() throws Exception {
    byte[] text = (HEADER + "BO_ 1 M: 1 Ecu\n SG_ T : 0|8@1+ (1,0) [0|0] \"\u00b0C\" Ecu\n")
        .getBytes(java.nio.charset.Charset.forName("windows-1252"));
    DbcDatabase db = DbcLoader.load(text, "cp1252.dbc");
    assertThat(db.encoding()).isEqualTo("windows-1252");
    assertThat(db.message("M").signal("T").unit()).isEqualTo("\u00b0C");
    assertThat(db.warnings()).extracting(DbcWarning::message)
        .containsExactly("file is not valid UTF-8; read as windows-1252");
  }

  @Test
  void verifiesThatUtf8FilesAreReadAsUtf8() throws Exception {
    byte[] text = (HEADER + "BO_ 1 M: 1 Ecu\n SG_ T : 0|8@1+ (1,0) [0|0] \"\u00b0C\" Ecu\n")
        .getBytes(StandardCharsets.UTF_8);
    DbcDatabase db = DbcLoader.load(text, "utf8.dbc");
    assertThat(db.encoding()).isEqualTo("UTF-8");
    assertThat(db.message("M").signal("T").unit()).isEqualTo("\u00b0C");
  }

  @Test
  void verifiesThatAHugeExponentIsRefusedQuickly() {
    DbcParseException e = refused("BO_ 1e999999999 M: 8 Ecu\n");
    assertThat(e.reason()).contains("expected an integer of at most 64 bits");
  }

  @Test
  void verifiesThatALengthOverflowingAnIntIsRefusedRatherThanWrapped() {
    DbcParseException e = refused("BO_ 1 M: 8 Ecu\n SG_ S : 0|4294967304@1+ (1,0) [0|0] \"\" Ecu\n");
    assertThat(e.reason()).contains("expected a small integer");
  }

  @Test
  void verifiesThatAnInfiniteFactorIsRefused() {
    DbcParseException e = refused("BO_ 1 M: 8 Ecu\n SG_ S : 0|8@1+ (1e999,0) [0|0] \"\" Ecu\n");
    assertThat(e.reason()).contains("expected a finite number");
  }

  @Test
  void verifiesThatNegativeRawValuesFindTheirLabels() throws Exception {
    DbcDatabase db = parse("BO_ 1 M: 1 Ecu\n SG_ S : 0|8@1- (1,0) [0|0] \"\" Ecu\n"
        + "VAL_ 1 S -1 \"Invalid\" -128 \"Min\" 5 \"Five\" ;\n");
    CompiledMessage m = DbcDecoder.compile(db).find(1, false);
    java.util.List<String> labels = new java.util.ArrayList<>();
    m.decode(new byte[] {(byte) 0xFF}, (s, p, raw, label) -> labels.add(label));
    m.decode(new byte[] {(byte) 0x80}, (s, p, raw, label) -> labels.add(label));
    m.decode(new byte[] {5}, (s, p, raw, label) -> labels.add(label));
    m.decode(new byte[] {6}, (s, p, raw, label) -> labels.add(label));
    assertThat(labels).containsExactly("Invalid", "Min", "Five", null);
  }

  @Test
  void verifiesThatRandomlyMutatedFilesEitherLoadOrAreRefusedWithAParseException() throws Exception {
    String original = new String(java.nio.file.Files.readAllBytes(
        TestData.dbcDir().resolve("cantools_multiplex_2.dbc")), StandardCharsets.UTF_8);
    java.util.Random random = new java.util.Random(7);
    String alphabet = ":;|@+-()[],\"0123456789 \nMmxX_.eE";
    int loaded = 0;
    int refused = 0;
    for (int i = 0; i < 1000; i++) {
      StringBuilder sb = new StringBuilder(original);
      for (int k = 0; k < 1 + random.nextInt(3); k++) {
        int p = random.nextInt(sb.length());
        char c = alphabet.charAt(random.nextInt(alphabet.length()));
        switch (random.nextInt(3)) {
          case 0 -> sb.deleteCharAt(p);
          case 1 -> sb.insert(p, c);
          default -> sb.setCharAt(p, c);
        }
      }
      try {
        DbcDecoder.compile(DbcParser.parse(sb.toString(), "mutated.dbc"));
        loaded++;
      } catch (DbcParseException e) {
        assertThat(e.line()).isPositive();
        refused++;
      }
    }
    assertThat(loaded + refused).isEqualTo(1000);
    assertThat(refused).isPositive();
  }
}
