package io.flexconnect.storage;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SQL of one flush apart from the telemetry COPY ({@link TelemetryCopy}). Rows go in as column
 * arrays through {@code unnest}: one round trip per statement whatever the batch size, and the same
 * SQL on PostgreSQL and TimescaleDB. Each statement is built once as a {@link Bound} and runs either
 * on a Vert.x connection (re-decoding) or over JDBC (the telemetry writer, {@link FlushWriter}).
 */
public final class TelemetryStatements {

  // The redelivery path and re-decoding: rows by series and tag-set id, last write wins.
  static final String UPSERT_TELEMETRY = """
      INSERT INTO telemetry_points (series_id, ts, value, value_text, tag_set_id, received_at)
      SELECT sid, %s, v, vt, NULLIF(tg, %d), %s
      FROM unnest($1::int4[], $2::int8[], $3::float8[], $4::text[], $5::int4[], $6::int8[])
        AS u(sid, t, v, vt, tg, r)
      ON CONFLICT (series_id, ts) DO UPDATE
        SET value = EXCLUDED.value, value_text = EXCLUDED.value_text,
            tag_set_id = EXCLUDED.tag_set_id, received_at = EXCLUDED.received_at
      """.formatted(SqlTime.fromEpochMs("t"), SeriesIds.NO_TAGS, SqlTime.fromEpochMs("r"));

  // Latest value per signal: only a newer (or equal) device timestamp replaces the stored one.
  static final String UPSERT_SIGNALS = """
      INSERT INTO device_signals AS ds
        (device_id, signal, source, unit, first_ts, ts, value, value_text, tags, received_at)
      SELECT d, s, src, un, %4$s, %1$s, v, vt, tg::jsonb, %2$s
      FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int8[], $6::float8[], $7::text[],
                  $8::text[], $9::int8[], $10::int8[])
        AS u(d, s, src, un, t, v, vt, tg, r, ft)
      ON CONFLICT (device_id, signal) DO UPDATE SET
        first_ts = LEAST(ds.first_ts, %3$s),
        source = EXCLUDED.source,
        unit = COALESCE(EXCLUDED.unit, ds.unit),
        value = CASE WHEN EXCLUDED.ts >= ds.ts THEN EXCLUDED.value ELSE ds.value END,
        value_text = CASE WHEN EXCLUDED.ts >= ds.ts THEN EXCLUDED.value_text ELSE ds.value_text END,
        tags = CASE WHEN EXCLUDED.ts >= ds.ts THEN EXCLUDED.tags ELSE ds.tags END,
        received_at = CASE WHEN EXCLUDED.ts >= ds.ts THEN EXCLUDED.received_at ELSE ds.received_at END,
        ts = GREATEST(EXCLUDED.ts, ds.ts)
      """.formatted(SqlTime.fromEpochMs("t"), SqlTime.fromEpochMs("r"), "EXCLUDED.first_ts", SqlTime.fromEpochMs("ft"));

  static final String TOUCH_DEVICES = """
      UPDATE devices d SET last_seen = GREATEST(d.last_seen, x.seen), messages = d.messages + x.n
      FROM (SELECT dev, %s AS seen, n FROM unnest($1::text[], $2::int8[], $3::int8[]) AS u(dev, r, n)) x
      WHERE d.device_id = x.dev
      """.formatted(SqlTime.fromEpochMs("r"));

  static final String INSERT_CAN_MESSAGES = """
      INSERT INTO can_messages (device_id, first_ts, last_ts, received_at, digest, points)
      SELECT d, %s, %s, %s, sha256(p), p
      FROM unnest($1::text[], $2::int8[], $3::int8[], $4::int8[], $5::bytea[]) AS u(d, f, l, r, p)
      ON CONFLICT DO NOTHING
      """.formatted(SqlTime.fromEpochMs("f"), SqlTime.fromEpochMs("l"), SqlTime.fromEpochMs("r"));

  static final String INSERT_REJECTED = """
      INSERT INTO rejected_messages (received_at, topic, reason, detail, device_id, payload_size, payload_head,
                                     authenticated)
      SELECT %s, tp, rs, dt, d, sz, ph, au
      FROM unnest($1::int8[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int4[], $7::bytea[],
                  $8::bool[]) AS u(r, tp, rs, dt, d, sz, ph, au)
      """.formatted(SqlTime.fromEpochMs("r"));

  private final int rejectedKeep;

  public TelemetryStatements(int rejectedKeep) {
    this.rejectedKeep = rejectedKeep;
  }

  /** Upserts rows (last write wins per key) and their latest values; returns the rows written. */
  public Future<Integer> insertRows(SqlConnection conn, List<TelemetryRow> rows) {
    if (rows.isEmpty()) {
      return Future.succeededFuture(0);
    }
    List<TelemetryRow> unique = lastWriteWins(rows);
    return resolveIds(conn, unique)
        .compose(ids -> execute(conn, telemetryUpsert(unique, ids)))
        .compose(r -> execute(conn, signalsUpsert(unique)))
        .compose(r -> execute(conn, devicesTouch(unique, Map.of())))
        .map(r -> unique.size());
  }

