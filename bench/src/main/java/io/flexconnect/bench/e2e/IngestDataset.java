package io.flexconnect.bench.e2e;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The rows every pipeline of the ingestion benchmark stores: {@code devices} devices share
 * {@code messages} messages; each message holds {@link #POINTS} points 100 ms apart with the
 * {@link #SIGNALS ten sensor readings} of {@code bench/e2e/dbc/bench.dbc}'s {@code Env} message, so
 * one message is 100 rows whether it travels as JSON (10 points × 10 fields), as binary CAN (10
 * points × one 20-byte CAN FD frame) or as CSV lines for {@code psql \copy}.
 *
 * <p>Each value is a 16-bit raw reading times its DBC factor, computed in IEEE double exactly as the
 * DBC decoder computes {@code raw * factor + 0}; JSON and CSV carry {@link Double#toString}, the
 * shortest text that parses back to the same double, so all three pipelines store identical values.
 * Readings are a deterministic function of (device, message, point, signal): no generator state,
 * any message can be built alone.
 */
public final class IngestDataset {
  /** 2023-11-14T22:13:20Z: inside the platform's accepted timestamp window. */
  static final long BASE_TS = 1_700_000_000_000L;
  static final int POINTS = 10;
  static final int POINT_INTERVAL_MS = 100;
  static final String MESSAGE = "Env";
  static final String[] SIGNALS = {"Temperature", "Humidity", "Pressure", "Co2", "Voc", "Pm25", "Noise", "Light",
      "Vibration", "SupplyVoltage"};
  static final double[] FACTORS = {0.01, 0.01, 0.1, 0.1, 0.01, 0.01, 0.01, 0.1, 0.01, 0.01};
  /** Typical raw level of each signal (e.g. 2,150 × 0.01 = 21.5 °C, 10,132 × 0.1 = 1013.2 hPa). */
  private static final int[] LEVELS = {2150, 4500, 10132, 4200, 120, 850, 4500, 3200, 150, 2400};
  private static final int CAN_ID = 256;
  private static final int BUS = 1;
  /** CAN FD DLC code 11 = 20 data bytes: ten little-endian 16-bit readings. */
  private static final int DLC_CODE = 11;
  private static final int FRAME_BYTES = 20;
  private static final int POINT_BYTES = 12 + 5 + FRAME_BYTES;

  private final int devices;
  private final int messages;

  public IngestDataset(int devices, int messages) {
    if (devices < 1 || messages < devices) {
      throw new IllegalArgumentException("need at least one message per device: " + devices + " devices, "
          + messages + " messages");
    }
    this.devices = devices;
    this.messages = messages;
  }

  public int devices() {
    return devices;
  }

  public int messages() {
    return messages;
  }

  public long rows() {
    return (long) messages * POINTS * SIGNALS.length;
  }

  /** Messages of device {@code d}: an even share, the first devices taking the remainder. */
  public int messagesOf(int d) {
    return messages / devices + (d < messages % devices ? 1 : 0);
  }

  public static String deviceId(int d) {
    return String.format("bench-%03d", d);
  }

  public static String token(int d) {
    return String.format("tok_bench-%03d-5f0c8e2a9d7b4136", d);
  }

  static String rowName(int signal) {
    return MESSAGE + "." + SIGNALS[signal];
  }

  static long timestamp(int message, int point) {
    return BASE_TS + ((long) message * POINTS + point) * POINT_INTERVAL_MS;
  }

  /** A 16-bit reading near its signal's level, different per device and over time. */
  static int raw(int device, int message, int point, int signal) {
    long h = mix(((long) device << 40) ^ ((long) message << 12) ^ ((long) point << 6) ^ signal);
    int drift = Math.floorMod(h, 1000) - 500;
    return Math.max(0, Math.min(0xFFFF, LEVELS[signal] + drift + device * 7));
  }

  static double value(int device, int message, int point, int signal) {
    return raw(device, message, point, signal) * FACTORS[signal];
  }

  /** Message {@code i} of device {@code d} as the JSON wire format, with three message tags. */
  public byte[] json(int d, int i) {
    StringBuilder s = new StringBuilder(4200);
    s.append("{\"device_id\":\"").append(deviceId(d)).append("\",\"token\":\"").append(token(d))
        .append("\",\"tags\":[{\"site\":\"").append(site(d)).append("\"},{\"line\":\"").append(line(d))
        .append("\"},{\"fw\":\"2.4.1\"}],\"points\":[");
    for (int p = 0; p < POINTS; p++) {
      s.append(p == 0 ? "" : ",").append("{\"timestamp\":").append(timestamp(i, p)).append(",\"fields\":[");
      for (int f = 0; f < SIGNALS.length; f++) {
        s.append(f == 0 ? "" : ",").append("{\"name\":\"").append(rowName(f)).append("\",\"value\":")
            .append(value(d, i, p, f)).append('}');
      }
      s.append("]}");
    }
    return s.append("]}").toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Message {@code i} of device {@code d} as the binary CAN wire format:
   * <pre>
   * u32 BE token length | token | per point: u64 LE ts | u16 LE readings (1) | u16 LE length (37)
   *                                          | u32 LE CAN ID 0x100 | bus 1 &lt;&lt; 5 | DLC 11 | 20 data bytes
   * </pre>
   */
  public byte[] can(int d, int i) {
    byte[] token = token(d).getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(4 + token.length + POINTS * POINT_BYTES);
    b.putInt(token.length).put(token).order(ByteOrder.LITTLE_ENDIAN);
    for (int p = 0; p < POINTS; p++) {
      b.putLong(timestamp(i, p)).putShort((short) 1).putShort((short) POINT_BYTES);
      b.putInt(CAN_ID).put((byte) (BUS << 5 | DLC_CODE));
      for (int f = 0; f < SIGNALS.length; f++) {
        b.putShort((short) raw(d, i, p, f));
      }
    }
    return b.array();
  }

  /** Every row as CSV for {@code \copy telemetry FROM … (FORMAT csv)}: time, device_id, name, value, tags. */
  public void writeCsv(Path file) throws IOException {
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (int d = 0; d < devices; d++) {
        String tags = "\"{\"\"site\"\": \"\"" + site(d) + "\"\", \"\"line\"\": \"\"" + line(d)
            + "\"\", \"\"fw\"\": \"\"2.4.1\"\"}\"";
        for (int i = 0, n = messagesOf(d); i < n; i++) {
          for (int p = 0; p < POINTS; p++) {
            String time = Instant.ofEpochMilli(timestamp(i, p)).toString();
            for (int f = 0; f < SIGNALS.length; f++) {
              out.append(time).append(',').append(deviceId(d)).append(',').append(rowName(f)).append(',')
                  .append(Double.toString(value(d, i, p, f))).append(',').append(tags).append('\n');
            }
          }
        }
      }
    }
  }

  private static String site(int d) {
    return "plant-" + (d % 3 + 1);
  }

  private static String line(int d) {
    return "L" + (d % 5 + 1);
  }

  /** SplitMix64's finaliser: a cheap, well-spread hash. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
