package io.flexconnect.storage;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Streams telemetry rows into {@code telemetry} with binary {@code COPY}: no SQL parsing, no
 * parameter arrays, no {@code ON CONFLICT} arbitration — the fastest way into a PostgreSQL table
 * and into a TimescaleDB hypertable. A row whose key is already stored fails the whole COPY with
 * SQLSTATE 23505 (the caller falls back to the upsert for that batch).
 *
 * <pre>
 * header   "PGCOPY\n\377\r\n\0" | flags int32 = 0 | extension length int32 = 0
 * row      field count int16 = 7 | per field: length int32 (-1 = NULL) | bytes
 *          device_id text | signal text | ts timestamptz | value float8 | value_text text
 *          | tags jsonb | received_at timestamptz
 * trailer  int16 = -1
 * text: UTF-8 bytes   timestamptz: int64 microseconds since 2000-01-01 UTC   float8: IEEE 754
 * jsonb: version byte 1, then the JSON text
 * </pre>
 *
 * <p>All integers are big-endian. Rows are encoded into a fixed buffer that is sent whenever it
 * fills, so memory stays bounded whatever the batch size.
 */
final class TelemetryCopy {
  private static final String SQL =
      "COPY %s (device_id, signal, ts, value, value_text, tags, received_at) FROM STDIN (FORMAT binary)";
  private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0,
      0, 0, 0, 0, 0, 0, 0, 0};
  private static final short FIELDS = 7;
  private static final long POSTGRES_EPOCH_MS = 946_684_800_000L;
  private static final int JSONB_VERSION = 1;
  private static final int BUFFER_BYTES = 64 * 1024;

  private final CopyIn copy;
  private final byte[] buffer = new byte[BUFFER_BYTES];
  private int position;
  // Device, signal and tag texts repeat across a batch: encode each distinct one once.
  private final Map<String, byte[]> utf8 = new HashMap<>();

  private TelemetryCopy(CopyIn copy) {
    this.copy = copy;
  }

  /** Copies the rows inside the connection's current transaction; returns the rows the server took. */
  static long copy(Connection conn, List<TelemetryRow> rows) throws SQLException {
    return copy(conn, rows, "telemetry");
  }

  /** Copies the rows into {@code table}, a table with telemetry's columns. */
  static long copy(Connection conn, List<TelemetryRow> rows, String table) throws SQLException {
    CopyIn in = conn.unwrap(PGConnection.class).getCopyAPI().copyIn(SQL.formatted(table));
    try {
      TelemetryCopy writer = new TelemetryCopy(in);
      writer.bytes(HEADER);
      for (TelemetryRow row : rows) {
        writer.row(row);
      }
      writer.int16(-1);
      writer.send();
      return in.endCopy();
    } finally {
      if (in.isActive()) {
        in.cancelCopy(); // an encoding failure on our side: end the COPY so the connection stays usable
      }
    }
  }

  private void row(TelemetryRow row) throws SQLException {
    int16(FIELDS);
    text(row.deviceId());
    text(row.signal());
    timestamp(row.timestampMs());
    if (row.numeric()) {
      int32(8);
      int64(Double.doubleToRawLongBits(row.value()));
    } else {
      int32(-1);
    }
    text(row.text());
    jsonb(row.tagsJson());
    timestamp(row.receivedAtMs());
  }

  private void text(String value) throws SQLException {
    if (value == null) {
      int32(-1);
      return;
    }
    byte[] bytes = utf8.computeIfAbsent(value, v -> v.getBytes(StandardCharsets.UTF_8));
    int32(bytes.length);
    bytes(bytes);
  }

  private void jsonb(String json) throws SQLException {
    if (json == null) {
      int32(-1);
      return;
    }
    byte[] bytes = utf8.computeIfAbsent(json, v -> v.getBytes(StandardCharsets.UTF_8));
    int32(bytes.length + 1);
    room(1);
    buffer[position++] = JSONB_VERSION;
    bytes(bytes);
  }

  private void timestamp(long epochMs) throws SQLException {
    int32(8);
    int64((epochMs - POSTGRES_EPOCH_MS) * 1000);
  }

  private void int16(int v) throws SQLException {
    room(2);
    buffer[position++] = (byte) (v >>> 8);
    buffer[position++] = (byte) v;
  }

  private void int32(int v) throws SQLException {
    room(4);
    buffer[position++] = (byte) (v >>> 24);
    buffer[position++] = (byte) (v >>> 16);
    buffer[position++] = (byte) (v >>> 8);
    buffer[position++] = (byte) v;
  }

  private void int64(long v) throws SQLException {
    room(8);
    for (int shift = 56; shift >= 0; shift -= 8) {
      buffer[position++] = (byte) (v >>> shift);
    }
  }

  private void bytes(byte[] bytes) throws SQLException {
    int offset = 0;
    while (offset < bytes.length) {
      room(1);
      int n = Math.min(bytes.length - offset, buffer.length - position);
      System.arraycopy(bytes, offset, buffer, position, n);
      position += n;
      offset += n;
    }
  }

  private void room(int bytes) throws SQLException {
    if (position + bytes > buffer.length) {
      send();
    }
  }

  private void send() throws SQLException {
    if (position > 0) {
      copy.writeToCopy(buffer, 0, position);
      position = 0;
    }
  }
}
