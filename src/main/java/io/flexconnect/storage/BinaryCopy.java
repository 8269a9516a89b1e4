package io.flexconnect.storage;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * One {@code COPY … FROM STDIN (FORMAT binary)} over pgjdbc: the fastest way into a PostgreSQL
 * table and into a TimescaleDB hypertable (no SQL parsing, no parameter arrays, no
 * {@code ON CONFLICT} arbitration).
 *
 * <pre>
 * header   "PGCOPY\n\377\r\n\0" | flags int32 = 0 | extension length int32 = 0
 * row      field count int16 | per field: length int32 (-1 = NULL) | bytes
 * trailer  int16 = -1
 * text: UTF-8 bytes   timestamptz: int64 microseconds since 2000-01-01 UTC   float8: IEEE 754
 * int4: 4 bytes       jsonb: version byte 1, then the JSON text
 * </pre>
 *
 * <p>All integers are big-endian. Fields are encoded into a fixed buffer that is sent whenever it
 * fills, so memory stays bounded whatever the row count. Use: {@link #open}, per row {@link #row}
 * then one call per field, then {@link #finish}; {@link #close} cancels a COPY left unfinished.
 */
final class BinaryCopy implements AutoCloseable {
  private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0,
      0, 0, 0, 0, 0, 0, 0, 0};
  private static final long POSTGRES_EPOCH_MS = 946_684_800_000L;
  private static final int JSONB_VERSION = 1;
  private static final int BUFFER_BYTES = 64 * 1024;

  private final CopyIn copy;
  private final byte[] buffer = new byte[BUFFER_BYTES];
  private int position;
  // Texts such as tag sets or names repeat across a batch: encode each distinct one once.
  private final Map<String, byte[]> utf8 = new HashMap<>();

  private BinaryCopy(CopyIn copy) {
    this.copy = copy;
  }

  /** Starts {@code sql}, a binary {@code COPY … FROM STDIN}, in the connection's current transaction. */
  static BinaryCopy open(Connection conn, String sql) throws SQLException {
    BinaryCopy writer = new BinaryCopy(conn.unwrap(PGConnection.class).getCopyAPI().copyIn(sql));
    writer.bytes(HEADER);
    return writer;
  }

  /** Starts a row of {@code fields} fields. */
  void row(int fields) throws SQLException {
    int16(fields);
  }

  /** Ends the COPY; returns the rows the server took. */
  long finish() throws SQLException {
    int16(-1);
    send();
    return copy.endCopy();
  }

  /** Cancels the COPY unless finished, so the connection stays usable after a failure on our side. */
  @Override
  public void close() throws SQLException {
    if (copy.isActive()) {
      copy.cancelCopy();
    }
  }

  void nullField() throws SQLException {
    int32(-1);
  }

  void int4(int value) throws SQLException {
    int32(4);
    int32(value);
  }

  void float8(double value) throws SQLException {
    int32(8);
    int64(Double.doubleToRawLongBits(value));
  }

  void timestamp(long epochMs) throws SQLException {
    int32(8);
    int64((epochMs - POSTGRES_EPOCH_MS) * 1000);
  }

  /** A text field; null writes NULL. */
  void text(String value) throws SQLException {
    if (value == null) {
      nullField();
      return;
    }
    byte[] bytes = utf8.computeIfAbsent(value, v -> v.getBytes(StandardCharsets.UTF_8));
    int32(bytes.length);
    bytes(bytes);
  }

  /** A jsonb field from JSON text; null writes NULL. */
  void jsonb(String json) throws SQLException {
    if (json == null) {
      nullField();
      return;
    }
    byte[] bytes = utf8.computeIfAbsent(json, v -> v.getBytes(StandardCharsets.UTF_8));
    int32(bytes.length + 1);
    room(1);
    buffer[position++] = JSONB_VERSION;
    bytes(bytes);
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
