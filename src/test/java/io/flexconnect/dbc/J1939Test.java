package io.flexconnect.dbc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** J1939: PGN matching that ignores priority and source address, and the source address tag. */
class J1939Test {

  private static final String DBC = String.join("\n",
      "VERSION \"\"",
      "BU_: ECU",
      "BO_ 2364540158 EEC1: 8 ECU",
      " SG_ EngineSpeed : 24|16@1+ (0.125,0) [0|8031.875] \"rpm\" ECU",
      "BO_ 2565537790 Request: 3 ECU",
      " SG_ RequestedPgn : 0|24@1+ (1,0) [0|16777215] \"\" ECU",
      "BA_DEF_ \"ProtocolType\" STRING ;",
      "BA_DEF_DEF_ \"ProtocolType\" \"\";",
      "BA_ \"ProtocolType\" \"J1939\";",
      "");

  private static DbcDecoder decoder() throws DbcParseException {
    return DbcDecoder.compile(DbcParser.parse(DBC, "j1939.dbc"));
  }

  @Test
  void verifiesThatPdu1PgnsExcludeTheDestinationAddress() {
    assertThat(DbcDecoder.j1939Pgn(0x18EA00F9)).isEqualTo(0xEA00);
    assertThat(DbcDecoder.j1939Pgn(0x18EA17F9)).isEqualTo(0xEA00);
  }

  @Test
  void verifiesThatPdu2PgnsIncludeThePduSpecificByte() {
    assertThat(DbcDecoder.j1939Pgn(0x18FEF100)).isEqualTo(0xFEF1);
  }

  @Test
  void verifiesThatAnotherPriorityAndSourceAddressFindTheSameParameterGroup() throws Exception {
    DbcDecoder decoder = decoder();
    // EEC1 is 0x0CF004FE in the file: priority 3, source 0xFE; the frame has priority 6, source 0x00.
    CompiledMessage m = decoder.find(0x18F00400, true);
    assertThat(m.message().name()).isEqualTo("EEC1");
    assertThat(m.isJ1939()).isTrue();
    assertThat(m.j1939SourceAddress(0x18F00400)).isZero();
  }

  @Test
  void verifiesThatPdu1MessagesMatchWhateverTheDestinationAddress() throws Exception {
    // Request is 0x18EAFFFE in the file (PGN 0xEA00, destination 0xFF).
    CompiledMessage m = decoder().find(0x18EA1722, true);
    assertThat(m.message().name()).isEqualTo("Request");
    assertThat(m.j1939SourceAddress(0x18EA1722)).isEqualTo(0x22);
  }

  @Test
  void verifiesThatAStandardFrameNeverMatchesByPgn() throws Exception {
    assertThat(decoder().find(0x4FE, false)).isNull();
  }
}