  private static Future<RowSet<Row>> execute(SqlConnection conn, Bound statement) {
    return conn.preparedQuery(statement.sql()).execute(statement.tuple());
  }

  /**
   * Series and tag-set ids of the rows, added where missing, without a cache: re-decoding is rare,
   * and inside its transaction (a rollback takes the added ids with it, which nothing has cached).
   */
  private static Future<SeriesIds.Ids> resolveIds(SqlConnection conn, List<TelemetryRow> rows) {
    Map<SeriesIds.SeriesKey, Integer> series = new HashMap<>();
    Map<String, Integer> tagSets = new HashMap<>();
    for (TelemetryRow row : rows) {
      series.put(new SeriesIds.SeriesKey(row.deviceId(), row.signal()), null);
      if (row.tagsJson() != null) {
        tagSets.put(row.tagsJson(), null);
      }
    }
    String[] devices = series.keySet().stream().map(SeriesIds.SeriesKey::deviceId).toArray(String[]::new);
    String[] signals = series.keySet().stream().map(SeriesIds.SeriesKey::signal).toArray(String[]::new);
    String[] tags = tagSets.keySet().toArray(new String[0]);
    return execute(conn, new Bound(SeriesIds.INSERT_SERIES, devices, signals))
        .compose(r -> execute(conn, new Bound(SeriesIds.SELECT_SERIES, devices, signals)))
        .compose(found -> {
          for (Row row : found) {
            series.put(new SeriesIds.SeriesKey(row.getString(1), row.getString(2)), row.getInteger(0));
          }
          return execute(conn, new Bound(SeriesIds.INSERT_TAG_SETS, (Object) tags));
        })
        .compose(r -> execute(conn, new Bound(SeriesIds.SELECT_TAG_SETS, (Object) tags)))
        .map(found -> {
          for (Row row : found) {
            tagSets.put(row.getString(1), row.getInteger(0));
          }
          int[] seriesIds = new int[rows.size()];
          int[] tagSetIds = new int[rows.size()];
          for (int i = 0; i < rows.size(); i++) {
            TelemetryRow row = rows.get(i);
            seriesIds[i] = series.get(new SeriesIds.SeriesKey(row.deviceId(), row.signal()));
            tagSetIds[i] = row.tagsJson() == null ? SeriesIds.NO_TAGS : tagSets.get(row.tagsJson());
          }
          return new SeriesIds.Ids(seriesIds, tagSetIds);
        });
  }

  /** Keeps the newest {@code rejectedKeep} rejected messages. */
  Future<Void> pruneRejected(SqlConnection conn) {
    return conn.preparedQuery(
            "DELETE FROM rejected_messages WHERE id <= (SELECT max(id) FROM rejected_messages) - $1")
        .execute(Tuple.of(rejectedKeep))
        .mapEmpty();
  }

  /** One row per natural key; a later row replaces an earlier one (ON CONFLICT cannot take both). */
  static List<TelemetryRow> lastWriteWins(List<TelemetryRow> rows) {
    Map<RowKey, TelemetryRow> byKey = new LinkedHashMap<>(rows.size() * 2);
    for (TelemetryRow row : rows) {
      byKey.put(new RowKey(row.deviceId(), row.signal(), row.timestampMs()), row);
    }
    return byKey.size() == rows.size() ? rows : new ArrayList<>(byKey.values());
  }

  /** The telemetry upsert of rows unique per key (see {@link #lastWriteWins}), with their ids. */
  static Bound telemetryUpsert(List<TelemetryRow> rows, SeriesIds.Ids ids) {
    int n = rows.size();
    Integer[] series = new Integer[n];
    Long[] ts = new Long[n];
    Double[] value = new Double[n];
    String[] text = new String[n];
    Integer[] tagSets = new Integer[n];
    Long[] received = new Long[n];
    for (int i = 0; i < n; i++) {
      TelemetryRow row = rows.get(i);
      series[i] = ids.series()[i];
      ts[i] = row.timestampMs();
      value[i] = row.numeric() ? row.value() : null;
      text[i] = row.text();
      tagSets[i] = ids.tagSets()[i];
      received[i] = row.receivedAtMs();
    }
    return new Bound(UPSERT_TELEMETRY, series, ts, value, text, tagSets, received);
  }

