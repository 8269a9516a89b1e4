package io.flexconnect.bench;

import io.flexconnect.codec.Decoded;
import io.flexconnect.codec.can.CanDlc;
import io.flexconnect.codec.can.CanMessage;
import io.flexconnect.codec.can.CanMessageDecoder;
import io.flexconnect.codec.can.ReadingVisitor;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Binary CAN messages of 50 points x 10 readings (500 frames per operation; frames/s = ops/s x
 * 500): our zero-copy decoder walked with a visitor, against a plain {@link ByteBuffer} decoder that
 * copies every reading's data into a new {@code byte[]} and builds lists. Both checksum every
 * reading (ID, length, first data byte) so neither can skip work.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class CanFrameDecoderBenchmark {

  static final int POINTS = 50;
  static final int READINGS = 10;
  private static final int MESSAGES = 16;
  private static final int[] DLCS = {0, 1, 2, 4, 6, 8, 8, 8, 8, 12, 13};

  private final CanMessageDecoder decoder = new CanMessageDecoder();
  private final Checksum checksum = new Checksum();
  private ByteBuf[] buffers;
  private byte[][] arrays;
  private int next;

  @Setup
  public void setup() {
    Random random = new Random(42);
    buffers = new ByteBuf[MESSAGES];
    arrays = new byte[MESSAGES][];
    for (int m = 0; m < MESSAGES; m++) {
      arrays[m] = message(random);
      buffers[m] = Unpooled.wrappedBuffer(arrays[m]);
    }
    // Both decoders must agree before we time them.
    for (int m = 0; m < MESSAGES; m++) {
      next = m;
      long ours = zeroCopyVisitor();
      next = m;
      long theirs = baselineCopyingLists();
      if (ours != theirs) {
        throw new IllegalStateException("decoders disagree on message " + m);
      }
    }
  }

  @TearDown
  public void tearDown() {
    for (ByteBuf buffer : buffers) {
      buffer.release();
    }
  }

  private static byte[] message(Random random) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] token = "tok_demo-0001-7f3a9c2e5b814d06a1e2c3d4e5f60718".getBytes(StandardCharsets.UTF_8);
    ByteBuffer head = ByteBuffer.allocate(4).putInt(token.length);
    out.writeBytes(head.array());
    out.writeBytes(token);
    long ts = 1622547800000L;
    for (int p = 0; p < POINTS; p++) {
      ByteArrayOutputStream readings = new ByteArrayOutputStream();
      for (int r = 0; r < READINGS; r++) {
        int id = random.nextInt(4) == 0 ? 0x1800_0000 | random.nextInt(0x100_0000) : random.nextInt(0x800);
        int dlc = DLCS[random.nextInt(DLCS.length)];
        ByteBuffer reading = ByteBuffer.allocate(5).order(ByteOrder.LITTLE_ENDIAN)
            .putInt(id).put((byte) (random.nextInt(8) << 5 | dlc));
        readings.writeBytes(reading.array());
        byte[] data = new byte[CanDlc.fdLength(dlc)];
        random.nextBytes(data);
        readings.writeBytes(data);
      }
      ByteBuffer header = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN)
          .putLong(ts + p * 10L).putShort((short) READINGS).putShort((short) (12 + readings.size()));
      out.writeBytes(header.array());
      out.writeBytes(readings.toByteArray());
    }
    return out.toByteArray();
  }

  private int nextIndex() {
    int i = next;
    next = (i + 1) & (MESSAGES - 1);
    return i;
  }

  /** Sums what both decoders see; allocation-free. */
  static final class Checksum implements ReadingVisitor {
    long sum;

    @Override
    public void reading(long timestampMs, int bus, int canId, boolean extended, ByteBuf buf,
        int dataIndex, int dataLength) {
      sum = mix(sum, timestampMs, bus, canId, extended, dataLength,
          dataLength == 0 ? -1 : buf.getByte(dataIndex));
    }
  }

  static long mix(long sum, long ts, int bus, int id, boolean extended, int length, int first) {
    return sum * 31 + ts + bus * 7L + id + (extended ? 1 : 0) + length * 13L + first;
  }

  @Benchmark
  public long zeroCopyVisitor() {
    Decoded<CanMessage> decoded = decoder.decode(buffers[nextIndex()]);
    try (CanMessage message = ((Decoded.Ok<CanMessage>) decoded).value()) {
      checksum.sum = message.token().length();
      message.forEachReading(checksum);
      return checksum.sum;
    }
  }

  @Benchmark
  public long baselineCopyingLists() {
    BaselineMessage message = BaselineDecoder.decode(ByteBuffer.wrap(arrays[nextIndex()]));
    long sum = message.token.length();
    for (BaselinePoint point : message.points) {
      for (BaselineReading r : point.readings) {
        sum = mix(sum, point.timestampMs, r.bus, r.canId, r.extended, r.data.length,
            r.data.length == 0 ? -1 : r.data[0]);
      }
    }
    return sum;
  }

  record BaselineReading(int bus, int canId, boolean extended, byte[] data) {}

  record BaselinePoint(long timestampMs, List<BaselineReading> readings) {}

  record BaselineMessage(String token, List<BaselinePoint> points) {}

  /**
   * What one writes first: relative ByteBuffer reads, a copy per reading, lists of objects, CAN FD
   * codes only (no byte-count fallback), exceptions on bad input.
   */
  static final class BaselineDecoder {
    static BaselineMessage decode(ByteBuffer in) {
      in.order(ByteOrder.BIG_ENDIAN);
      int tokenLength = in.getInt();
      byte[] token = new byte[tokenLength];
      in.get(token);
      in.order(ByteOrder.LITTLE_ENDIAN);
      List<BaselinePoint> points = new ArrayList<>();
      while (in.hasRemaining()) {
        long ts = in.getLong();
        int count = Short.toUnsignedInt(in.getShort());
        int length = Short.toUnsignedInt(in.getShort());
        int end = in.position() - 12 + length;
        List<BaselineReading> readings = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          int raw = in.getInt();
          int busDlc = Byte.toUnsignedInt(in.get());
          byte[] data = new byte[CanDlc.fdLength(busDlc & 0x0F)];
          in.get(data);
          boolean extended = raw < 0 || raw > 0x7FF;
          readings.add(new BaselineReading(busDlc >>> 5, extended ? raw & 0x1FFF_FFFF : raw, extended, data));
        }
        if (in.position() != end) {
          throw new IllegalArgumentException("point length mismatch");
        }
        points.add(new BaselinePoint(ts, readings));
      }
      return new BaselineMessage(new String(token, StandardCharsets.UTF_8), points);
    }
  }
}
