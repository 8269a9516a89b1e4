package io.flexconnect.can;

import io.flexconnect.codec.can.CanMessage;
import io.flexconnect.codec.can.ReadingVisitor;
import io.flexconnect.dbc.CompiledMessage;
import io.flexconnect.dbc.CompiledSignal;
import io.flexconnect.dbc.DbcDecoder;
import io.flexconnect.dbc.SignalSink;
import io.flexconnect.storage.TelemetryRow;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the frames of one binary message into telemetry rows: one row per decoded signal, named
 * {@code Message.Signal}, with the DBC unit, the value-table label next to the number, and tags
 * {@code bus} (and {@code sa}, the J1939 source address). Not thread-safe: one per verticle.
 */
public final class SignalExtractor {
  private static final Logger log = LoggerFactory.getLogger(SignalExtractor.class);
  private static final int MAX_TRACKED_DEVICES = 10_000;

  private final DbcCatalog catalog;
  private final boolean storeUnknown;
  private final String[][] tagCache = new String[8][257]; // [bus][sa + 1]
  private final Map<String, Map<Integer, long[]>> unknownByDevice = new HashMap<>();

  public SignalExtractor(DbcCatalog catalog, boolean storeUnknown) {
    this.catalog = catalog;
    this.storeUnknown = storeUnknown;
  }

  /** Every bus. */
  public static final int ALL_BUSES = 0xFF;

  public Extraction extract(String deviceId, CanMessage message, long receivedAtMs) {
    return extract(deviceId, message, receivedAtMs, ALL_BUSES);
  }

  /**
   * @param busMask bit n set = decode frames of bus n; frames of other buses are skipped, not counted
   */
  public Extraction extract(String deviceId, CanMessage message, long receivedAtMs, int busMask) {
    Walk walk = new Walk(deviceId, catalog.forDevice(deviceId), receivedAtMs, message.readingCount(), busMask);
    message.forEachReading(walk);
    return new Extraction(walk.rows, walk.frames, walk.unknown, walk.first, walk.last);
  }

  /**
   * Frames of a device whose ID no DBC knows, since start: {@code {"123": n, "18FEF100": n}}
   * (three hex digits for 11-bit IDs, eight for 29-bit ones).
   */
  public JsonObject unknownFrames(String deviceId) {
    JsonObject counts = new JsonObject();
    Map<Integer, long[]> ids = unknownByDevice.get(deviceId);
    if (ids != null) {
      ids.forEach((key, n) -> counts.put(idText(key & 0x1FFF_FFFF, key < 0), n[0]));
    }
    return counts;
  }

  private void countUnknown(String deviceId, int bus, int canId, boolean extended) {
    Map<Integer, long[]> ids = unknownByDevice.get(deviceId);
    if (ids == null) {
      if (unknownByDevice.size() >= MAX_TRACKED_DEVICES) {
        return;
      }
      ids = new HashMap<>();
      unknownByDevice.put(deviceId, ids);
      log.info("Device '{}' sends frames no DBC of it knows (first: {} on bus {}); they are counted{}",
          deviceId, idText(canId, extended), bus, storeUnknown ? " and stored raw" : "");
    }
    int key = extended ? canId | 0x8000_0000 : canId;
    ids.computeIfAbsent(key, k -> new long[1])[0]++;
  }

  private String tags(int bus, int sourceAddress) {
    String cached = tagCache[bus][sourceAddress + 1];
    if (cached == null) {
      cached = sourceAddress < 0 ? "{\"bus\":\"" + bus + "\"}" : "{\"bus\":\"" + bus + "\",\"sa\":\"" + sourceAddress + "\"}";
      tagCache[bus][sourceAddress + 1] = cached;
    }
    return cached;
  }

  static String idText(int canId, boolean extended) {
    return extended ? String.format("%08X", canId) : String.format("%03X", canId);
  }

  /** One pass over a message's readings; also the signal sink of the frame being decoded. */
  private final class Walk implements ReadingVisitor, SignalSink {
    final String deviceId;
    final DbcDecoder[] buses;
    final long receivedAtMs;
    final List<TelemetryRow> rows;
    int frames;
    int unknown;
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    long timestampMs;
    String frameTags;

    final int busMask;

    Walk(String deviceId, DbcDecoder[] buses, long receivedAtMs, int readings, int busMask) {
      this.busMask = busMask;
      this.deviceId = deviceId;
      this.buses = buses;
      this.receivedAtMs = receivedAtMs;
      this.rows = new ArrayList<>(readings * 4);
    }

    @Override
    public void reading(long ts, int bus, int canId, boolean extended, ByteBuf buf, int dataIndex, int dataLength) {
      if ((busMask & (1 << bus)) == 0) {
        return;
      }
      frames++;
      first = Math.min(first, ts);
      last = Math.max(last, ts);
      DbcDecoder decoder = buses[bus];
      CompiledMessage m = decoder == null ? null : decoder.find(canId, extended);
      if (m == null) {
        unknown++;
        countUnknown(deviceId, bus, canId, extended);
        if (storeUnknown) {
          rows.add(new TelemetryRow(deviceId, "raw." + bus + "." + idText(canId, extended), ts, false, Double.NaN,
              ByteBufUtil.hexDump(buf, dataIndex, dataLength), tags(bus, -1), receivedAtMs, "can", null));
        }
        return;
      }
      timestampMs = ts;
      frameTags = tags(bus, m.j1939SourceAddress(canId));
      m.decode(buf, dataIndex, dataLength, this);
    }

    @Override
    public void accept(CompiledSignal signal, double physical, long rawBits, String labelOrNull) {
      rows.add(TelemetryRow.can(deviceId, signal.qualifiedName(), timestampMs, physical, labelOrNull, frameTags,
          receivedAtMs, signal.unit() == null || signal.unit().isEmpty() ? null : signal.unit()));
    }
  }
}
