package io.flexconnect.can;

import io.flexconnect.storage.SqlTime;
import io.flexconnect.can.CanConfig.DbcMapping;
import io.flexconnect.can.DbcFiles.LoadedDbc;
import io.flexconnect.codec.Decoded;
import io.flexconnect.codec.can.CanDecoderLimits;
import io.flexconnect.codec.can.CanMessage;
import io.flexconnect.codec.can.CanMessageDecoder;
import io.flexconnect.dbc.DbcDecoder;
import io.flexconnect.storage.TelemetryRow;
import io.flexconnect.storage.TelemetryStatements;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Cursor;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Re-decodes a device's stored binary messages with a (new) DBC version and replaces the derived
 * rows of the range, in one transaction: the CAN rows of the range are deleted, the messages are
 * read through a cursor (bounded memory whatever the range) and decoded again, and the run is
 * recorded with the DBC versions it applied. Running it twice gives the same rows.
 */
public final class Redecoder {
  private static final int PAGE = 500;

  // By the series ids of the device's CAN signals, given as values rather than a join: on
  // TimescaleDB series_id segments the compressed chunks, so only the segments of those series are
  // decompressed (a join decompresses every segment of the chunk, JSON signals included).
  private static final String DELETE_DERIVED = """
      DELETE FROM telemetry_points
      WHERE series_id = ANY($1::int4[]) AND ts >= %s AND ts < %s
        AND ($4::text[] IS NULL
             OR tag_set_id IN (SELECT tag_set_id FROM tag_sets WHERE tags->>'bus' = ANY($4::text[])))
      """.formatted(SqlTime.param(2), SqlTime.param(3));

  private static final String CAN_SERIES = """
      SELECT coalesce(array_agg(s.series_id), '{}')
      FROM device_signals ds JOIN series s ON s.device_id = ds.device_id AND s.signal = ds.signal
      WHERE ds.device_id = $1 AND ds.source = 'can'
      """;

  private static final String HAS_MESSAGES = """
      SELECT EXISTS (SELECT 1 FROM can_messages WHERE device_id = $1 AND last_ts >= %s AND first_ts < %s)
      """.formatted(SqlTime.param(2), SqlTime.param(3));

  // Rows older than the strictest retention policy may be dropped at any moment, together with the
  // stored messages they came from: a re-decode there could only delete.
  private static final String RETENTION_HORIZON = """
      SELECT (extract(epoch FROM now() - min((config->>'drop_after')::interval)) * 1000)::int8
      FROM timescaledb_information.jobs
      WHERE proc_name = 'policy_retention' AND hypertable_schema = current_schema()
        AND hypertable_name IN ('telemetry_points', 'can_messages')
      """;

  private static final String SELECT_MESSAGES = """
      SELECT points, (extract(epoch FROM received_at) * 1000)::int8 AS received_ms
      FROM can_messages
      WHERE device_id = $1 AND last_ts >= %s AND first_ts < %s
      ORDER BY first_ts, digest
      """.formatted(SqlTime.param(2), SqlTime.param(3));

  private final Vertx vertx;
  private final Pool pool;
  private final CanConfig config;
  private final TelemetryStatements statements = new TelemetryStatements(1);
  private final CanMessageDecoder decoder = new CanMessageDecoder(CanDecoderLimits.defaults());

  public Redecoder(Vertx vertx, Pool pool, CanConfig config) {
    this.vertx = vertx;
    this.pool = pool;
    this.config = config;
  }

  public Future<RedecodeResult> run(RedecodeRequest request) {
    List<DbcMapping> mappings = request.dbc().isEmpty()
        ? config.dbcMappings()
        : request.dbc().stream().map(m -> new DbcMapping(request.deviceId(), m.bus(), m.file())).toList();
    return vertx.executeBlocking(() -> load(mappings)).compose(loaded -> {
      Map<String, DbcDecoder> decoders = new LinkedHashMap<>();
      loaded.forEach((name, dbc) -> decoders.put(name, dbc.decoder()));
      SignalExtractor extractor = new SignalExtractor(new DbcCatalog(mappings, decoders), config.storeUnknown());
      return pool.withTransaction(conn -> clipToRetention(conn, request)
          .compose(clipped -> replace(conn, clipped, extractor, loaded)));
    });
  }

