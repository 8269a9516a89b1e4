package io.flexconnect.rules.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flexconnect.rules.alert.AlertEvent.Kind;
import io.flexconnect.storage.TelemetryRow;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Alert rules driven through scenarios of points and clock ticks. */
class AlertScenarioTest {

  private static final String DEVICE = "truck-0001";
  private static final String SIGNAL = "EngineData.CoolantTemp";

  private static DeviceAlerts alerts(long latenessMs, String... rules) {
    return compile(latenessMs, rules).newDeviceAlerts(DEVICE);
  }

  private static CompiledAlertRules compile(long latenessMs, String... rules) {
    return AlertCompiler.compileJson("{\"latenessMs\":" + latenessMs + ",\"rules\":[" + String.join(",", rules) + "]}");
  }

  private static String rule(String when, String extra) {
    return "{\"id\":\"r\",\"devices\":\"truck-*\",\"signal\":\"" + SIGNAL + "\",\"when\":" + when
        + (extra.isEmpty() ? "" : "," + extra) + "}";
  }

  private static TelemetryRow point(long t, double v) {
    return TelemetryRow.can(DEVICE, SIGNAL, t, v, null, "{\"bus\":\"1\"}", t, "degC");
  }

  /** Feeds one point per message (time, value pairs) and collects every transition. */
  private static List<AlertEvent> feed(DeviceAlerts alerts, double... timeValue) {
    List<AlertEvent> events = new ArrayList<>();
    for (int i = 0; i < timeValue.length; i += 2) {
      events.addAll(alerts.onRows(List.of(point((long) timeValue[i], timeValue[i + 1]))));
    }
    return events;
  }

  private static List<Kind> kinds(List<AlertEvent> events) {
    return events.stream().map(AlertEvent::kind).toList();
  }

  @Test
  void verifiesThatAnOpenIncidentReportsEachGrowthOfItsPeakOnceAndNothingAfterItCloses() {
    DeviceAlerts a = alerts(0, rule("{\"op\":\"<\",\"value\":10}", ""));
    feed(a, 0, 8);
    assertThat(a.takeGrownPeaks()).as("the firing transition carries its peak").isEmpty();
    feed(a, 1000, 5, 2000, 7, 3000, 3);
    assertThat(a.takeGrownPeaks()).containsExactly(new DeviceAlerts.OpenPeak("r", DEVICE, 0, 3));
    assertThat(a.takeGrownPeaks()).isEmpty();
    feed(a, 4000, 4);
    assertThat(a.takeGrownPeaks()).as("not lower for a '<' rule").isEmpty();
    feed(a, 5000, 2, 6000, 12);
    assertThat(a.takeGrownPeaks()).as("resolved: the transition carries the peak").isEmpty();
  }

  @Test
  void verifiesThatAThresholdFiresOnceAndResolvesOnceWithItsPeak() {
    DeviceAlerts a = alerts(0, rule("{\"op\":\">\",\"value\":90}", ""));
    List<AlertEvent> events = feed(a, 0, 80, 1000, 91, 2000, 97, 3000, 93, 4000, 85);
    assertThat(kinds(events)).containsExactly(Kind.FIRING, Kind.RESOLVED);
    AlertEvent resolved = events.get(1);
    assertThat(resolved.openedAtMs()).isEqualTo(1000);
    assertThat(resolved.firedAtMs()).isEqualTo(1000);
    assertThat(resolved.atMs()).isEqualTo(4000);
    assertThat(resolved.peak()).isEqualTo(97);
  }

  @Test
  void verifiesThatGreaterOrEqualFiresAtTheThreshold() {
    DeviceAlerts a = alerts(0, rule("{\"op\":\">=\",\"value\":90}", ""));
    assertThat(kinds(feed(a, 0, 89.9, 1000, 90))).containsExactly(Kind.FIRING);
  }

  @Test
  void verifiesThatLessThanFiresBelowAndReportsTheLowestValueAsPeak() {
    DeviceAlerts a = alerts(0, rule("{\"op\":\"<\",\"value\":10}", ""));
    List<AlertEvent> events = feed(a, 0, 12, 1000, 9, 2000, 4, 3000, 7, 4000, 10);
    assertThat(kinds(events)).containsExactly(Kind.FIRING, Kind.RESOLVED);
    assertThat(events.get(1).peak()).isEqualTo(4);
  }

