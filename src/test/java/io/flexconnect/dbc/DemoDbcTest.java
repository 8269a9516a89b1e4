package io.flexconnect.dbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The guide's demo DBC loads cleanly and decodes the guide's example frames. */
class DemoDbcTest {

  private static DbcDatabase db;
  private static DbcDecoder decoder;

  record Value(double physical, long raw, String unit, String label) {}

  @BeforeAll
  static void load() throws Exception {
    db = DbcLoader.load(Path.of("dbc/demo.dbc"));
    decoder = DbcDecoder.compile(db);
  }

  private static Map<String, Value> decode(int id, String hex) {
    Map<String, Value> out = new LinkedHashMap<>();
    decoder.find(id, false).decode(TestData.hex(hex), (s, p, raw, label) ->
        out.put(s.name(), new Value(p, raw, s.unit(), label)));
    return out;
  }

  private static void assertValue(Value v, double physical, long raw, String unit) {
    assertThat(v.raw()).isEqualTo(raw);
    assertThat(v.physical()).isCloseTo(physical, within(1e-9));
    assertThat(v.unit()).isEqualTo(unit);
  }

  @Test
  void verifiesThatTheDemoDbcLoadsWithoutWarnings() {
    assertThat(db.warnings()).isEmpty();
    assertThat(db.messages()).extracting(DbcMessage::name)
        .containsExactly("EngineData", "BatteryStatus", "ChassisData");
    assertThat(db.messages()).extracting(DbcMessage::cycleTimeMs).containsExactly(10, 100, 20);
    assertThat(db.messages()).extracting(m -> m.attributes().get("BusChannel")).containsExactly(1L, 1L, 2L);
    assertThat(db.message("BatteryStatus").comment()).contains("Negative current means charging");
  }

  @Test
  void verifiesThatTheEngineFrameDecodesToPlausibleValues() {
    Map<String, Value> v = decode(0x123, "0102030405060708");
    assertThat(v).hasSize(6);
    assertValue(v.get("EngineSpeed"), 1026.0, 513, "rpm");
    assertValue(v.get("CoolantTemp"), -37.0, 3, "degC");
    assertValue(v.get("ThrottlePosition"), 1.6, 4, "%");
    assertValue(v.get("VehicleSpeed"), 15.41, 1541, "km/h");
    assertValue(v.get("EngineState"), 3.0, 3, "");
    assertThat(v.get("EngineState").label()).isEqualTo("Running");
    assertValue(v.get("AliveCounter"), 8.0, 8, "");
  }

  @Test
  void verifiesThatTheBatteryFrameDecodesToPlausibleValues() {
    Map<String, Value> v = decode(0x456, "AABBCCDD");
    assertThat(v).hasSize(3);
    assertValue(v.get("BatteryVoltage"), 437.07, 43707, "V");
    assertValue(v.get("BatteryCurrent"), -52.0, -52, "A");
    assertValue(v.get("StateOfCharge"), 88.4, 221, "%");
  }

  @Test
  void verifiesThatTheChassisFrameDecodesToPlausibleValues() {
    Map<String, Value> v = decode(0x789, "112233445566");
    assertThat(v).hasSize(6);
    assertValue(v.get("SteeringAngle"), 438.6, 4386, "deg");
    assertValue(v.get("SteeringRate"), 204.0, 51, "deg/s");
    assertValue(v.get("BrakePressure"), 134.8, 1348, "bar");
    assertThat(v.get("BrakePedal").label()).isEqualTo("Pressed");
    assertThat(v.get("AbsActive").label()).isEqualTo("Inactive");
    assertValue(v.get("YawRate"), 10.2, 102, "deg/s");
  }
}
