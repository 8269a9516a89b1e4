package io.flexconnect.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Streams telemetry rows into {@code telemetry_points} with binary {@code COPY} ({@link BinaryCopy}),
 * the rows' series and tag sets given as ids ({@link SeriesIds}). A row whose key is already stored
 * fails the whole COPY with SQLSTATE 23505 (the caller falls back to the upsert for that batch).
 *
 * <pre>
 * row  field count int16 = 6 | series_id int4 | ts timestamptz | value float8 (NULL when not numeric)
 *      | value_text text | tag_set_id int4 (NULL without tags) | received_at timestamptz
 * </pre>
 */
final class TelemetryCopy {
  private static final String SQL = "COPY " + TimescalePolicies.POINTS
      + " (series_id, ts, value, value_text, tag_set_id, received_at) FROM STDIN (FORMAT binary)";
  private static final int FIELDS = 6;

  private TelemetryCopy() {}

  /**
   * Copies the rows inside the connection's current transaction; {@code ids} holds their series and
   * tag-set ids, index by index. Returns the rows the server took.
   */
  static long copy(Connection conn, List<TelemetryRow> rows, SeriesIds.Ids ids) throws SQLException {
    try (BinaryCopy copy = BinaryCopy.open(conn, SQL)) {
      for (int i = 0; i < rows.size(); i++) {
        TelemetryRow row = rows.get(i);
        copy.row(FIELDS);
        copy.int4(ids.series()[i]);
        copy.timestamp(row.timestampMs());
        value(copy, row);
        copy.text(row.text());
        int tagSet = ids.tagSets()[i];
        if (tagSet == SeriesIds.NO_TAGS) {
          copy.nullField();
        } else {
          copy.int4(tagSet);
        }
        copy.timestamp(row.receivedAtMs());
      }
      return copy.finish();
    }
  }

  /** A row's numeric value as float8, or NULL when it has none (a text value). */
  static void value(BinaryCopy copy, TelemetryRow row) throws SQLException {
    if (row.numeric()) {
      copy.float8(row.value());
    } else {
      copy.nullField();
    }
  }
}