  @Test
  void verifiesThatLessOrEqualFiresAtTheThreshold() {
    DeviceAlerts a = alerts(0, rule("{\"op\":\"<=\",\"value\":10}", ""));
    assertThat(kinds(feed(a, 0, 10.1, 1000, 10))).containsExactly(Kind.FIRING);
  }

  @Test
  void verifiesThatEqualsFiresOnAnExactState() {
    DeviceAlerts a = alerts(0, rule("{\"op\":\"==\",\"value\":3}", ""));
    assertThat(kinds(feed(a, 0, 2, 1000, 3, 2000, 3, 3000, 2))).containsExactly(Kind.FIRING, Kind.RESOLVED);
  }

  @Test
  void verifiesThatNotEqualsFiresWhenTheStateLeavesTheValue() {
    DeviceAlerts a = alerts(0, rule("{\"op\":\"!=\",\"value\":3}", ""));
    assertThat(kinds(feed(a, 0, 3, 1000, 4, 2000, 3))).containsExactly(Kind.FIRING, Kind.RESOLVED);
  }

  @Test
  void verifiesThatOutsideFiresBeyondEitherBoundAndInsideIsInclusive() {
    DeviceAlerts outside = alerts(0, rule("{\"op\":\"outside\",\"low\":10,\"high\":20}", ""));
    assertThat(kinds(feed(outside, 0, 15, 1000, 25, 2000, 20, 3000, 5)))
        .containsExactly(Kind.FIRING, Kind.RESOLVED, Kind.FIRING);
    DeviceAlerts inside = alerts(0, rule("{\"op\":\"inside\",\"low\":10,\"high\":20}", ""));
    assertThat(kinds(feed(inside, 0, 5, 1000, 10, 2000, 21))).containsExactly(Kind.FIRING, Kind.RESOLVED);
  }

  @Test
  void verifiesThatARateRuleComparesTheChangePerSecondOverItsWindow() {
    DeviceAlerts a = alerts(0, rule("{\"op\":\"rate>\",\"value\":5,\"windowMs\":2000}", ""));
    // Over the 2 s window: at 1 s 2/s, at 2 s (8-0)/2 = 4/s, at 3 s (30-2)/2 = 14/s, at 5 s (30-30)/2 = 0.
    List<AlertEvent> events = feed(a, 0, 0, 1000, 2, 2000, 8, 3000, 30, 4000, 30, 5000, 30);
    assertThat(kinds(events)).containsExactly(Kind.FIRING, Kind.RESOLVED);
    assertThat(events.get(0).atMs()).isEqualTo(3000);
    assertThat(events.get(0).value()).isCloseTo(14, within(1e-9));
    assertThat(events.get(1).atMs()).isEqualTo(5000);
  }

  @Test
  void verifiesThatAFallingRateFiresOnANegativeSlope() {
    DeviceAlerts a = alerts(0, rule("{\"op\":\"rate<\",\"value\":-1,\"windowMs\":10000}", ""));
    assertThat(kinds(feed(a, 0, 100, 1000, 99.5, 2000, 97))).containsExactly(Kind.FIRING);
  }

  @Test
  void verifiesThatHysteresisTurnsAFlappingSignalIntoOneIncident() {
    DeviceAlerts a = alerts(0, rule("{\"op\":\">\",\"value\":90}", "\"clear\":{\"op\":\"<\",\"value\":85}"));
    double[] flapping = new double[80];
    for (int i = 0; i < 40; i++) {
      flapping[2 * i] = i * 1000;
      flapping[2 * i + 1] = i % 2 == 0 ? 91 + (i % 5) : 87;
    }
    List<AlertEvent> events = feed(a, flapping);
    events.addAll(feed(a, 50_000, 84));
    assertThat(kinds(events)).containsExactly(Kind.FIRING, Kind.RESOLVED);
    assertThat(events.get(1).peak()).isEqualTo(95);
  }

  @Test
  void verifiesThatWithoutHysteresisTheSameSignalFlaps() {
    DeviceAlerts a = alerts(0, rule("{\"op\":\">\",\"value\":90}", ""));
    assertThat(feed(a, 0, 91, 1000, 87, 2000, 91, 3000, 87)).hasSize(4);
  }

