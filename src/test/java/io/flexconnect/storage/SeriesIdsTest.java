package io.flexconnect.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexconnect.storage.DatabaseConfig.EmbeddedDatabaseConfig;
import io.flexconnect.testing.Await;
import io.flexconnect.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The writer's series and tag-set ids against a real database: complete, shared, and kept across a rollback. */
class SeriesIdsTest {
  static final long T0 = 1_750_000_000_000L;
  static String url;
  static DatabaseConfig database;

  @BeforeAll
  static void start() {
    url = TestDatabase.newDatabase("seriesids");
    database = new DatabaseConfig(url, null, null, 1, 120, new EmbeddedDatabaseConfig("unused", 15432));
    Vertx vertx = Vertx.vertx();
    try {
      Pool pool = Database.pool(vertx, database, 1);
      Await.result(new SchemaMigrator(pool).migrate().eventually(pool::close));
    } finally {
      Await.result(vertx.close());
    }
  }

  static List<TelemetryRow> rows(String device, int signals, String tags) {
    List<TelemetryRow> rows = new ArrayList<>();
    for (int s = 0; s < signals; s++) {
      rows.add(TelemetryRow.json(device, "s" + s, T0, s, null, tags, T0 + 5));
    }
    return rows;
  }

  static long count(String sql) {
    return TestDatabase.jdbc(url, conn -> {
      try (ResultSet rs = conn.createStatement().executeQuery(sql)) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  static FlushWriter.Outcome write(Connection conn, FlushWriter writer, List<TelemetryRow> rows) throws SQLException {
    return writer.write(conn, new FlushWriter.Flush(rows, List.of(), List.of(), Map.of()));
  }

  @Test
  void verifiesThatAFlushWithMoreSeriesThanTheCacheHoldsStillStoresEveryRowUnderItsOwnSeries() throws SQLException {
    try (Connection conn = Database.openWriterConnection(database)) {
      write(conn, new FlushWriter(true, new SeriesIds(3, 1)), rows("small-cache", 50, "{\"a\":1}"));
    }
    assertThat(count("SELECT count(*) FROM telemetry WHERE device_id = 'small-cache' AND value::int = "
        + "substr(signal, 2)::int AND tags = '{\"a\":1}'")).isEqualTo(50);
    assertThat(count("SELECT count(*) FROM series WHERE device_id = 'small-cache'")).isEqualTo(50);
  }

  @Test
  void verifiesThatTwoWritersAndTwoSpellingsOfOneTagObjectShareSeriesAndTagSet() throws SQLException {
    try (Connection conn = Database.openWriterConnection(database)) {
      write(conn, new FlushWriter(true), rows("shared", 3, "{\"x\":\"1\",\"y\":2}"));
      List<TelemetryRow> later = new ArrayList<>();
      for (TelemetryRow row : rows("shared", 3, "{\"y\": 2, \"x\": \"1\"}")) {
        later.add(TelemetryRow.json(row.deviceId(), row.signal(), T0 + 1000, row.value(), null, row.tagsJson(), T0));
      }
      write(conn, new FlushWriter(true), later);
    }
    assertThat(count("SELECT count(*) FROM series WHERE device_id = 'shared'")).isEqualTo(3);
    assertThat(count("SELECT count(DISTINCT tag_set_id) FROM telemetry_points p JOIN series s USING (series_id) "
        + "WHERE s.device_id = 'shared'")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM telemetry WHERE device_id = 'shared'")).isEqualTo(6);
  }

  @Test
  void verifiesThatIdsCachedByAFlushThatFellBackToTheUpsertStayValid() throws SQLException {
    try (Connection conn = Database.openWriterConnection(database)) {
      FlushWriter writer = new FlushWriter(true);
      List<TelemetryRow> first = rows("fallback", 2, null);
      write(conn, writer, first);
      // Stored rows plus a new series: the COPY fails and rolls back, the upsert commits.
      List<TelemetryRow> again = new ArrayList<>(first);
      again.add(TelemetryRow.json("fallback", "new", T0, 9, null, "{\"n\":1}", T0 + 5));
      assertThat(write(conn, writer, again).upsertedAfterConflict()).isTrue();
      // The new series' cached id must point at a committed series.
      write(conn, writer, List.of(TelemetryRow.json("fallback", "new", T0 + 1, 10, null, "{\"n\":1}", T0 + 6)));
    }
    assertThat(count("SELECT count(*) FROM telemetry WHERE device_id = 'fallback' AND signal = 'new' "
        + "AND tags = '{\"n\":1}'")).isEqualTo(2);
  }
}
