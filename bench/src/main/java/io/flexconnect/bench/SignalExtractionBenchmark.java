package io.flexconnect.bench;

import io.flexconnect.dbc.CompiledMessage;
import io.flexconnect.dbc.DbcByteOrder;
import io.flexconnect.dbc.DbcDatabase;
import io.flexconnect.dbc.DbcDecoder;
import io.flexconnect.dbc.DbcMessage;
import io.flexconnect.dbc.DbcParser;
import io.flexconnect.dbc.DbcSignal;
import io.flexconnect.dbc.SignalSink;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Signals per second: the compiled DBC extractor against a plain baseline that looks up each
 * frame's message in a {@code Map}, loops over a {@code Map<String, Signal>} and assembles every
 * signal bit by bit from a {@code ByteBuffer}. Both see the same 32 messages of 8 signals (Intel and
 * Motorola, signed and unsigned, 1 to 32 bits) and the same 1024 random frames (seed 42), and both
 * add every physical value into one sum.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class SignalExtractionBenchmark {

  private static final int MESSAGES = 32;
  private static final int SIGNALS = 8;
  private static final int FRAMES = 1024;
  private static final int SIGNALS_PER_INVOCATION = FRAMES * SIGNALS;

  private int[] ids;
  private ByteBuf[] buffers;
  private ByteBuffer[] byteBuffers;
  private DbcDecoder decoder;
  private Map<Integer, Map<String, BaselineSignal>> baseline;
  private final SumSink sink = new SumSink();

  /** A signal as a straightforward implementation would hold it. */
  record BaselineSignal(int startBit, int length, boolean littleEndian, boolean signed, double factor,
      double offset) {}

  static final class SumSink implements SignalSink {
    double sum;

    @Override
    public void accept(io.flexconnect.dbc.CompiledSignal signal, double physical, long rawBits,
        String labelOrNull) {
      sum += physical;
    }
  }

  @Setup
  public void setup() throws Exception {
    Random random = new Random(42);
    StringBuilder dbc = new StringBuilder("VERSION \"\"\nBU_: ECU\n");
    for (int m = 0; m < MESSAGES; m++) {
      int id = 0x100 + m * 0x10;
      dbc.append("BO_ ").append(id).append(" Msg").append(m).append(": 8 ECU\n");
      // Eight 8-bit slots; each signal takes 1..8 bits of its slot, alternating byte orders.
      for (int s = 0; s < SIGNALS; s++) {
        int length = 1 + random.nextInt(8);
        boolean intel = (s + m) % 2 == 0;
        int startBit = intel ? s * 8 : s * 8 + 7;
        boolean signed = random.nextBoolean() && length > 1;
        dbc.append(" SG_ S").append(s).append(" : ").append(startBit).append('|').append(length)
            .append('@').append(intel ? '1' : '0').append(signed ? '-' : '+')
            .append(" (0.5,-3) [0|0] \"u\" ECU\n");
      }
    }
    DbcDatabase db = DbcParser.parse(dbc.toString(), "bench.dbc");
    decoder = DbcDecoder.compile(db);

    baseline = new HashMap<>();
    for (DbcMessage m : db.messages()) {
      Map<String, BaselineSignal> signals = new LinkedHashMap<>();
      for (DbcSignal s : m.signals()) {
        signals.put(s.name(), new BaselineSignal(s.layout().startBit(), s.layout().length(),
            s.layout().byteOrder() == DbcByteOrder.LITTLE_ENDIAN, s.layout().signed(),
            s.conversion().factor(), s.conversion().offset()));
      }
      baseline.put(m.frameId(), signals);
    }

    ids = new int[FRAMES];
    buffers = new ByteBuf[FRAMES];
    byteBuffers = new ByteBuffer[FRAMES];
    for (int i = 0; i < FRAMES; i++) {
      ids[i] = 0x100 + random.nextInt(MESSAGES) * 0x10;
      byte[] data = new byte[8];
      random.nextBytes(data);
      buffers[i] = Unpooled.wrappedBuffer(data);
      byteBuffers[i] = ByteBuffer.wrap(data);
    }
    double ours = compiledExtractor();
    double theirs = baselineMapAndBitLoop();
    if (ours != theirs) {
      throw new IllegalStateException("baseline and compiled extractor disagree: " + theirs + " vs " + ours);
    }
  }

  @Benchmark
  @OperationsPerInvocation(SIGNALS_PER_INVOCATION)
  public double compiledExtractor() {
    SumSink s = sink;
    s.sum = 0;
    for (int i = 0; i < FRAMES; i++) {
      CompiledMessage m = decoder.find(ids[i], false);
      m.decode(buffers[i], 0, 8, s);
    }
    return s.sum;
  }

  @Benchmark
  @OperationsPerInvocation(SIGNALS_PER_INVOCATION)
  public double baselineMapAndBitLoop() {
    double sum = 0;
    for (int i = 0; i < FRAMES; i++) {
      Map<String, BaselineSignal> signals = baseline.get(ids[i]);
      ByteBuffer data = byteBuffers[i];
      for (BaselineSignal s : signals.values()) {
        sum += physical(s, data);
      }
    }
    return sum;
  }

  /** Generic bit-by-bit assembly, as a first implementation would write it. */
  private static double physical(BaselineSignal s, ByteBuffer data) {
    long raw = 0;
    if (s.littleEndian()) {
      for (int i = 0; i < s.length(); i++) {
        int bit = s.startBit() + i;
        long b = (data.get(bit / 8) >> (bit % 8)) & 1;
        raw |= b << i;
      }
    } else {
      int bit = s.startBit();
      for (int i = s.length() - 1; i >= 0; i--) {
        long b = (data.get(bit / 8) >> (bit % 8)) & 1;
        raw |= b << i;
        bit = bit % 8 == 0 ? bit + 15 : bit - 1;
      }
    }
    if (s.signed() && (raw & (1L << (s.length() - 1))) != 0) {
      raw -= 1L << s.length();
    }
    return raw * s.factor() + s.offset();
  }
}
