package io.flexconnect.storage;

import io.flexconnect.storage.TelemetryStatements.Bound;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * Writes one flush of the telemetry writer in one JDBC transaction. Blocking: runs on a worker
 * thread, never on an event loop.
 *
 * <p>With {@link StorageConfig#copy()}, telemetry goes in first by binary COPY ({@link
 * TelemetryCopy}) on the optimistic assumption that its rows are new, which they are unless a
 * message is delivered again. When a row is already stored the COPY fails with a unique violation;
 * the transaction is rolled back and the whole flush written again with the upsert, so a redelivery
 * stores each row once (last write wins) exactly as before. COPY goes first so that such a
 * rollback throws away nothing but the COPY itself.
 *
 * <p>Rows are stored narrow ({@code telemetry_points}): series and tag sets as integer ids that
 * {@link SeriesIds} remembers, so one instance serves one writer lane (one flush at a time).
 */
final class FlushWriter {
  static final String UNIQUE_VIOLATION = "23505";
  /** Series ids a lane remembers: 16 bytes of key and id per series beside the shared name strings. */
  static final int CACHED_SERIES = 200_000;
  static final int CACHED_TAG_SETS = 20_000;

  private final boolean copy;
  private final SeriesIds ids;

  FlushWriter(boolean copy) {
    this(copy, new SeriesIds(CACHED_SERIES, CACHED_TAG_SETS));
  }

  FlushWriter(boolean copy, SeriesIds ids) {
    this.copy = copy;
    this.ids = ids;
  }

  /** What one flush holds; {@code messagesByDevice} counts the telemetry messages per device. */
  record Flush(List<TelemetryRow> rows, List<RawCanMessage> raw, List<RejectedMessage> rejected,
      Map<String, Long> messagesByDevice) {}

  /**
   * How a committed flush went.
   *
   * @param rows telemetry rows written (after last-write-wins within the flush)
   * @param copied whether the rows went in by COPY
   * @param upsertedAfterConflict whether COPY met stored rows and the flush was written as an upsert
   */
  record Outcome(int rows, boolean copied, boolean upsertedAfterConflict) {}

  /** Writes and commits the flush, or rolls back and throws. */
  Outcome write(Connection conn, Flush flush) throws SQLException {
    List<TelemetryRow> unique = TelemetryStatements.lastWriteWins(flush.rows());
    // Committed on its own before the flush (see SeriesIds), so a rollback below keeps them valid.
    SeriesIds.Ids rowIds = ids.resolve(conn, unique);
    if (copy && !unique.isEmpty()) {
      try {
        transaction(conn, flush, unique, rowIds, true);
        return new Outcome(unique.size(), true, false);
      } catch (SQLException e) {
        if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
          throw e;
        }
        // A redelivery: rows of this flush are stored already. transaction() rolled back.
      }
      transaction(conn, flush, unique, rowIds, false);
      return new Outcome(unique.size(), false, true);
    }
    transaction(conn, flush, unique, rowIds, false);
    return new Outcome(unique.size(), false, false);
  }

  private static void transaction(Connection conn, Flush flush, List<TelemetryRow> unique, SeriesIds.Ids rowIds,
      boolean copy) throws SQLException {
    try {
      if (!unique.isEmpty()) {
        if (copy) {
          TelemetryCopy.copy(conn, unique, rowIds);
        } else {
          execute(conn, TelemetryStatements.telemetryUpsert(unique, rowIds));
        }
      }
      if (!flush.raw().isEmpty()) {
        execute(conn, TelemetryStatements.canMessagesInsert(flush.raw()));
      }
      if (!unique.isEmpty()) {
        execute(conn, TelemetryStatements.signalsUpsert(unique));
        execute(conn, TelemetryStatements.devicesTouch(unique, flush.messagesByDevice()));
      }
      if (!flush.rejected().isEmpty()) {
        execute(conn, TelemetryStatements.rejectedInsert(flush.rejected()));
      }
      conn.commit();
    } catch (SQLException | RuntimeException e) {
      try {
        conn.rollback();
      } catch (SQLException rollback) {
        e.addSuppressed(rollback); // the connection is broken; the caller replaces it
      }
      throw e;
    }
  }

  /** Runs a statement with its column arrays as JDBC array parameters. */
  static void execute(Connection conn, Bound statement) throws SQLException {
    try (PreparedStatement ps = conn.prepareStatement(statement.jdbcSql())) {
      Object[] columns = statement.columns();
      Array[] arrays = new Array[columns.length];
      for (int i = 0; i < columns.length; i++) {
        arrays[i] = conn.createArrayOf(elementType(columns[i]), (Object[]) columns[i]);
        ps.setArray(i + 1, arrays[i]);
      }
      ps.executeUpdate();
      for (Array array : arrays) {
        array.free();
      }
    }
  }

  private static String elementType(Object column) {
    if (column instanceof String[]) {
      return "text";
    } else if (column instanceof Long[]) {
      return "int8";
    } else if (column instanceof Double[]) {
      return "float8";
    } else if (column instanceof Integer[]) {
      return "int4";
    } else if (column instanceof Boolean[]) {
      return "bool";
    } else if (column instanceof byte[][]) {
      return "bytea";
    }
    throw new IllegalArgumentException("no SQL array type for " + column.getClass().getSimpleName());
  }
}
