package io.flexconnect.cluster;

import io.flexconnect.bus.ByReferenceCodec;
import io.flexconnect.ingest.RawMessage;
import io.flexconnect.storage.TelemetryBatch;
import io.flexconnect.storage.TelemetryRow;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The wire formats of the records that cross from one member to another. Locally they still pass
 * by reference ({@code transform} is the identity); these are used by name, only for the cluster
 * hop, so the local default codecs stay as they are.
 *
 * <pre>
 * RawMessage:     topic(str) receivedAtMs(i64) payloadLength(i32) payload
 * TelemetryBatch: rowCount(i32) { device(str) signal(str) ts(i64) numeric(u8) value(f64) text(str?)
 *                                 tags(str?) receivedAt(i64) source(str) unit(str?) } …
 * str = length(i32) UTF-8 bytes; str? uses length -1 for null
 * </pre>
 */
public final class WireCodecs {
  private WireCodecs() {}

  public static final String RAW_MESSAGE = "wire:RawMessage";
  public static final String TELEMETRY_BATCH = "wire:TelemetryBatch";

  /** Registers both codecs (by name) on a clustered event bus. */
  public static void register(EventBus bus) {
    bus.registerCodec(new RawMessageCodec());
    bus.registerCodec(new TelemetryBatchCodec());
  }

  static final class RawMessageCodec extends ByReferenceCodec<RawMessage> {
    RawMessageCodec() {
      super(RAW_MESSAGE);
    }

    @Override
    public void encodeToWire(Buffer buffer, RawMessage m) {
      int start = buffer.length();
      buffer.appendInt(0);
      putString(buffer, m.topic());
      buffer.appendLong(m.receivedAtMs());
      buffer.appendInt(m.payload().length).appendBytes(m.payload());
      buffer.setInt(start, buffer.length() - start - 4);
    }

    @Override
    public RawMessage decodeFromWire(int pos, Buffer buffer) {
      Reader in = new Reader(buffer, pos + 4);
      String topic = in.string();
      long receivedAt = in.i64();
      byte[] payload = in.bytes(in.i32());
      return new RawMessage(topic, payload, receivedAt);
    }
  }

  static final class TelemetryBatchCodec extends ByReferenceCodec<TelemetryBatch> {
    TelemetryBatchCodec() {
      super(TELEMETRY_BATCH);
    }

    @Override
    public void encodeToWire(Buffer buffer, TelemetryBatch batch) {
      int start = buffer.length();
      buffer.appendInt(0);
      buffer.appendInt(batch.rows().size());
      for (TelemetryRow r : batch.rows()) {
        putString(buffer, r.deviceId());
        putString(buffer, r.signal());
        buffer.appendLong(r.timestampMs());
        buffer.appendByte((byte) (r.numeric() ? 1 : 0));
        buffer.appendDouble(r.value());
        putString(buffer, r.text());
        putString(buffer, r.tagsJson());
        buffer.appendLong(r.receivedAtMs());
        putString(buffer, r.source());
        putString(buffer, r.unit());
      }
      buffer.setInt(start, buffer.length() - start - 4);
    }

    @Override
    public TelemetryBatch decodeFromWire(int pos, Buffer buffer) {
      Reader in = new Reader(buffer, pos + 4);
      int count = in.i32();
      List<TelemetryRow> rows = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        rows.add(new TelemetryRow(in.string(), in.string(), in.i64(), in.i8() == 1, in.f64(), in.string(),
            in.string(), in.i64(), in.string(), in.string()));
      }
      return new TelemetryBatch(rows); // the raw CAN message stays with the owner's storage
    }
  }

  private static void putString(Buffer buffer, String s) {
    if (s == null) {
      buffer.appendInt(-1);
      return;
    }
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    buffer.appendInt(bytes.length).appendBytes(bytes);
  }

  /** Reads the fields in order; arguments of a constructor call are evaluated left to right. */
  private static final class Reader {
    private final Buffer buffer;
    private int pos;

    Reader(Buffer buffer, int pos) {
      this.buffer = buffer;
      this.pos = pos;
    }

    int i32() {
      int v = buffer.getInt(pos);
      pos += 4;
      return v;
    }

    long i64() {
      long v = buffer.getLong(pos);
      pos += 8;
      return v;
    }

    byte i8() {
      return buffer.getByte(pos++);
    }

    double f64() {
      double v = buffer.getDouble(pos);
      pos += 8;
      return v;
    }

    byte[] bytes(int length) {
      byte[] v = buffer.getBytes(pos, pos + length);
      pos += length;
      return v;
    }

    String string() {
      int length = i32();
      return length < 0 ? null : new String(bytes(length), StandardCharsets.UTF_8);
    }
  }
}
