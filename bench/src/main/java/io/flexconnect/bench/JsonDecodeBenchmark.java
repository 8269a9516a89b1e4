package io.flexconnect.bench;

import io.flexconnect.codec.Decoded;
import io.flexconnect.codec.json.JsonDecoderLimits;
import io.flexconnect.codec.json.JsonTelemetry;
import io.flexconnect.codec.json.JsonTelemetryDecoder;
import io.flexconnect.ingest.RowMapper;
import io.flexconnect.storage.TelemetryRow;
import java.nio.charset.StandardCharsets;
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

/**
 * The JSON ingest path per message, 100 rows (10 points × 10 fields, message and point tags):
 * streaming decode + cached tag JSON against the tree decoder + tag JSON per point it replaced
 * ({@link TreeJsonDecoderBaseline}, {@link RowMapperBaseline}), and each decoder alone.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class JsonDecodeBenchmark {
  private static final long NOW = 1_700_000_000_000L;

  private byte[] message;
  private JsonTelemetryDecoder streaming;
  private RowMapper rowMapper;
  private TreeJsonDecoderBaseline tree;
  private RowMapperBaseline treeRows;

  @Setup
  public void setup() {
    message = message(new Random(42)).getBytes(StandardCharsets.UTF_8);
    JsonDecoderLimits limits = JsonDecoderLimits.defaults();
    streaming = new JsonTelemetryDecoder(limits);
    rowMapper = new RowMapper(RowMapper.DEFAULT_CACHED_TAG_SETS);
    tree = new TreeJsonDecoderBaseline(limits);
    treeRows = new RowMapperBaseline();
  }

  /** A device's message: 10 points one second apart, each with 10 numeric fields and a point tag. */
  static String message(Random random) {
    StringBuilder json = new StringBuilder("{\"device_id\":\"bench-0001\",\"token\":\"tok_bench-0001-5b2e9c\","
        + "\"tags\":[{\"site\":\"plant-7\"},{\"line\":\"3\"}],\"points\":[");
    for (int p = 0; p < 10; p++) {
      json.append(p == 0 ? "" : ",").append("{\"timestamp\":").append(1_699_999_000_000L + p * 1000L)
          .append(",\"tags\":[{\"unit\":\"ecu-").append(p % 2).append("\"}],\"fields\":[");
      for (int f = 0; f < 10; f++) {
        json.append(f == 0 ? "" : ",").append("{\"name\":\"signal_").append(f).append("\",\"value\":")
            .append(Math.round(random.nextDouble() * 100_000) / 100.0).append('}');
      }
      json.append("]}");
    }
    return json.append("]}").toString();
  }

  @Benchmark
  public List<TelemetryRow> streamingToRows() {
    JsonTelemetry t = ((Decoded.Ok<JsonTelemetry>) streaming.decode(message, 0, message.length, NOW)).value();
    return rowMapper.rows(t.deviceId(), t.points(), NOW);
  }

  @Benchmark
  public List<TelemetryRow> baselineTreeToRows() {
    JsonTelemetry t = ((Decoded.Ok<JsonTelemetry>) tree.decode(message, 0, message.length, NOW)).value();
    return treeRows.rows(t.deviceId(), t.points(), NOW);
  }

  @Benchmark
  public Decoded<JsonTelemetry> streamingDecodeOnly() {
    return streaming.decode(message, 0, message.length, NOW);
  }

  @Benchmark
  public Decoded<JsonTelemetry> baselineTreeDecodeOnly() {
    return tree.decode(message, 0, message.length, NOW);
  }
}
