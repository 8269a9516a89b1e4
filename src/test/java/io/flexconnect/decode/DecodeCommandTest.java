package io.flexconnect.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flexconnect.testing.TestVectors;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code decode} command end to end through {@link DecodeCommand#run}, on the repository's test data. */
class DecodeCommandTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String DEMO_DBC = "dbc/demo.dbc";

  @TempDir
  Path tmp;

  record Run(int exit, String out, String err) {
    List<JsonNode> lines() {
      List<JsonNode> nodes = new ArrayList<>();
      for (String line : out.split("\n")) {
        if (!line.isEmpty()) {
          try {
            nodes.add(MAPPER.readTree(line));
          } catch (IOException e) {
            throw new UncheckedIOException("not a JSON line: " + line, e);
          }
        }
      }
      return nodes;
    }
  }

  private static Run run(byte[] stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = DecodeCommand.run(List.of(args), new ByteArrayInputStream(stdin),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static Run run(String... args) {
    return run(new byte[0], args);
  }

  private static String message(String name) {
    return TestVectors.dir().resolve("messages").resolve(name).toString();
  }

  private static String dbc(String name) {
    return TestVectors.dir().resolve("dbc").resolve(name).toString();
  }

  private static String dbcExtra(String name) {
    return TestVectors.dir().resolve("dbc-extra").resolve(name).toString();
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(tmp.resolve(name), text);
  }

  @Test
  void verifiesThatTheSeedMessagePrintsOneLinePerFrameWithTheDemoValues() {
    Run r = run("--dbc", DEMO_DBC, message("seed-binary.bin"));

    assertThat(r.exit()).isZero();
    List<JsonNode> lines = r.lines();
    assertThat(lines).extracting(n -> n.get("message").asText())
        .containsExactly("EngineData", "BatteryStatus", "ChassisData");
    assertThat(lines).extracting(n -> n.get("bus").asInt()).containsExactly(1, 1, 2);
    assertThat(lines).extracting(n -> n.get("id").asInt()).containsExactly(0x123, 0x456, 0x789);
    assertThat(lines).extracting(n -> n.get("t").asLong())
        .containsExactly(1622547800000L, 1622547800000L, 1622547800100L);

    JsonNode engine = lines.get(0).get("signals");
    assertThat(engine.get("EngineSpeed").asDouble()).isEqualTo(1026.0);
    assertThat(engine.get("CoolantTemp").asDouble()).isEqualTo(-37.0);
    assertThat(engine.get("ThrottlePosition").asDouble()).isCloseTo(1.6, within(1e-9));
    assertThat(engine.get("VehicleSpeed").asDouble()).isCloseTo(15.41, within(1e-9));
    assertThat(engine.get("EngineState").asDouble()).isEqualTo(3.0);
    assertThat(engine.get("AliveCounter").asDouble()).isEqualTo(8.0);
    assertThat(lines.get(0).get("labels").toString()).isEqualTo("{\"EngineState\":\"Running\"}");

    JsonNode battery = lines.get(1).get("signals");
    assertThat(battery.get("BatteryVoltage").asDouble()).isCloseTo(437.07, within(1e-9));
    assertThat(battery.get("BatteryCurrent").asDouble()).isEqualTo(-52.0);
    assertThat(battery.get("StateOfCharge").asDouble()).isCloseTo(88.4, within(1e-9));
    assertThat(lines.get(1).has("labels")).isFalse();

    JsonNode chassis = lines.get(2).get("signals");
    assertThat(chassis.get("SteeringAngle").asDouble()).isCloseTo(438.6, within(1e-9));
    assertThat(chassis.get("SteeringRate").asDouble()).isEqualTo(204.0);
    assertThat(chassis.get("BrakePressure").asDouble()).isCloseTo(134.8, within(1e-9));
    assertThat(chassis.get("YawRate").asDouble()).isCloseTo(10.2, within(1e-9));
    assertThat(lines.get(2).get("labels").toString())
        .isEqualTo("{\"BrakePedal\":\"Pressed\",\"AbsActive\":\"Inactive\"}");
    assertThat(r.err()).contains("decoded 3 frames, 0 unknown, 0 errors");
  }

  @Test
  void verifiesThatTheFirstLineIsPrintedExactlyAsDocumented() {
    Run r = run("--dbc", DEMO_DBC, message("seed-binary.bin"));

    assertThat(r.out().lines().findFirst()).hasValue("{\"t\":1622547800000,\"bus\":1,\"id\":291,"
        + "\"message\":\"EngineData\",\"signals\":{\"EngineSpeed\":1026,\"CoolantTemp\":-37,"
        + "\"ThrottlePosition\":1.6,\"VehicleSpeed\":15.41,\"EngineState\":3,\"AliveCounter\":8},"
        + "\"labels\":{\"EngineState\":\"Running\"}}");
  }

  @Test
  void verifiesThatTheCompressedSeedMessagePrintsTheSameLinesAsThePlainOne() {
    Run plain = run("--dbc", DEMO_DBC, message("seed-binary.bin"));
    Run compressed = run("--dbc", DEMO_DBC, message("seed-binary-compressed.bin"));

    assertThat(compressed.exit()).isZero();
    assertThat(compressed.out()).isEqualTo(plain.out()).hasLineCount(3);
  }

  @Test
  void verifiesThatStandardInputIsReadWithoutInputOrWithDash() {
    byte[] seed = TestVectors.message("seed-binary.bin");
    Run file = run("--dbc", DEMO_DBC, message("seed-binary.bin"));

    assertThat(run(seed, "--dbc", DEMO_DBC).out()).isEqualTo(file.out());
    assertThat(run(seed, "--dbc", DEMO_DBC, "-").out()).isEqualTo(file.out());
  }

  @Test
  void verifiesThatEachBusUsesItsOwnDbc() throws IOException {
    // Bus 2 gets a DBC that does not know 0x789: the chassis frame becomes unknown there.
    Run r = run("--dbc", "1=" + DEMO_DBC, "--dbc", "2=" + dbc("cantools_choices.dbc"), "--unknown",
        message("seed-binary.bin"));

    assertThat(r.exit()).isZero();
    List<JsonNode> lines = r.lines();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0).get("message").asText()).isEqualTo("EngineData");
    assertThat(lines.get(1).get("message").asText()).isEqualTo("BatteryStatus");
    assertThat(lines.get(2).toString())
        .isEqualTo("{\"t\":1622547800100,\"bus\":2,\"id\":1929,\"unknown\":true,\"data\":\"112233445566\"}");
    assertThat(r.err()).contains("decoded 2 frames, 1 unknown, 0 errors");
  }

  @Test
  void verifiesThatABusDbcReplacesTheAllBusDbcOnThatBusOnly() {
    Run r = run("--dbc", DEMO_DBC, "--dbc", "1=" + dbc("cantools_choices.dbc"), message("seed-binary.bin"));

    assertThat(r.lines()).extracting(n -> n.get("message").asText()).containsExactly("ChassisData");
    assertThat(r.err()).contains("decoded 1 frames, 2 unknown, 0 errors");
  }

  @Test
  void verifiesThatACandumpLogIsDecodedAndABadLineIsReportedWhileTheOthersArePrinted() throws IOException {
    Path log = write("capture.log", """
        (1622547800.000000) can1 123#0102030405060708
        (1622547800.050000) can0 0CF004FE#FFFFFF6824FFFFFF

        (1622547800.100000) can1 12#0102
        (1622547800.150000) can2 789#112233445566 R
        """);

    Run r = run("--dbc", DEMO_DBC, "--dbc", dbcExtra("css_CSS-Electronics-SAE-J1939-DEMO.dbc"),
        "--candump", log.toString());

    assertThat(r.exit()).isEqualTo(DecodeCommand.INPUT_ERROR);
    List<JsonNode> lines = r.lines();
    assertThat(lines).extracting(n -> n.get("message").asText())
        .containsExactly("EngineData", "EEC1", "ChassisData");
    assertThat(lines).extracting(n -> n.get("t").asLong())
        .containsExactly(1622547800000L, 1622547800050L, 1622547800150L);
    assertThat(lines).extracting(n -> n.get("bus").asInt()).containsExactly(1, 0, 2);
    JsonNode j1939 = lines.get(1);
    assertThat(j1939.get("id").asInt()).isEqualTo(0x0CF004FE);
    assertThat(j1939.get("extended").asBoolean()).isTrue();
    assertThat(j1939.get("sa").asInt()).isEqualTo(0xFE);
    assertThat(j1939.get("signals").get("EngineSpeed").asDouble()).isEqualTo(0x2468 * 0.125);
    assertThat(lines.get(0).has("extended")).isFalse();
    assertThat(r.err())
        .contains("capture.log:4: ")
        .contains("(1622547800.100000) can1 12#0102")
        .contains("decoded 3 frames, 0 unknown, 1 errors")
        .doesNotContain("Exception");
  }

  @Test
  void verifiesThatACanFdReadingKeepsAllItsBytes() {
    // DLC 13 is the CAN FD code for 32 bytes.
    Run r = run("--dbc", DEMO_DBC, "--unknown", message("canfd-dlc13.bin"));

    assertThat(r.exit()).isZero();
    assertThat(r.lines()).singleElement().satisfies(n -> {
      assertThat(n.get("bus").asInt()).isEqualTo(3);
      assertThat(n.get("id").asInt()).isEqualTo(0x1A0);
      assertThat(n.get("data").asText()).hasSize(64).startsWith("000102").endsWith("1d1e1f");
    });
  }

  @Test
  void verifiesThatManyBadLinesAreAllCountedButOnlyTheFirstHundredShown() throws IOException {
    Path log = write("garbage.log", "not a candump line\n".repeat(150));

    Run r = run("--dbc", DEMO_DBC, "--candump", log.toString());

    assertThat(r.exit()).isEqualTo(DecodeCommand.INPUT_ERROR);
    assertThat(r.err().lines().filter(l -> l.contains("garbage.log:"))).hasSize(100);
    assertThat(r.err()).contains("garbage.log:100: ").doesNotContain("garbage.log:101: ")
        .contains("further errors are counted, not shown")
        .contains("decoded 0 frames, 0 unknown, 150 errors");
  }

  @Test
  void verifiesThatACandumpInterfaceWithoutNumberUsesTheBusOption() throws IOException {
    Path log = write("slcan.log", "(1.5) slcan 123#0102030405060708\n");

    Run r = run("--dbc", "3=" + DEMO_DBC, "--candump", "--bus", "3", log.toString());

    assertThat(r.exit()).isZero();
    assertThat(r.lines()).singleElement().satisfies(n -> {
      assertThat(n.get("bus").asInt()).isEqualTo(3);
      assertThat(n.get("t").asLong()).isEqualTo(1500);
    });
  }

  @Test
  void verifiesThatAFrameWithAValueTableGetsItsLabel() {
    Run r = run("--dbc", dbc("cantools_choices.dbc"), "--frame", "000#FB", "--time", "42", "--bus", "5");

    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEqualTo("{\"t\":42,\"bus\":5,\"id\":0,\"message\":\"Foo\","
        + "\"signals\":{\"Foo\":-5},\"labels\":{\"Foo\":\"A negative value\"}}\n");
  }

  @Test
  void verifiesThatAJ1939FrameCarriesItsSourceAddressAndMatchesByPgn() {
    // The DBC lists EEC1 as 0x0CF004FE; the PGN match finds it for any source address.
    Run r = run("--dbc", dbcExtra("css_CSS-Electronics-SAE-J1939-DEMO.dbc"),
        "--frame", "0CF004FE#FFFFFF6824FFFFFF", "--frame", "18F00400#FFFFFF1000FFFFFF");

    assertThat(r.exit()).isZero();
    List<JsonNode> lines = r.lines();
    assertThat(lines).extracting(n -> n.get("message").asText()).containsExactly("EEC1", "EEC1");
    assertThat(lines).extracting(n -> n.get("sa").asInt()).containsExactly(0xFE, 0x00);
    assertThat(lines.get(1).get("signals").get("EngineSpeed").asDouble()).isEqualTo(2.0);
  }

  @Test
  void verifiesThatUnknownFramesAreSkippedUnlessAskedFor() {
    Run quiet = run("--dbc", DEMO_DBC, "--frame", "7FF#0A0B", "--frame", "123#0102030405060708");
    Run loud = run("--dbc", DEMO_DBC, "--frame", "7FF#0A0B", "--unknown");

    assertThat(quiet.exit()).isZero();
    assertThat(quiet.lines()).extracting(n -> n.get("message").asText()).containsExactly("EngineData");
    assertThat(quiet.err()).contains("decoded 1 frames, 1 unknown, 0 errors");
    assertThat(loud.out()).isEqualTo("{\"t\":0,\"bus\":0,\"id\":2047,\"unknown\":true,\"data\":\"0a0b\"}\n");
  }

  @Test
  void verifiesThatAMalformedFrameArgumentIsAnInputErrorAndTheOthersAreDecoded() {
    Run r = run("--dbc", DEMO_DBC, "--frame", "12#00", "--frame", "456#AABBCCDD");

    assertThat(r.exit()).isEqualTo(DecodeCommand.INPUT_ERROR);
    assertThat(r.lines()).extracting(n -> n.get("message").asText()).containsExactly("BatteryStatus");
    assertThat(r.err()).contains("--frame 12#00: CAN ID must have 3");
  }

  @Test
  void verifiesThatFloatNanAndInfinityArePrintedAsNull() {
    // Message2 (0x401): two float32 signals, little-endian: NaN 0x7FC00000 and +inf 0x7F800000.
    Run r = run("--dbc", dbc("cantools_floating_point.dbc"), "--frame", "401#0000C07F0000807F",
        "--frame", "401#0000C03F000080BF");

    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEqualTo("""
        {"t":0,"bus":0,"id":1025,"message":"Message2","signals":{"Signal2":null,"Signal1":null}}
        {"t":0,"bus":0,"id":1025,"message":"Message2","signals":{"Signal2":-1,"Signal1":1.5}}
        """);
  }

  @Test
  void verifiesThatATruncatedMessageIsRejectedWithTheDecodersReasonAndOffset() throws IOException {
    byte[] seed = TestVectors.message("seed-binary.bin");
    Path cut = tmp.resolve("seed.bin");
    Files.write(cut, Arrays.copyOf(seed, seed.length - 3));

    Run r = run("--dbc", DEMO_DBC, cut.toString());

    assertThat(r.exit()).isEqualTo(DecodeCommand.INPUT_ERROR);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains(cut + ": truncated: offset 84: point Length 23 exceeds")
        .contains("decoded 0 frames, 0 unknown, 1 errors");
  }

  @Test
  void verifiesThatACandumpLogReadAsBinaryGetsAHint() {
    Run r = run("(1622547800.000000) can1 123#01\n".getBytes(StandardCharsets.UTF_8), "--dbc", DEMO_DBC);

    assertThat(r.exit()).isEqualTo(DecodeCommand.INPUT_ERROR);
    assertThat(r.err()).contains("<stdin>: bad_token_length").contains("add --candump");
  }

  @Test
  void verifiesThatAMissingInputFileIsAnInputError() {
    Run r = run("--dbc", DEMO_DBC, tmp.resolve("nothing.bin").toString());

    assertThat(r.exit()).isEqualTo(DecodeCommand.INPUT_ERROR);
    assertThat(r.err()).contains("nothing.bin: no such file");
  }

  @Test
  void verifiesThatABrokenDbcIsAUsageErrorWithLineAndColumn() throws IOException {
    Path broken = write("broken.dbc", """
        VERSION ""

        BO_ 291 EngineData: 8 ECM
         SG_ EngineSpeed : 0|16@1+ (2,0) [0|16000] "rpm" GATEWAY
         SG_ CoolantTemp 16|8@1+ (1,-40) [-40|215] "degC" GATEWAY
        """);

    Run r = run("--dbc", broken.toString(), "--frame", "123#00");

    assertThat(r.exit()).isEqualTo(DecodeCommand.USAGE_ERROR);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains(broken + ":5:18: ").doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void verifiesThatAMissingDbcFileIsAUsageError() {
    Run r = run("--dbc", "2=" + tmp.resolve("absent.dbc"), "--frame", "123#00");

    assertThat(r.exit()).isEqualTo(DecodeCommand.USAGE_ERROR);
    assertThat(r.err()).contains("cannot read DBC file " + tmp.resolve("absent.dbc") + ": no such file");
  }

  @Test
  void verifiesThatDbcWarningsAreShownWithTheirLocation() throws IOException {
    Path sloppy = write("sloppy.dbc", """
        BO_ 291 EngineData: 8 ECM
         SG_ EngineSpeed : 0|16@1+ (2,0) [0|16000] "rpm" GATEWAY
        CM_ SG_ 291 NoSuchSignal "comment on nothing";
        """);

    Run r = run("--dbc", sloppy.toString(), "--frame", "123#0100");

    assertThat(r.exit()).isZero();
    assertThat(r.err()).containsPattern("warning: .*sloppy\\.dbc:3:\\d+: ");
    assertThat(r.lines()).singleElement().satisfies(n -> assertThat(n.get("signals").get("EngineSpeed").asInt()).isEqualTo(2));
  }

  @Test
  void verifiesThatAMissingDbcOptionIsAUsageErrorWithTheUsage() {
    Run r = run(message("seed-binary.bin"));

    assertThat(r.exit()).isEqualTo(DecodeCommand.USAGE_ERROR);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("at least one --dbc FILE is required").contains("usage: java -jar flexconnect.jar decode");
  }

  @Test
  void verifiesThatAnUnknownOptionIsAUsageError() {
    Run r = run("--dbc", DEMO_DBC, "--verbose");

    assertThat(r.exit()).isEqualTo(DecodeCommand.USAGE_ERROR);
    assertThat(r.err()).contains("unknown option '--verbose'");
  }

  @Test
  void verifiesThatHelpPrintsTheUsageAndSucceeds() {
    Run r = run("--help");

    assertThat(r.exit()).isZero();
    assertThat(r.out()).startsWith("usage: java -jar flexconnect.jar decode");
  }
}