  @Test
  void verifiesThatAForDurationFiresOnlyAfterTheConditionHeldThatLong() {
    DeviceAlerts a = alerts(0, rule("{\"op\":\">\",\"value\":90}", "\"forMs\":10000"));
    List<AlertEvent> events = feed(a, 0, 95, 5000, 96, 9999, 97, 10000, 96);
    assertThat(kinds(events)).containsExactly(Kind.PENDING, Kind.FIRING);
    assertThat(events.get(1).openedAtMs()).isEqualTo(0);
    assertThat(events.get(1).firedAtMs()).isEqualTo(10000);
    assertThat(events.get(1).peak()).isEqualTo(97);
  }

  @Test
  void verifiesThatAForDurationInterruptedJustBeforeItElapsesDoesNotFire() {
    DeviceAlerts a = alerts(0, rule("{\"op\":\">\",\"value\":90}", "\"forMs\":10000"));
    List<AlertEvent> events = feed(a, 0, 95, 5000, 95, 9999, 80, 10000, 95, 15000, 95);
    assertThat(kinds(events)).containsExactly(Kind.PENDING, Kind.CANCELLED, Kind.PENDING);
    assertThat(events.get(2).openedAtMs()).isEqualTo(10000);
  }

  @Test
  void verifiesThatOutOfOrderPointsWithinTheLatenessAreEvaluatedInTimestampOrder() {
    DeviceAlerts late = alerts(5000, rule("{\"op\":\">\",\"value\":90}", ""));
    List<AlertEvent> events = feed(late, 2000, 50, 1000, 95, 3000, 50, 10_000, 50);
    assertThat(kinds(events)).containsExactly(Kind.FIRING, Kind.RESOLVED);
    assertThat(events.get(0).atMs()).isEqualTo(1000);
    assertThat(events.get(1).atMs()).isEqualTo(2000);
    assertThat(late.latePointsIgnored()).isZero();
  }

  @Test
  void verifiesThatShufflingPointsWithinTheLatenessGivesTheSameAlertsAsInOrder() {
    String r = rule("{\"op\":\">\",\"value\":90}", "\"clear\":{\"op\":\"<\",\"value\":85},\"forMs\":300");
    java.util.Random random = new java.util.Random(7);
    double[] inOrder = new double[2 * 2000];
    for (int i = 0; i < 2000; i++) {
      inOrder[2 * i] = i * 100;
      inOrder[2 * i + 1] = 80 + random.nextInt(20);
    }
    double[] shuffled = inOrder.clone();
    // Swap points up to 10 positions (1 s) apart: within the 2 s lateness.
    for (int i = 0; i + 10 < 2000; i += 11) {
      int j = i + 1 + random.nextInt(10);
      double t = shuffled[2 * i];
      double v = shuffled[2 * i + 1];
      shuffled[2 * i] = shuffled[2 * j];
      shuffled[2 * i + 1] = shuffled[2 * j + 1];
      shuffled[2 * j] = t;
      shuffled[2 * j + 1] = v;
    }
    DeviceAlerts ordered = alerts(2000, r);
    DeviceAlerts unordered = alerts(2000, r);
    List<AlertEvent> expected = feed(ordered, inOrder);
    expected.addAll(ordered.tick(1_000_000));
    List<AlertEvent> actual = feed(unordered, shuffled);
    actual.addAll(unordered.tick(1_000_000));
    assertThat(expected).hasSizeGreaterThan(10);
    assertThat(actual).isEqualTo(expected);
    assertThat(unordered.latePointsIgnored()).isZero();
  }

  @Test
  void verifiesThatPointsOlderThanWatermarkMinusLatenessAreIgnoredAndCounted() {
    DeviceAlerts a = alerts(5000, rule("{\"op\":\">\",\"value\":90}", ""));
    List<AlertEvent> events = feed(a, 20_000, 50, 14_999, 99, 30_000, 50);
    assertThat(events).isEmpty();
    assertThat(a.latePointsIgnored()).isEqualTo(1);
  }