  /**
   * The latest-value upsert, folded in memory first: one row per series (device, signal) carrying
   * its newest point and its earliest timestamp, so the database touches each series once per flush.
   */
  static Bound signalsUpsert(List<TelemetryRow> rows) {
    Map<SignalKey, TelemetryRow> newest = new HashMap<>();
    Map<SignalKey, Long> earliest = new HashMap<>();
    for (TelemetryRow row : rows) {
      SignalKey key = new SignalKey(row.deviceId(), row.signal());
      newest.merge(key, row, (a, b) -> b.timestampMs() >= a.timestampMs() ? b : a);
      earliest.merge(key, row.timestampMs(), Math::min);
    }
    int n = newest.size();
    String[] device = new String[n];
    String[] signal = new String[n];
    String[] source = new String[n];
    String[] unit = new String[n];
    Long[] ts = new Long[n];
    Double[] value = new Double[n];
    String[] text = new String[n];
    String[] tags = new String[n];
    Long[] received = new Long[n];
    Long[] first = new Long[n];
    int i = 0;
    for (Map.Entry<SignalKey, TelemetryRow> e : newest.entrySet()) {
      TelemetryRow row = e.getValue();
      device[i] = row.deviceId();
      signal[i] = row.signal();
      source[i] = row.source();
      unit[i] = row.unit();
      ts[i] = row.timestampMs();
      value[i] = row.numeric() ? row.value() : null;
      text[i] = row.text();
      tags[i] = row.tagsJson();
      received[i] = row.receivedAtMs();
      first[i] = earliest.get(e.getKey());
      i++;
    }
    return new Bound(UPSERT_SIGNALS, device, signal, source, unit, ts, value, text, tags, received, first);
  }

  /** One update per device: its newest arrival and how many messages the flush holds for it. */
  static Bound devicesTouch(List<TelemetryRow> rows, Map<String, Long> messagesByDevice) {
    Map<String, Long> seen = new HashMap<>();
    for (TelemetryRow row : rows) {
      seen.merge(row.deviceId(), row.receivedAtMs(), Math::max);
    }
    String[] devices = seen.keySet().toArray(new String[0]);
    Long[] last = new Long[devices.length];
    Long[] counts = new Long[devices.length];
    for (int i = 0; i < devices.length; i++) {
      last[i] = seen.get(devices[i]);
      counts[i] = messagesByDevice.getOrDefault(devices[i], 0L);
    }
    return new Bound(TOUCH_DEVICES, devices, last, counts);
  }

  static Bound canMessagesInsert(List<RawCanMessage> raw) {
    int n = raw.size();
    String[] device = new String[n];
    Long[] first = new Long[n];
    Long[] last = new Long[n];
    Long[] received = new Long[n];
    byte[][] points = new byte[n][];
    for (int i = 0; i < n; i++) {
      RawCanMessage m = raw.get(i);
      device[i] = m.deviceId();
      first[i] = m.firstTimestampMs();
      last[i] = m.lastTimestampMs();
      received[i] = m.receivedAtMs();
      points[i] = m.points();
    }
    return new Bound(INSERT_CAN_MESSAGES, device, first, last, received, points);
  }

  static Bound rejectedInsert(List<RejectedMessage> rejected) {
    int n = rejected.size();
    Long[] received = new Long[n];
    String[] topic = new String[n];
    String[] reason = new String[n];
    String[] detail = new String[n];
    String[] device = new String[n];
    Integer[] size = new Integer[n];
    byte[][] head = new byte[n][];
    Boolean[] authenticated = new Boolean[n];
    for (int i = 0; i < n; i++) {
      RejectedMessage m = rejected.get(i);
      received[i] = m.receivedAtMs();
      topic[i] = m.topic();
      reason[i] = m.reason();
      detail[i] = m.detail();
      device[i] = m.deviceId();
      size[i] = m.payloadSize();
      head[i] = m.payloadHead();
      authenticated[i] = m.authenticated();
    }
    return new Bound(INSERT_REJECTED, received, topic, reason, detail, device, size, head, authenticated);
  }

  /**
   * A statement and its parameters, one column array per {@code $n} in order. The same SQL runs on
   * Vert.x ({@code $n}) and on JDBC ({@code ?}), which is why every {@code $n} must appear once and
   * in ascending order.
   */
  record Bound(String sql, Object... columns) {
    private static final Pattern PARAMETER = Pattern.compile("\\$(\\d+)");

    Bound {
      Matcher m = PARAMETER.matcher(sql);
      int expected = 1;
      while (m.find()) {
        if (Integer.parseInt(m.group(1)) != expected++) {
          throw new IllegalArgumentException("parameters must appear once each, in order: " + sql);
        }
      }
      if (expected - 1 != columns.length) {
        throw new IllegalArgumentException((expected - 1) + " parameters but " + columns.length + " columns");
      }
    }

    /** The SQL with JDBC placeholders. */
    String jdbcSql() {
      return PARAMETER.matcher(sql).replaceAll("?");
    }

    /** The parameters for Vert.x ({@code Tuple.of} would spread a single Object[] argument). */
    Tuple tuple() {
      Tuple tuple = Tuple.tuple();
      for (Object column : columns) {
        tuple.addValue(column);
      }
      return tuple;
    }
  }

  private record RowKey(String deviceId, String signal, long timestampMs) {}

  private record SignalKey(String deviceId, String signal) {}
}
