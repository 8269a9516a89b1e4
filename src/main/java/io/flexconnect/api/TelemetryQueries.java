package io.flexconnect.api;

import io.flexconnect.storage.SqlTime;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Read-side SQL of the REST API. Plain SQL that runs the same on PostgreSQL and TimescaleDB. */
final class TelemetryQueries {


  private final Pool pool;

  TelemetryQueries(Pool pool) {
    this.pool = pool;
  }

  /** The devices of one tenant. */
  /**
   * The tenant's devices in id order, from after {@code afterId} (keyset paging), optionally only
   * ids starting with {@code prefix} and only those heard from in the last {@code onlineSeconds}.
   */
  Future<JsonArray> devices(String tenantId, String prefix, Integer onlineSeconds, String afterId, int limit) {
    return pool.preparedQuery("""
            SELECT d.device_id, d.tenant_id, d.created_at, d.last_seen, d.messages,
                   (SELECT count(*) FROM device_signals s WHERE s.device_id = d.device_id) AS signals
            FROM devices d
            WHERE d.tenant_id = $1
              AND ($2::text IS NULL OR starts_with(d.device_id, $2))
              AND ($3::int IS NULL OR d.last_seen >= now() - $3 * interval '1 second')
              AND ($4::text IS NULL OR d.device_id > $4)
            ORDER BY d.device_id LIMIT $5""")
        .execute(Tuple.of(tenantId, prefix, onlineSeconds, afterId, limit))
        .map(rows -> {
          JsonArray out = new JsonArray();
          rows.forEach(row -> out.add(new JsonObject()
              .put("device_id", row.getString("device_id"))
              .put("tenant_id", row.getString("tenant_id"))
              .put("created_at", iso(row.getOffsetDateTime("created_at")))
              .put("last_seen", iso(row.getOffsetDateTime("last_seen")))
              .put("messages", row.getLong("messages"))
              .put("signals", row.getLong("signals"))));
          return out;
        });
  }

  /**
   * Whether the device exists and belongs to the tenant. Every per-device endpoint asks this first
   * (a device never changes tenant), and answers another tenant's device as it answers an unknown one.
   */
  Future<Boolean> deviceOfTenant(String tenantId, String deviceId) {
    return pool.preparedQuery("SELECT 1 FROM devices WHERE device_id = $1 AND tenant_id = $2")
        .execute(Tuple.of(deviceId, tenantId))
        .map(rows -> rows.size() > 0);
  }

  /** Which of {@code deviceIds} belong to the tenant. */
  Future<Set<String>> devicesOfTenant(String tenantId, List<String> deviceIds) {
    return pool.preparedQuery("SELECT device_id FROM devices WHERE tenant_id = $1 AND device_id = ANY($2)")
        .execute(Tuple.tuple().addString(tenantId).addArrayOfString(deviceIds.toArray(String[]::new)))
        .map(rows -> {
          Set<String> out = new HashSet<>();
          rows.forEach(row -> out.add(row.getString(0)));
          return out;
        });
  }

  /** The tenant of each of {@code deviceIds} that is registered. */
  Future<Map<String, String>> tenantsOf(Collection<String> deviceIds) {
    return pool.preparedQuery("SELECT device_id, tenant_id FROM devices WHERE device_id = ANY($1)")
        .execute(Tuple.tuple().addArrayOfString(deviceIds.toArray(String[]::new)))
        .map(rows -> {
          Map<String, String> out = new HashMap<>();
          rows.forEach(row -> out.put(row.getString(0), row.getString(1)));
          return out;
        });
  }

