package io.flexconnect.rules.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import io.flexconnect.storage.TelemetryRow;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every pipeline step, through the JSON configuration an operator writes. */
class PipelineTest {

  private static final String DEVICE = "truck-0001";

  private static DevicePipeline pipeline(String stepsJson) {
    return PipelineCompiler.compileJson(
        "{\"groups\":[{\"name\":\"trucks\",\"devices\":\"truck-*\",\"steps\":[" + stepsJson + "]}]}")
        .newDevicePipeline(DEVICE);
  }

  private static TelemetryRow row(String signal, long ts, double value) {
    return TelemetryRow.can(DEVICE, signal, ts, value, null, "{\"bus\":\"1\"}", 5_000, null);
  }

  private static TelemetryRow row(String signal, long ts, double value, String unit) {
    return TelemetryRow.can(DEVICE, signal, ts, value, null, null, 5_000, unit);
  }

  private static List<String> signals(List<TelemetryRow> rows) {
    return rows.stream().map(TelemetryRow::signal).toList();
  }

  private static List<Double> values(DevicePipeline p, String signal, long[] ts, double[] values) {
    List<Double> kept = new ArrayList<>();
    for (int i = 0; i < ts.length; i++) {
      for (TelemetryRow r : p.apply(List.of(row(signal, ts[i], values[i])))) {
        kept.add(r.value());
      }
    }
    return kept;
  }

  private static PipelineConfigException error(String stepsJson) {
    return catchThrowableOfType(PipelineConfigException.class, () -> pipeline(stepsJson));
  }

  @Test
  void verifiesThatAllowKeepsOnlyMatchingSignals() {
    DevicePipeline p = pipeline("{\"type\":\"allow\",\"signals\":[\"EngineData.*\"]}");
    List<TelemetryRow> out = p.apply(List.of(row("EngineData.EngineSpeed", 1, 1), row("ChassisData.Angle", 1, 2)));
    assertThat(signals(out)).containsExactly("EngineData.EngineSpeed");
  }

  @Test
  void verifiesThatDenyDropsMatchingSignals() {
    DevicePipeline p = pipeline("{\"type\":\"deny\",\"signals\":[\"*.AliveCounter\",\"debug?\"]}");
    List<TelemetryRow> out = p.apply(List.of(row("EngineData.AliveCounter", 1, 1), row("debug1", 1, 1),
        row("EngineData.EngineSpeed", 1, 2)));
    assertThat(signals(out)).containsExactly("EngineData.EngineSpeed");
  }

  @Test
  void verifiesThatRenameChangesOnlyTheNamedSignal() {
    DevicePipeline p = pipeline("{\"type\":\"rename\",\"from\":\"EngineData.EngineSpeed\",\"to\":\"rpm\"}");
    List<TelemetryRow> out = p.apply(List.of(row("EngineData.EngineSpeed", 1, 900), row("other", 1, 2)));
    assertThat(signals(out)).containsExactly("rpm", "other");
    assertThat(out.get(0).value()).isEqualTo(900);
    assertThat(out.get(0).tagsJson()).isEqualTo("{\"bus\":\"1\"}");
  }

  @Test
  void verifiesThatScaleAppliesFactorOffsetAndUnitToMatchingNumericRows() {
    DevicePipeline p = pipeline(
        "{\"type\":\"scale\",\"signals\":[\"angle\"],\"factor\":0.5,\"offset\":-10,\"unit\":\"deg\"}");
    List<TelemetryRow> out = p.apply(List.of(row("angle", 1, 100), row("other", 1, 100),
        TelemetryRow.json(DEVICE, "angle", 1, Double.NaN, "text", null, 0)));
    assertThat(out.get(0).value()).isEqualTo(40);
    assertThat(out.get(0).unit()).isEqualTo("deg");
    assertThat(out.get(1).value()).isEqualTo(100);
    assertThat(out.get(2).text()).isEqualTo("text");
  }

