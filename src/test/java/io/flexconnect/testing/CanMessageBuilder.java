package io.flexconnect.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/**
 * Writes binary CAN messages for tests, the way the guide's {@code create_binary_message} does, with
 * hooks to break them (a wrong point Length, a raw token length, trailing bytes).
 */
public final class CanMessageBuilder {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private ByteArrayOutputStream point;
  private long pointTimestamp;
  private int pointReadings;
  private Integer pointLengthOverride;
  private Integer pointCountOverride;

  public static CanMessageBuilder withToken(String token) {
    CanMessageBuilder b = new CanMessageBuilder();
    byte[] t = token.getBytes(StandardCharsets.UTF_8);
    b.u32be(t.length);
    b.out.writeBytes(t);
    return b;
  }

  public static CanMessageBuilder withRawTokenLength(long tokenLength, byte... tokenBytes) {
    CanMessageBuilder b = new CanMessageBuilder();
    b.u32be(tokenLength);
    b.out.writeBytes(tokenBytes);
    return b;
  }

  public CanMessageBuilder point(long timestampMs) {
    flushPoint();
    point = new ByteArrayOutputStream();
    pointTimestamp = timestampMs;
    pointReadings = 0;
    pointLengthOverride = null;
    pointCountOverride = null;
    return this;
  }

  /** Adds a reading; {@code dlc} is written as given (5 bits), {@code data} as given. */
  public CanMessageBuilder reading(long canId, int bus, int dlc, int... data) {
    point.write((int) canId);
    point.write((int) (canId >>> 8));
    point.write((int) (canId >>> 16));
    point.write((int) (canId >>> 24));
    point.write(bus << 5 | (dlc & 0x1F));
    for (int d : data) {
      point.write(d);
    }
    pointReadings++;
    return this;
  }

  /** Raw bytes inside the current point (counted by its Length). */
  public CanMessageBuilder pointBytes(int... bytes) {
    for (int b : bytes) {
      point.write(b);
    }
    return this;
  }

  public CanMessageBuilder pointLength(int length) {
    pointLengthOverride = length;
    return this;
  }

  public CanMessageBuilder readingsCount(int count) {
    pointCountOverride = count;
    return this;
  }

  /** Raw bytes after the last point. */
  public CanMessageBuilder trailing(int... bytes) {
    flushPoint();
    for (int b : bytes) {
      out.write(b);
    }
    return this;
  }

  public byte[] build() {
    flushPoint();
    return out.toByteArray();
  }

  public byte[] buildCompressed() {
    return compress(build());
  }

  public static byte[] compress(byte[] message) {
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    gz.write(0xFC);
    try (GZIPOutputStream z = new GZIPOutputStream(gz)) {
      z.write(message);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return gz.toByteArray();
  }

  public static int[] range(int from, int count) {
    int[] data = new int[count];
    for (int i = 0; i < count; i++) {
      data[i] = (from + i) & 0xFF;
    }
    return data;
  }

  public static byte[] rangeBytes(int from, int count) {
    byte[] data = new byte[count];
    for (int i = 0; i < count; i++) {
      data[i] = (byte) (from + i);
    }
    return data;
  }

  private void flushPoint() {
    if (point == null) {
      return;
    }
    byte[] body = point.toByteArray();
    int length = pointLengthOverride != null ? pointLengthOverride : 12 + body.length;
    int count = pointCountOverride != null ? pointCountOverride : pointReadings;
    for (int i = 0; i < 8; i++) {
      out.write((int) (pointTimestamp >>> (8 * i)));
    }
    out.write(count);
    out.write(count >>> 8);
    out.write(length);
    out.write(length >>> 8);
    out.writeBytes(body);
    point = null;
  }

  private void u32be(long v) {
    out.write((int) (v >>> 24));
    out.write((int) (v >>> 16));
    out.write((int) (v >>> 8));
    out.write((int) v);
  }
}