  @Test
  void verifiesThatATickEvaluatesPointsHeldForLatenessOnAnIdleDevice() {
    DeviceAlerts a = alerts(5000, rule("{\"op\":\">\",\"value\":90}", ""));
    assertThat(feed(a, 1000, 95)).isEmpty();
    assertThat(kinds(a.tick(6000))).containsExactly(Kind.FIRING);
    // The released point fixed the order: an older point now arriving is late.
    assertThat(feed(a, 900, 50)).isEmpty();
    assertThat(a.latePointsIgnored()).isEqualTo(1);
  }

  @Test
  void verifiesThatANoDataRuleFiresOnceAfterSilenceAndResolvesOnTheNextPoint() {
    DeviceAlerts a = alerts(0, "{\"id\":\"silent\",\"devices\":\"*\",\"signal\":\"*\","
        + "\"when\":{\"op\":\"nodata\",\"windowMs\":60000},\"message\":\"{device} silent for {value} s\"}");
    assertThat(a.tick(0)).isEmpty();
    feed(a, 1000, 20);
    assertThat(a.tick(60_999)).isEmpty();
    List<AlertEvent> fired = a.tick(61_000);
    assertThat(kinds(fired)).containsExactly(Kind.FIRING);
    assertThat(fired.get(0).message()).isEqualTo("truck-0001 silent for 60 s");
    assertThat(a.tick(120_000)).isEmpty();
    List<AlertEvent> resolved = feed(a, 130_000, 20);
    assertThat(kinds(resolved)).containsExactly(Kind.RESOLVED);
    assertThat(resolved.get(0).peak()).isEqualTo(119);
  }

  @Test
  void verifiesThatANoDataRuleCountsSilenceFromTheFirstTickForADeviceNeverHeard() {
    DeviceAlerts a = alerts(0, "{\"id\":\"silent\",\"signal\":\"*\",\"when\":{\"op\":\"nodata\",\"windowMs\":1000},"
        + "\"forMs\":2000}");
    assertThat(a.tick(10_000)).isEmpty();
    assertThat(kinds(a.tick(11_000))).containsExactly(Kind.PENDING);
    assertThat(kinds(a.tick(13_000))).containsExactly(Kind.FIRING);
  }

  @Test
  void verifiesThatAFiringAlertRestoredFromASnapshotStaysOneIncident() throws Exception {
    CompiledAlertRules rules = compile(0, rule("{\"op\":\">\",\"value\":90}", "\"clear\":{\"op\":\"<\",\"value\":85}"));
    DeviceAlerts before = rules.newDeviceAlerts(DEVICE);
    feed(before, 1000, 95, 2000, 99);
    ObjectMapper json = new ObjectMapper();
    String saved = json.writeValueAsString(before.snapshot());

    DeviceAlerts after = rules.restore(json.readValue(saved, DeviceAlertsSnapshot.class));
    assertThat(after.firing()).containsExactly("r");
    assertThat(feed(after, 3000, 97)).isEmpty();
    List<AlertEvent> resolved = feed(after, 4000, 80);
    assertThat(kinds(resolved)).containsExactly(Kind.RESOLVED);
    assertThat(resolved.get(0).openedAtMs()).isEqualTo(1000);
    assertThat(resolved.get(0).peak()).isEqualTo(99);
  }

  @Test
  void verifiesThatARestoredRateRuleKeepsItsHistoryAndLatenessBuffer() throws Exception {
    CompiledAlertRules rules = compile(1000, rule("{\"op\":\"rate>\",\"value\":5,\"windowMs\":5000}", ""));
    DeviceAlerts before = rules.newDeviceAlerts(DEVICE);
    feed(before, 0, 0, 2000, 1, 2500, 30);
    ObjectMapper json = new ObjectMapper();
    DeviceAlerts after = rules.restore(json.readValue(json.writeValueAsString(before.snapshot()),
        DeviceAlertsSnapshot.class));
    // 2 000 and 2 500 were held for lateness; 3 500 releases them: (30-0)/2.5 s = 12/s.
    assertThat(kinds(feed(after, 3500, 30))).containsExactly(Kind.FIRING);
  }