  @Test
  void verifiesThatTemperatureConvertsFromCelsiusToFahrenheit() {
    DevicePipeline p = pipeline("{\"type\":\"convert\",\"signals\":[\"*Temp\"],\"from\":\"°C\",\"to\":\"degF\"}");
    List<TelemetryRow> out = p.apply(List.of(row("CoolantTemp", 1, 100, "degC"), row("OilTemp", 1, -40)));
    assertThat(out.get(0).value()).isCloseTo(212, within(1e-9));
    assertThat(out.get(0).unit()).isEqualTo("degF");
    assertThat(out.get(1).value()).isCloseTo(-40, within(1e-9));
  }

  @Test
  void verifiesThatEveryNamedConversionHasTheRightFactor() {
    assertThat(Units.conversion("degF", "degC").apply(32)).isCloseTo(0, within(1e-9));
    assertThat(Units.conversion("km/h", "mph").apply(100)).isCloseTo(62.1371, within(1e-4));
    assertThat(Units.conversion("mph", "km/h").apply(62.1371)).isCloseTo(100, within(1e-3));
    assertThat(Units.conversion("bar", "psi").apply(1)).isCloseTo(14.5038, within(1e-4));
    assertThat(Units.conversion("psi", "bar").apply(14.5038)).isCloseTo(1, within(1e-5));
    assertThat(Units.conversion("kPa", "psi").apply(100)).isCloseTo(14.5038, within(1e-4));
    assertThat(Units.conversion("psi", "kPa").apply(1)).isCloseTo(6.89476, within(1e-5));
    assertThat(Units.conversion("m", "ft").apply(1)).isCloseTo(3.28084, within(1e-5));
    assertThat(Units.conversion("ft", "m").apply(1)).isCloseTo(0.3048, within(1e-9));
    assertThat(Units.conversion("L", "gal").apply(3.785411784)).isCloseTo(1, within(1e-9));
    assertThat(Units.conversion("gal", "L").apply(1)).isCloseTo(3.785411784, within(1e-9));
  }

  @Test
  void verifiesThatConvertLeavesARowInAnotherUnitAlone() {
    DevicePipeline p = pipeline("{\"type\":\"convert\",\"from\":\"bar\",\"to\":\"psi\"}");
    List<TelemetryRow> out = p.apply(List.of(row("pressure", 1, 100, "kPa")));
    assertThat(out.get(0).value()).isEqualTo(100);
    assertThat(out.get(0).unit()).isEqualTo("kPa");
  }

  @Test
  void verifiesThatDeadbandStoresOnlyMovesLargerThanDeltaFromTheLastStoredValue() {
    DevicePipeline p = pipeline("{\"type\":\"deadband\",\"signals\":[\"t\"],\"delta\":0.5}");
    List<Double> kept = values(p, "t", new long[] {1, 2, 3, 4, 5}, new double[] {20, 20.3, 20.6, 20.9, 21.2});
    // 20.3 is within 0.5 of 20; 20.6 is 0.6 away (kept); 20.9 is within 0.5 of 20.6; 21.2 is 0.6 away.
    assertThat(kept).containsExactly(20.0, 20.6, 21.2);
  }

  @Test
  void verifiesThatDeadbandDriftDoesNotCreepPastTheBand() {
    DevicePipeline p = pipeline("{\"type\":\"deadband\",\"delta\":1}");
    List<Double> kept = values(p, "t", new long[] {1, 2, 3, 4}, new double[] {10, 10.6, 11.2, 10.9});
    assertThat(kept).containsExactly(10.0, 11.2);
  }

  @Test
  void verifiesThatMinIntervalDownsamplesByDeviceTimestamp() {
    DevicePipeline p = pipeline("{\"type\":\"minInterval\",\"ms\":1000}");
    List<Double> kept = values(p, "s", new long[] {0, 400, 999, 1000, 1500, 2100},
        new double[] {0, 1, 2, 3, 4, 5});
    assertThat(kept).containsExactly(0.0, 3.0, 5.0);
  }

