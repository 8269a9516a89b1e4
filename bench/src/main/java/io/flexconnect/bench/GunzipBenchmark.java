package io.flexconnect.bench;

import io.flexconnect.codec.Decoded;
import io.flexconnect.codec.Gunzip;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
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

/** Bounded gunzip against an unbounded {@code GZIPInputStream.readAllBytes()} baseline. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class GunzipBenchmark {

  private byte[] compressed;

  @Setup
  public void setup() throws IOException {
    Random random = new Random(42);
    StringBuilder json = new StringBuilder("{\"points\":[");
    for (int i = 0; i < 200; i++) {
      json.append("{\"timestamp\":").append(1622547800000L + i * 100)
          .append(",\"fields\":[{\"name\":\"temperature\",\"value\":").append(random.nextDouble() * 40)
          .append("}]},");
    }
    json.append("{}]}");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(json.toString().getBytes());
    }
    compressed = out.toByteArray();
  }

  @Benchmark
  public Decoded<byte[]> boundedGunzip() {
    return Gunzip.gunzip(compressed, 0, compressed.length, 16 * 1024 * 1024);
  }

  @Benchmark
  public byte[] baselineReadAllBytes() throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
      return in.readAllBytes();
    }
  }
}