  /** Raw points of a device in [from, to), oldest first, optionally for one signal. */
  /**
   * Raw points in [from, to), ordered by time then signal, optionally only those carrying every tag
   * of {@code tags}, and starting after the position {@code after} (keyset paging).
   */
  Future<JsonArray> telemetry(String deviceId, String[] signals, long fromMs, long toMs, int limit, boolean descending,
      JsonObject tags, PageCursor after) {
    String order = descending ? "DESC" : "ASC";
    String position = after == null ? "" : " AND (ts, signal) " + (descending ? "<" : ">") + " (" + SqlTime.param(7)
        + ", $8::text)";
    String sql = "SELECT signal, ts, value, value_text, tags, received_at FROM telemetry "
        + "WHERE device_id = $1 AND ts >= " + SqlTime.param(2) + " AND ts < " + SqlTime.param(3)
        + " AND ($4::text[] IS NULL OR signal = ANY($4::text[]))"
        + " AND ($6::jsonb IS NULL OR tags @> $6::jsonb)" + position
        + " ORDER BY ts " + order + ", signal " + order + " LIMIT $5";
    Tuple params = Tuple.of(deviceId, fromMs, toMs).addArrayOfString(signals).addInteger(limit)
        .addValue(tags == null ? null : tags);
    if (after != null) {
      params.addLong(after.timestampMs()).addString(after.signal());
    }
    return pool.preparedQuery(sql).execute(params).map(TelemetryQueries::points);
  }

  /**
   * Streams raw points as CSV through a cursor, page by page, waiting for the client whenever the
   * response's write queue is full: memory stays bounded whatever the range.
   */
  Future<Void> streamCsv(String deviceId, String[] signals, long fromMs, long toMs, boolean descending,
      io.vertx.core.http.HttpServerResponse response) {
    String sql = "SELECT signal, (extract(epoch FROM ts) * 1000)::int8 AS t, value, value_text, tags::text AS tags "
        + "FROM telemetry WHERE device_id = $1 AND ts >= " + SqlTime.param(2) + " AND ts < " + SqlTime.param(3)
        + " AND ($4::text[] IS NULL OR signal = ANY($4::text[])) ORDER BY ts " + (descending ? "DESC" : "ASC")
        + ", signal";
    Tuple params = Tuple.of(deviceId, fromMs, toMs).addArrayOfString(signals);
    return pool.withTransaction(conn -> conn.prepare(sql).compose(ps -> {
      response.setChunked(true).putHeader("content-type", "text/csv; charset=utf-8")
          .putHeader("content-disposition", "attachment; filename=\"" + deviceId + ".csv\"");
      return response.write("device_id,signal,timestamp,value,value_text,tags\n")
          .compose(v -> pump(ps.cursor(params), deviceId, response));
    })).compose(v -> response.end());
  }

  private Future<Void> pump(io.vertx.sqlclient.Cursor cursor, String deviceId,
      io.vertx.core.http.HttpServerResponse response) {
    return cursor.read(1000).compose(rows -> {
      StringBuilder csv = new StringBuilder(rows.size() * 64);
      for (Row row : rows) {
        Double value = row.getDouble("value");
        csv.append(Csv.field(deviceId)).append(',').append(Csv.field(row.getString("signal"))).append(',')
            .append(row.getLong("t")).append(',').append(value == null ? "" : value.toString()).append(',')
            .append(Csv.field(row.getString("value_text"))).append(',').append(Csv.field(row.getString("tags")))
            .append('\n');
      }
      Future<Void> written = response.write(csv.toString());
      if (!cursor.hasMore()) {
        return written.compose(v -> cursor.close());
      }
      if (!response.writeQueueFull()) {
        return pump(cursor, deviceId, response);
      }
      io.vertx.core.Promise<Void> drained = io.vertx.core.Promise.promise();
      response.drainHandler(v -> drained.tryComplete());
      response.closeHandler(v -> drained.tryFail("the client went away"));
      return drained.future().compose(v -> pump(cursor, deviceId, response));
    });
  }

  /** Aggregates that may be asked for, and their SQL over the numeric values of a bucket. */
  static final java.util.Map<String, String> AGGREGATES = new java.util.LinkedHashMap<>(java.util.Map.of(
      "avg", "avg(value)", "min", "min(value)", "max", "max(value)", "sum", "sum(value)", "count", "count(value)",
      "first", "(array_agg(value ORDER BY ts) FILTER (WHERE value IS NOT NULL))[1]",
      "last", "(array_agg(value ORDER BY ts DESC) FILTER (WHERE value IS NOT NULL))[1]"));