  /**
   * The request with {@code from} moved up to the retention horizon (TimescaleDB retention policies
   * only; plain PostgreSQL keeps everything); refused when the whole range lies before it.
   */
  private static Future<RedecodeRequest> clipToRetention(SqlConnection conn, RedecodeRequest request) {
    return conn.query("SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'").execute()
        .compose(ext -> ext.size() == 0 ? Future.succeededFuture((Long) null)
            : conn.query(RETENTION_HORIZON).execute().map(rows -> rows.iterator().next().getLong(0)))
        .compose(horizon -> {
          if (horizon == null || request.fromMs() >= horizon) {
            return Future.succeededFuture(request);
          }
          if (request.toMs() <= horizon) {
            return Future.failedFuture(new RangeRefusedException("the range ends before the retention horizon "
                + java.time.Instant.ofEpochMilli(horizon) + ": its data is dropped or about to be"));
          }
          return Future.succeededFuture(new RedecodeRequest(request.deviceId(), horizon, request.toMs(), request.dbc()));
        });
  }

  /** A re-decoding range that cannot be served (it lies before the retention horizon). */
  public static final class RangeRefusedException extends RuntimeException {
    RangeRefusedException(String message) {
      super(message, null, false, false);
    }
  }

  private Map<String, LoadedDbc> load(List<DbcMapping> mappings) {
    Map<String, LoadedDbc> loaded = new LinkedHashMap<>();
    for (DbcMapping m : mappings) {
      loaded.computeIfAbsent(m.file(), f -> DbcFiles.load(Path.of(config.dbcDir()), f));
    }
    return loaded;
  }

  private Future<RedecodeResult> replace(
      SqlConnection conn, RedecodeRequest request, SignalExtractor extractor, Map<String, LoadedDbc> dbcs) {
    Tuple range = Tuple.of(request.deviceId(), request.fromMs(), request.toMs());
    int busMask = busMask(request);
    Totals totals = new Totals();
    return deleteDerived(conn, request, busMask)
        .compose(deleted -> {
          totals.rowsDeleted = deleted;
          return conn.prepare(SELECT_MESSAGES);
        })
        .compose(ps -> drain(conn, ps.cursor(range), request, extractor, busMask, totals))
        .compose(v -> recordRun(conn, request, dbcs, totals))
        .map(v -> new RedecodeResult(request.fromMs(), totals.messages, totals.frames, totals.unknown,
            totals.rowsDeleted, totals.rowsWritten, versions(dbcs)));
  }

  /**
   * Deletes the CAN-derived rows of the range, only where stored messages can derive them again:
   * nothing for a device without stored messages in the range or without CAN signals.
   */
  private static Future<Long> deleteDerived(SqlConnection conn, RedecodeRequest request, int busMask) {
    Tuple range = Tuple.of(request.deviceId(), request.fromMs(), request.toMs());
    return conn.preparedQuery(HAS_MESSAGES).execute(range).compose(has -> {
      if (!has.iterator().next().getBoolean(0)) {
        return Future.succeededFuture(0L);
      }
      return conn.preparedQuery(CAN_SERIES).execute(Tuple.of(request.deviceId())).compose(rows -> {
        Integer[] series = rows.iterator().next().getArrayOfIntegers(0);
        if (series.length == 0) {
          return Future.succeededFuture(0L);
        }
        Tuple delete = Tuple.of(series, request.fromMs(), request.toMs()).addArrayOfString(busNames(busMask));
        return conn.preparedQuery(DELETE_DERIVED).execute(delete).map(deleted -> (long) deleted.rowCount());
      });
    });
  }

  /**
   * Files named for particular buses re-decode those buses only: the rows of the other buses stay
   * as they are. A file for every bus (or the configured mapping) re-decodes them all.
   */
  static int busMask(RedecodeRequest request) {
    if (request.dbc().isEmpty() || request.dbc().stream().anyMatch(m -> m.bus() == null)) {
      return SignalExtractor.ALL_BUSES;
    }
    int mask = 0;
    for (DbcMapping m : request.dbc()) {
      mask |= 1 << m.bus();
    }
    return mask;
  }

