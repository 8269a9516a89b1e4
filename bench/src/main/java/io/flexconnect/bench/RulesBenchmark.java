package io.flexconnect.bench;

import io.flexconnect.rules.alert.AlertCompiler;
import io.flexconnect.rules.alert.CompiledAlertRules;
import io.flexconnect.rules.alert.DeviceAlerts;
import io.flexconnect.rules.pipeline.CompiledPipelines;
import io.flexconnect.rules.pipeline.DevicePipeline;
import io.flexconnect.rules.pipeline.PipelineCompiler;
import io.flexconnect.storage.TelemetryRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Messages per second of one device: a CAN-like message of 15 signals built as rows (what the
 * decoder hands over), then either nothing more (baseline), the 10-step pipeline, the 100 alert
 * rules (default lateness, so every point goes through the ordering buffer), or both in sequence —
 * all in one run. Values are mean-reverting random walks with rare jumps (seed 42) made in
 * {@code @Setup}; timestamps advance 100 ms per message, so deadband, interval and rate state see a
 * live signal, and alerts pend, fire and resolve now and then (about one transition per 5 messages).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class RulesBenchmark {

  private static final int SIGNALS = 15;
  private static final int MESSAGES = 4096;
  private static final String DEVICE = "truck-0001";
  private static final String TAGS = "{\"bus\":\"1\"}";

  private String[] names;
  private double[][] values;
  private long timestamp;
  private int next;
  private DevicePipeline pipeline;
  private DeviceAlerts alerts;
  private DeviceAlerts alertsAfterPipeline;

  @Setup
  public void setup() {
    names = new String[SIGNALS];
    for (int s = 0; s < SIGNALS; s++) {
      names[s] = "Msg" + (s / 5) + ".Sig" + s;
    }
    names[SIGNALS - 1] = "Msg2.AliveCounter";
    Random random = new Random(42);
    values = new double[MESSAGES][SIGNALS];
    double[] walk = new double[SIGNALS];
    for (int s = 0; s < SIGNALS; s++) {
      walk[s] = 50;
    }
    for (int m = 0; m < MESSAGES; m++) {
      for (int s = 0; s < SIGNALS; s++) {
        // Mean-reverting around 50 (sd about 3), with a rare excursion so thresholds still trip.
        double kick = random.nextInt(2000) == 0 ? 45 * (random.nextBoolean() ? 1 : -1) : 0;
        walk[s] = Math.max(0, Math.min(100, walk[s] + 0.05 * (50 - walk[s]) + random.nextGaussian() + kick));
        values[m][s] = Math.rint(walk[s] * 10) / 10;
      }
    }

    String steps = String.join(",",
        "{\"type\":\"deny\",\"signals\":[\"*.AliveCounter\"]}",
        "{\"type\":\"rename\",\"from\":\"Msg0.Sig0\",\"to\":\"rpm\"}",
        "{\"type\":\"rename\",\"from\":\"Msg0.Sig1\",\"to\":\"speed\"}",
        "{\"type\":\"convert\",\"signals\":[\"Msg0.Sig2\",\"Msg0.Sig3\"],\"from\":\"degC\",\"to\":\"degF\"}",
        "{\"type\":\"convert\",\"signals\":[\"speed\"],\"from\":\"km/h\",\"to\":\"mph\"}",
        "{\"type\":\"scale\",\"signals\":[\"Msg1.*\"],\"factor\":0.5,\"offset\":1,\"unit\":\"u\"}",
        "{\"type\":\"deadband\",\"signals\":[\"Msg2.*\"],\"delta\":0.5}",
        "{\"type\":\"minInterval\",\"signals\":[\"Msg1.Sig9\"],\"ms\":200}",
        "{\"type\":\"derive\",\"signal\":\"load\",\"expression\":\"rpm * Msg1.Sig5 / 100\"}",
        "{\"type\":\"derive\",\"signal\":\"hot\",\"expression\":\"Msg0.Sig2 > 150 || Msg0.Sig3 > 150 ? 1 : 0\"}");
    CompiledPipelines pipelines = PipelineCompiler.compileJson(
        "{\"groups\":[{\"name\":\"trucks\",\"devices\":\"truck-*\",\"steps\":[" + steps + "]}]}");
    pipeline = pipelines.newDevicePipeline(DEVICE);

    // 100 rules over the 12 signals the pipeline keeps under their own names (Sig2..Sig13).
    String[] kinds = {
        "\"when\":{\"op\":\">\",\"value\":85},\"clear\":{\"op\":\"<\",\"value\":80}",
        "\"when\":{\"op\":\"<\",\"value\":15},\"forMs\":1000",
        "\"when\":{\"op\":\"outside\",\"low\":5,\"high\":95}",
        "\"when\":{\"op\":\"inside\",\"low\":57,\"high\":60},\"forMs\":500",
        "\"when\":{\"op\":\"rate>\",\"value\":40,\"windowMs\":1000}",
        "\"when\":{\"op\":\">=\",\"value\":99}",
        "\"when\":{\"op\":\"==\",\"value\":0}",
        "\"when\":{\"op\":\"rate<\",\"value\":-40,\"windowMs\":2000}"};
    List<String> rules = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      String signal = names[2 + i % 12];
      rules.add("{\"id\":\"rule-" + i + "\",\"devices\":\"truck-*\",\"signal\":\"" + signal + "\","
          + kinds[i % kinds.length] + ",\"message\":\"{device} {signal} {value} {threshold}\"}");
    }
    CompiledAlertRules compiled = AlertCompiler.compileJson("{\"rules\":[" + String.join(",", rules) + "]}");
    alerts = compiled.newDeviceAlerts(DEVICE);
    alertsAfterPipeline = compiled.newDeviceAlerts(DEVICE);
    if (alerts.ruleCount() != 100) {
      throw new IllegalStateException("expected 100 rules, got " + alerts.ruleCount());
    }
  }

  /** The decoded message: 15 rows of one timestamp, as the CAN decoder produces them. */
  private List<TelemetryRow> message() {
    double[] v = values[next];
    next = (next + 1) % MESSAGES;
    timestamp += 100;
    List<TelemetryRow> rows = new ArrayList<>(SIGNALS);
    for (int s = 0; s < SIGNALS; s++) {
      rows.add(TelemetryRow.can(DEVICE, names[s], timestamp, v[s], null, TAGS, timestamp, "degC"));
    }
    return rows;
  }

  @Benchmark
  public void baselineNoRules(Blackhole bh) {
    bh.consume(message());
  }

  @Benchmark
  public void pipelineTenSteps(Blackhole bh) {
    bh.consume(pipeline.apply(message()));
  }

  @Benchmark
  public void alertsHundredRules(Blackhole bh) {
    bh.consume(alerts.onRows(message()));
  }

  @Benchmark
  public void pipelineThenAlerts(Blackhole bh) {
    List<TelemetryRow> rows = pipeline.apply(message());
    bh.consume(rows);
    bh.consume(alertsAfterPipeline.onRows(rows));
  }
}