  /**
   * Numeric values per signal and time bucket ({@code date_bin}, aligned to the epoch: the same on
   * PostgreSQL and TimescaleDB), oldest first.
   */
  Future<JsonArray> aggregate(String deviceId, String[] signals, long fromMs, long toMs, long intervalMs,
      java.util.List<String> aggregates, int limit) {
    StringBuilder select = new StringBuilder("SELECT signal, date_bin($6 * interval '1 millisecond', ts, "
        + "timestamptz 'epoch') AS bucket");
    for (String a : aggregates) {
      select.append(", ").append(AGGREGATES.get(a)).append(" AS ").append(a);
    }
    String sql = select + " FROM telemetry WHERE device_id = $1 AND ts >= " + SqlTime.param(2) + " AND ts < "
        + SqlTime.param(3) + " AND ($4::text[] IS NULL OR signal = ANY($4::text[]))"
        + " GROUP BY signal, bucket ORDER BY bucket, signal LIMIT $5";
    return pool.preparedQuery(sql)
        .execute(Tuple.of(deviceId, fromMs, toMs).addArrayOfString(signals).addInteger(limit).addLong(intervalMs))
        .map(rows -> {
          JsonArray out = new JsonArray();
          for (Row row : rows) {
            JsonObject bucket = new JsonObject().put("signal", row.getString("signal"))
                .put("ts", iso(row.getOffsetDateTime("bucket")))
                .put("timestamp", row.getOffsetDateTime("bucket").toInstant().toEpochMilli());
            for (String a : aggregates) {
              // Not a conditional expression: mixing Long and Double there unboxes both to a double
              // (the count came out as 1440.0) and a null average would throw.
              if (a.equals("count")) {
                bucket.put(a, row.getLong(a));
              } else {
                bucket.put(a, row.getDouble(a));
              }
            }
            out.add(bucket);
          }
          return out;
        });
  }

  /** The signal catalogue of a device: name, unit, source and first/last device time. */
  Future<JsonArray> signals(String deviceId) {
    return pool.preparedQuery("SELECT signal, source, unit, first_ts, ts FROM device_signals WHERE device_id = $1 "
            + "ORDER BY signal")
        .execute(Tuple.of(deviceId))
        .map(rows -> {
          JsonArray out = new JsonArray();
          rows.forEach(row -> out.add(new JsonObject().put("signal", row.getString("signal"))
              .put("source", row.getString("source")).put("unit", row.getString("unit"))
              .put("first_seen", iso(row.getOffsetDateTime("first_ts")))
              .put("last_seen", iso(row.getOffsetDateTime("ts")))));
          return out;
        });
  }

  /** The newest value (by device timestamp) of each signal of a device. */
  Future<JsonArray> latest(String deviceId) {
    return pool.preparedQuery("""
            SELECT signal, source, unit, first_ts, ts, value, value_text, tags, received_at
            FROM device_signals WHERE device_id = $1 ORDER BY signal""")
        .execute(Tuple.of(deviceId))
        .map(rows -> {
          JsonArray out = new JsonArray();
          rows.forEach(row -> out.add(point(row)
              .put("source", row.getString("source"))
              .put("unit", row.getString("unit"))
              .put("first_ts", iso(row.getOffsetDateTime("first_ts")))));
          return out;
        });
  }

  /**
   * The newest rejected messages of the tenant's devices. A rejection is the tenant's when it names
   * one of its registered devices: the device it authenticated as ({@code authenticated}) or, when
   * it failed before that, the registered device it claimed or whose topic it came on (not
   * authenticated: anyone able to publish there may have sent it). Rejections naming no device, or
   * an unregistered one, belong to no tenant and are served to operator keys only ({@code withoutDevice}).
   */
  Future<JsonArray> rejected(String tenantId, boolean withoutDevice, String reason, int limit) {
    return pool.preparedQuery("""
            SELECT r.id, r.received_at, r.topic, r.reason, r.detail, r.device_id, r.authenticated, r.payload_size,
                   r.payload_head
            FROM rejected_messages r LEFT JOIN devices d ON d.device_id = r.device_id
            WHERE (d.tenant_id = $1 OR ($2 AND d.device_id IS NULL)) AND ($3::text IS NULL OR r.reason = $3)
            ORDER BY r.id DESC LIMIT $4""")
        .execute(Tuple.of(tenantId, withoutDevice, reason, limit))
        .map(rows -> {
          JsonArray out = new JsonArray();
          rows.forEach(row -> out.add(new JsonObject()
              .put("id", row.getLong("id"))
              .put("received_at", iso(row.getOffsetDateTime("received_at")))
              .put("topic", row.getString("topic"))
              .put("reason", row.getString("reason"))
              .put("detail", row.getString("detail"))
              .put("device_id", row.getString("device_id"))
              .put("authenticated", row.getBoolean("authenticated"))
              .put("payload_size", row.getInteger("payload_size"))
              .put("payload_head_base64", row.getBuffer("payload_head").getBytes())));
          return out;
        });
  }