  @Test
  void verifiesThatARuleWithTagsSeesOnlyMatchingRows() {
    DeviceAlerts a = alerts(0, rule("{\"op\":\">\",\"value\":90}", "\"tags\":{\"bus\":\"2\"}"));
    assertThat(feed(a, 0, 99)).isEmpty();
    TelemetryRow bus2 = TelemetryRow.can(DEVICE, SIGNAL, 1000, 99, null, "{\"bus\":2,\"sa\":\"0\"}", 1000, null);
    assertThat(kinds(a.onRows(List.of(bus2)))).containsExactly(Kind.FIRING);
  }

  @Test
  void verifiesThatTheMessageTemplateNamesDeviceSignalValueAndThreshold() {
    DeviceAlerts a = alerts(0, rule("{\"op\":\">\",\"value\":90.5}",
        "\"severity\":\"critical\",\"message\":\"{device} {signal} {value} > {threshold} {unknown}\""));
    AlertEvent e = feed(a, 0, 92.25).get(0);
    assertThat(e.message()).isEqualTo("truck-0001 EngineData.CoolantTemp 92.25 > 90.5 {unknown}");
    assertThat(e.severity()).isEqualTo("critical");
    assertThat(e.threshold()).isEqualTo("90.5");
  }

  @Test
  void verifiesThatRulesApplyOnlyToDevicesMatchingTheirGlob() {
    CompiledAlertRules rules = compile(0, rule("{\"op\":\">\",\"value\":90}", ""));
    assertThat(rules.newDeviceAlerts("car-1").ruleCount()).isZero();
    assertThat(rules.newDeviceAlerts("truck-9").ruleCount()).isEqualTo(1);
  }

  @Test
  void verifiesThatTextRowsAndOtherSignalsAreNotEvaluated() {
    DeviceAlerts a = alerts(0, rule("{\"op\":\"<\",\"value\":90}", ""));
    List<TelemetryRow> rows = List.of(TelemetryRow.json(DEVICE, SIGNAL, 0, Double.NaN, "hot", null, 0),
        TelemetryRow.can(DEVICE, "Other", 0, 1, null, null, 0, null));
    assertThat(a.onRows(rows)).isEmpty();
  }

  @Test
  void verifiesThatAClearConditionOverlappingTheFiringConditionIsRefused() {
    AlertConfigException e = catchThrowableOfType(AlertConfigException.class, () -> compile(0,
        rule("{\"op\":\">\",\"value\":90}", "\"clear\":{\"op\":\"<\",\"value\":95}")));
    assertThat(e.errors()).singleElement().asString().contains("clear: holds at values where 'when' also holds");
  }

  @Test
  void verifiesThatInvalidRulesAreRefusedWithRuleAndField() {
    AlertConfigException e = catchThrowableOfType(AlertConfigException.class, () -> compile(0,
        "{\"id\":\"a\",\"signal\":\"s\",\"when\":{\"op\":\">>\",\"value\":1}}",
        "{\"id\":\"b\",\"signal\":\"s\",\"when\":{\"op\":\">\"}}",
        "{\"id\":\"c\",\"signal\":\"s*\",\"when\":{\"op\":\">\",\"value\":1}}",
        "{\"id\":\"d\",\"signal\":\"s\",\"when\":{\"op\":\"rate>\",\"value\":1}}",
        "{\"id\":\"e\",\"signal\":\"s\",\"when\":{\"op\":\"inside\",\"low\":5,\"high\":1}}",
        "{\"id\":\"e\",\"signal\":\"s\",\"when\":{\"op\":\">\",\"value\":1},\"clear\":{\"op\":\"rate<\",\"value\":1,\"windowMs\":5}}"));
    assertThat(e.errors()).containsExactly(
        "rules[0] (a).when.op: expected one of > >= < <= == != inside outside rate> rate>= rate< rate<= nodata, found '>>'",
        "rules[1] (b).when.value: a finite number is required for '>'",
        "rules[2] (c).signal: must be an exact signal name (patterns only for 'nodata')",
        "rules[3] (d).when.windowMs: a window > 0 is required for 'rate>'",
        "rules[4] (e).when: low 5.0 is above high 1.0",
        "rules[5] (e).id: duplicate 'e'",
        "rules[5] (e).clear: must observe the same quantity as 'when' (both rates or both values)");
  }
}