  /** The buses of a mask as the {@code bus} tag values, or null for every bus. */
  private static String[] busNames(int mask) {
    if (mask == SignalExtractor.ALL_BUSES) {
      return null;
    }
    List<String> names = new ArrayList<>();
    for (int bus = 0; bus < 8; bus++) {
      if ((mask & (1 << bus)) != 0) {
        names.add(String.valueOf(bus));
      }
    }
    return names.toArray(new String[0]);
  }

  private Future<Void> drain(SqlConnection conn, Cursor cursor, RedecodeRequest request, SignalExtractor extractor,
      int busMask, Totals totals) {
    return cursor.read(PAGE).compose(page -> {
      List<TelemetryRow> rows = new ArrayList<>();
      for (Row row : page) {
        totals.messages++;
        decodeInto(row.getBuffer("points"), row.getLong("received_ms"), request, extractor, busMask, rows, totals);
      }
      Future<Integer> written = rows.isEmpty() ? Future.succeededFuture(0) : statements.insertRows(conn, rows);
      return written.compose(n -> {
        totals.rowsWritten += n;
        return cursor.hasMore() ? drain(conn, cursor, request, extractor, busMask, totals) : cursor.close();
      });
    });
  }

  private void decodeInto(Buffer points, long receivedMs, RedecodeRequest request, SignalExtractor extractor,
      int busMask, List<TelemetryRow> into, Totals totals) {
    // Stored without the token: give it an empty one and decode as received.
    ByteBuf message = Unpooled.buffer(4 + points.length()).writeInt(0).writeBytes(points.getBytes());
    Decoded<CanMessage> decoded;
    try {
      decoded = decoder.decode(message);
    } finally {
      message.release();
    }
    if (!(decoded instanceof Decoded.Ok<CanMessage> ok)) {
      return; // stored messages were valid when they arrived; nothing to re-derive otherwise
    }
    try (CanMessage m = ok.value()) {
      Extraction e = extractor.extract(request.deviceId(), m, receivedMs, busMask);
      totals.frames += e.frames();
      totals.unknown += e.unknownFrames();
      for (TelemetryRow row : e.rows()) {
        if (row.timestampMs() >= request.fromMs() && row.timestampMs() < request.toMs()) {
          into.add(row);
        }
      }
    }
  }

  private Future<Void> recordRun(SqlConnection conn, RedecodeRequest request, Map<String, LoadedDbc> dbcs, Totals t) {
    List<Tuple> files = new ArrayList<>();
    dbcs.values().forEach(d -> files.add(Tuple.of(Buffer.buffer(d.sha256()), d.name(), Buffer.buffer(d.content()))));
    JsonObject applied = new JsonObject();
    versions(dbcs).forEach(applied::put);
    Future<?> filesStored = files.isEmpty() ? Future.succeededFuture() : conn
        .preparedQuery("INSERT INTO dbc_files (sha256, name, content) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
        .executeBatch(files);
    return filesStored
        .compose(r -> conn.preparedQuery("""
                INSERT INTO redecode_runs (device_id, from_ts, to_ts, dbc, messages, frames, rows_deleted, rows_written)
                VALUES ($1, %s, %s, $4, $5, $6, $7, $8)""".formatted(SqlTime.param(2), SqlTime.param(3)))
            .execute(Tuple.of(request.deviceId(), request.fromMs(), request.toMs(), applied, t.messages, t.frames,
                t.rowsDeleted, t.rowsWritten)))
        .mapEmpty();
  }

  private static Map<String, String> versions(Map<String, LoadedDbc> dbcs) {
    Map<String, String> out = new LinkedHashMap<>();
    dbcs.forEach((name, d) -> out.put(name, HexFormat.of().formatHex(d.sha256())));
    return out;
  }

  private static final class Totals {
    int messages;
    long frames;
    long unknown;
    long rowsDeleted;
    long rowsWritten;
  }
}