  /** A device's rows since a time, oldest first, as rows (for replaying to stream clients). */
  Future<List<io.flexconnect.storage.TelemetryRow>> rowsSince(String deviceId, long sinceMs, int limit) {
    return pool.preparedQuery("SELECT signal, (extract(epoch FROM ts) * 1000)::int8 AS t, value, value_text, tags::text AS tags, "
            + "(extract(epoch FROM received_at) * 1000)::int8 AS r FROM telemetry "
            + "WHERE device_id = $1 AND ts >= " + SqlTime.param(2) + " ORDER BY ts, signal LIMIT $3")
        .execute(Tuple.of(deviceId, sinceMs, limit))
        .map(rows -> {
          List<io.flexconnect.storage.TelemetryRow> out = new java.util.ArrayList<>(rows.size());
          for (Row row : rows) {
            Double value = row.getDouble("value");
            out.add(new io.flexconnect.storage.TelemetryRow(deviceId, row.getString("signal"), row.getLong("t"),
                value != null, value == null ? Double.NaN : value, row.getString("value_text"), row.getString("tags"),
                row.getLong("r"), null, null));
          }
          return out;
        });
  }

  /** The tenant's alert incidents, newest first, optionally of one device and/or in one state. */
  Future<JsonArray> alerts(String tenantId, String deviceId, String state, int limit) {
    return pool.preparedQuery("""
            SELECT id, device_id, rule_id, severity, state, opened_at, closed_at, peak_value, message
            FROM alerts WHERE tenant_id = $1 AND ($2::text IS NULL OR device_id = $2)
              AND ($3::text IS NULL OR state = $3)
            ORDER BY opened_at DESC, id DESC LIMIT $4""")
        .execute(Tuple.of(tenantId, deviceId, state, limit))
        .map(rows -> {
          JsonArray out = new JsonArray();
          rows.forEach(row -> out.add(new JsonObject()
              .put("id", row.getLong("id"))
              .put("device_id", row.getString("device_id"))
              .put("rule_id", row.getString("rule_id"))
              .put("severity", row.getString("severity"))
              .put("state", row.getString("state"))
              .put("opened_at", iso(row.getOffsetDateTime("opened_at")))
              .put("closed_at", iso(row.getOffsetDateTime("closed_at")))
              .put("peak", row.getDouble("peak_value"))
              .put("message", row.getString("message"))));
          return out;
        });
  }

  Future<Void> ping() {
    return pool.query("SELECT 1").execute().mapEmpty();
  }

  private static JsonArray points(RowSet<Row> rows) {
    JsonArray out = new JsonArray();
    rows.forEach(row -> out.add(point(row)));
    return out;
  }

  private static JsonObject point(Row row) {
    JsonObject p = new JsonObject()
        .put("signal", row.getString("signal"))
        .put("ts", iso(row.getOffsetDateTime("ts")))
        .put("timestamp", row.getOffsetDateTime("ts").toInstant().toEpochMilli());
    Double value = row.getDouble("value");
    String text = row.getString("value_text");
    if (value == null) {
      p.put("value", text);
    } else {
      p.put("value", value.isNaN() || value.isInfinite() ? null : value);
      if (text != null) {
        p.put("label", text); // value-table label of a CAN signal
      }
    }
    Object tags = row.getValue("tags");
    p.put("tags", tags instanceof JsonObject obj ? obj : new JsonObject());
    p.put("received_at", iso(row.getOffsetDateTime("received_at")));
    return p;
  }

  private static String iso(OffsetDateTime t) {
    return t == null ? null : t.toInstant().toString();
  }
}