  @Test
  void verifiesThatMinIntervalKeepsStatePerSignal() {
    DevicePipeline p = pipeline("{\"type\":\"minInterval\",\"ms\":1000}");
    p.apply(List.of(row("a", 0, 1)));
    assertThat(signals(p.apply(List.of(row("a", 500, 1), row("b", 500, 1))))).containsExactly("b");
  }

  @Test
  void verifiesThatAnOutOfOrderPointPassesThroughWithoutRewindingTheInterval() {
    DevicePipeline p = pipeline("{\"type\":\"minInterval\",\"ms\":1000}");
    p.apply(List.of(row("s", 10_000, 1)));
    assertThat(p.apply(List.of(row("s", 5_000, 2)))).hasSize(1);
    // Still measured from 10 000, not from the late point at 5 000.
    assertThat(p.apply(List.of(row("s", 10_500, 3)))).isEmpty();
    assertThat(p.apply(List.of(row("s", 11_000, 4)))).hasSize(1);
  }

  @Test
  void verifiesThatAnOutOfOrderPointDoesNotMoveTheDeadbandReference() {
    DevicePipeline p = pipeline("{\"type\":\"deadband\",\"delta\":1}");
    p.apply(List.of(row("s", 10_000, 50)));
    assertThat(p.apply(List.of(row("s", 9_000, 80)))).hasSize(1);
    assertThat(p.apply(List.of(row("s", 11_000, 50.5)))).isEmpty();
  }

  @Test
  void verifiesThatDeriveAddsASignalPerTimestampFromSignalsOfThatTimestamp() {
    DevicePipeline p = pipeline("{\"type\":\"derive\",\"signal\":\"power\","
        + "\"expression\":\"EngineData.Torque * EngineData.EngineSpeed / 9549\",\"unit\":\"kW\"}");
    List<TelemetryRow> out = p.apply(List.of(
        row("EngineData.Torque", 1000, 9549), row("EngineData.EngineSpeed", 1000, 2),
        row("EngineData.Torque", 2000, 9549), row("EngineData.EngineSpeed", 2000, 3)));
    List<TelemetryRow> derived = out.stream().filter(r -> r.signal().equals("power")).toList();
    assertThat(derived).extracting(TelemetryRow::timestampMs).containsExactly(1000L, 2000L);
    assertThat(derived).extracting(TelemetryRow::value).containsExactly(2.0, 3.0);
    assertThat(derived.get(0).unit()).isEqualTo("kW");
    assertThat(derived.get(0).source()).isEqualTo("derived");
    assertThat(derived.get(0).tagsJson()).isEqualTo("{\"bus\":\"1\"}");
    assertThat(out).hasSize(6);
  }

  @Test
  void verifiesThatDeriveWritesNoRowWhenAnInputIsMissingOrTheResultIsAbsent() {
    DevicePipeline p = pipeline("{\"type\":\"derive\",\"signal\":\"ratio\",\"expression\":\"a / b\"}");
    assertThat(signals(p.apply(List.of(row("a", 1, 1))))).containsExactly("a");
    assertThat(signals(p.apply(List.of(row("a", 1, 1), row("b", 1, 0))))).containsExactly("a", "b");
    assertThat(signals(p.apply(List.of(row("a", 1, 1), row("b", 2, 1))))).containsExactly("a", "b");
  }

  @Test
  void verifiesThatStepsApplyInOrder() {
    DevicePipeline p = pipeline(String.join(",",
        "{\"type\":\"rename\",\"from\":\"EngineData.EngineSpeed\",\"to\":\"rpm\"}",
        "{\"type\":\"scale\",\"signals\":[\"rpm\"],\"factor\":2}",
        "{\"type\":\"derive\",\"signal\":\"rps\",\"expression\":\"rpm / 60\"}",
        "{\"type\":\"allow\",\"signals\":[\"rps\"]}"));
    List<TelemetryRow> out = p.apply(List.of(row("EngineData.EngineSpeed", 1, 1500)));
    assertThat(signals(out)).containsExactly("rps");
    assertThat(out.get(0).value()).isEqualTo(50);
  }

