package io.flexconnect.storage;

import io.flexconnect.common.LruMap;
import io.flexconnect.storage.TelemetryStatements.Bound;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A writer's memory of series ids (device and signal → {@code series.series_id}) and tag-set ids
 * (tag JSON → {@code tag_sets.tag_set_id}), so a flush sends integers instead of names and jsonb.
 * Both maps are bounded (least recently used entries go first). Ids never change once assigned,
 * so a cached id is never stale. Not thread-safe: one instance per writer lane, which runs one
 * flush at a time.
 *
 * <p>Misses of a flush are resolved together, in bulk, in a transaction of their own that commits
 * before the flush's: a flush that rolls back (a redelivery's COPY) then cannot take ids away that
 * are already cached. A series without points is harmless.
 */
final class SeriesIds {
  /** The tag-set id of a row without tags (stored as NULL). */
  static final int NO_TAGS = 0;

  // Two statements: INSERT … ON CONFLICT DO NOTHING waits for a concurrent writer adding the same
  // series, and the SELECT after it (a new snapshot under READ COMMITTED) then sees that series.
  static final String INSERT_SERIES = """
      INSERT INTO series (device_id, signal)
      SELECT d, s FROM unnest($1::text[], $2::text[]) AS u(d, s) ORDER BY d, s
      ON CONFLICT DO NOTHING
      """;
  static final String SELECT_SERIES = """
      SELECT s.series_id, u.d, u.s FROM unnest($1::text[], $2::text[]) AS u(d, s)
      JOIN series s ON s.device_id = u.d AND s.signal = u.s
      """;
  static final String INSERT_TAG_SETS = """
      INSERT INTO tag_sets (tags)
      SELECT DISTINCT tg::jsonb FROM unnest($1::text[]) AS u(tg)
      ON CONFLICT DO NOTHING
      """;
  // Keyed by the text as sent: texts that differ only in key order map to the same tag set.
  static final String SELECT_TAG_SETS = """
      SELECT g.tag_set_id, u.tg FROM unnest($1::text[]) AS u(tg) JOIN tag_sets g ON g.tags = u.tg::jsonb
      """;

  /** The ids of a flush's rows, index by index; {@link #NO_TAGS} for rows without tags. */
  record Ids(int[] series, int[] tagSets) {}

  /** A series' name. */
  record SeriesKey(String deviceId, String signal) {}

  private final Map<SeriesKey, Integer> series;
  private final Map<String, Integer> tagSets;

  SeriesIds(int maxSeries, int maxTagSets) {
    this.series = LruMap.create(maxSeries);
    this.tagSets = LruMap.create(maxTagSets);
  }

  /** Ids for every row, adding missing series and tag sets to the database (and committing them). */
  Ids resolve(Connection conn, List<TelemetryRow> rows) throws SQLException {
    int n = rows.size();
    int[] seriesIds = new int[n];
    int[] tagSetIds = new int[n];
    // This flush's own ids: complete even when the bounded caches cannot hold all of them.
    Map<SeriesKey, Integer> missingSeries = new HashMap<>();
    Map<String, Integer> missingTags = new HashMap<>();
    for (int i = 0; i < n; i++) {
      TelemetryRow row = rows.get(i);
      SeriesKey key = new SeriesKey(row.deviceId(), row.signal());
      Integer id = series.get(key);
      if (id == null) {
        missingSeries.put(key, null);
      } else {
        seriesIds[i] = id;
      }
      if (row.tagsJson() != null) {
        Integer tagSet = tagSets.get(row.tagsJson());
        if (tagSet == null) {
          missingTags.put(row.tagsJson(), null);
        } else {
          tagSetIds[i] = tagSet;
        }
      }
    }
    if (missingSeries.isEmpty() && missingTags.isEmpty()) {
      return new Ids(seriesIds, tagSetIds);
    }
    try {
      if (!missingSeries.isEmpty()) {
        fetchSeries(conn, missingSeries);
      }
      if (!missingTags.isEmpty()) {
        fetchTagSets(conn, missingTags);
      }
      conn.commit();
    } catch (SQLException | RuntimeException e) {
      try {
        conn.rollback();
      } catch (SQLException rollback) {
        e.addSuppressed(rollback);
      }
      throw e;
    }
    series.putAll(missingSeries);
    tagSets.putAll(missingTags);
    for (int i = 0; i < n; i++) {
      TelemetryRow row = rows.get(i);
      if (seriesIds[i] == 0) {
        seriesIds[i] = missingSeries.get(new SeriesKey(row.deviceId(), row.signal()));
      }
      if (row.tagsJson() != null && tagSetIds[i] == NO_TAGS) {
        tagSetIds[i] = missingTags.get(row.tagsJson());
      }
    }
    return new Ids(seriesIds, tagSetIds);
  }

  private static void fetchSeries(Connection conn, Map<SeriesKey, Integer> missing) throws SQLException {
    String[] devices = new String[missing.size()];
    String[] signals = new String[missing.size()];
    int i = 0;
    for (SeriesKey key : missing.keySet()) {
      devices[i] = key.deviceId();
      signals[i++] = key.signal();
    }
    FlushWriter.execute(conn, new Bound(INSERT_SERIES, devices, signals));
    try (PreparedStatement select = conn.prepareStatement(new Bound(SELECT_SERIES, devices, signals).jdbcSql())) {
      select.setArray(1, conn.createArrayOf("text", devices));
      select.setArray(2, conn.createArrayOf("text", signals));
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          missing.put(new SeriesKey(rs.getString(2), rs.getString(3)), rs.getInt(1));
        }
      }
    }
    requireAll(missing, "series");
  }

  private static void fetchTagSets(Connection conn, Map<String, Integer> missing) throws SQLException {
    String[] tags = missing.keySet().toArray(new String[0]);
    FlushWriter.execute(conn, new Bound(INSERT_TAG_SETS, (Object) tags));
    try (PreparedStatement select = conn.prepareStatement(new Bound(SELECT_TAG_SETS, (Object) tags).jdbcSql())) {
      select.setArray(1, conn.createArrayOf("text", tags));
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          missing.put(rs.getString(2), rs.getInt(1));
        }
      }
    }
    requireAll(missing, "tag set");
  }

  private static void requireAll(Map<?, Integer> resolved, String what) throws SQLException {
    if (resolved.containsValue(null)) {
      // Cannot happen unless rows were deleted concurrently; the flush fails and is retried.
      throw new SQLException(what + " ids missing after insert");
    }
  }
}