  @Test
  void verifiesThatADeviceOutsideEveryGroupPassesThroughUnchanged() {
    CompiledPipelines all = PipelineCompiler.compileJson(
        "{\"groups\":[{\"devices\":\"truck-*\",\"steps\":[{\"type\":\"deny\",\"signals\":[\"*\"]}]}]}");
    DevicePipeline p = all.newDevicePipeline("car-1");
    List<TelemetryRow> in = List.of(row("a", 1, 1));
    assertThat(p.isPassThrough()).isTrue();
    assertThat(p.apply(in)).isEqualTo(in);
  }

  @Test
  void verifiesThatTheFirstMatchingGroupWins() {
    CompiledPipelines all = PipelineCompiler.compileJson("{\"groups\":["
        + "{\"name\":\"special\",\"devices\":\"truck-0001\",\"steps\":[]},"
        + "{\"name\":\"trucks\",\"devices\":\"truck-*\",\"steps\":[{\"type\":\"deny\",\"signals\":[\"*\"]}]}]}");
    assertThat(all.newDevicePipeline("truck-0001").group()).isEqualTo("special");
    assertThat(all.newDevicePipeline("truck-0002").group()).isEqualTo("trucks");
  }

  @Test
  void verifiesThatEachDeviceHasItsOwnState() {
    CompiledPipelines all = PipelineCompiler.compileJson(
        "{\"groups\":[{\"devices\":\"*\",\"steps\":[{\"type\":\"minInterval\",\"ms\":1000}]}]}");
    DevicePipeline one = all.newDevicePipeline("a");
    DevicePipeline two = all.newDevicePipeline("b");
    one.apply(List.of(row("s", 0, 1)));
    assertThat(two.apply(List.of(row("s", 100, 1)))).hasSize(1);
  }

  @Test
  void verifiesThatABadExpressionIsRefusedWithItsStepAndColumn() {
    PipelineConfigException e = error("{\"type\":\"derive\",\"signal\":\"x\",\"expression\":\"a + (b\"}");
    assertThat(e.errors()).containsExactly(
        "groups[0] (trucks).steps[0] (derive).expression: column 7: expected ')', found end of input");
  }

  @Test
  void verifiesThatAnUnknownConversionIsRefused() {
    assertThat(error("{\"type\":\"convert\",\"from\":\"degC\",\"to\":\"parsec\"}").errors())
        .containsExactly("groups[0] (trucks).steps[0] (convert): unknown unit 'parsec'");
    assertThat(error("{\"type\":\"convert\",\"from\":\"bar\",\"to\":\"ft\"}").errors().get(0))
        .contains("cannot convert pressure 'bar' to length 'ft'");
  }

  @Test
  void verifiesThatABadGlobIsRefusedWithItsPath() {
    assertThat(error("{\"type\":\"allow\",\"signals\":[\"ok\",\"Engine[12]\"]}").errors())
        .singleElement().asString()
        .startsWith("groups[0] (trucks).steps[0] (allow).signals[1]: unsupported character '['");
  }

  @Test
  void verifiesThatEveryProblemIsReportedAtOnce() {
    PipelineConfigException e = error(String.join(",",
        "{\"type\":\"deadband\"}",
        "{\"type\":\"minInterval\",\"ms\":0}",
        "{\"type\":\"rename\",\"from\":\"a\"}"));
    assertThat(e.errors()).containsExactly(
        "groups[0] (trucks).steps[0] (deadband).delta: must be a number >= 0",
        "groups[0] (trucks).steps[1] (minInterval).ms: must be a number of milliseconds > 0",
        "groups[0] (trucks).steps[2] (rename).to: missing signal name");
  }

  @Test
  void verifiesThatAnUnknownStepTypeIsRefusedAsInvalidJson() {
    assertThat(error("{\"type\":\"explode\"}").getMessage()).startsWith("invalid pipeline JSON");
  }
}
