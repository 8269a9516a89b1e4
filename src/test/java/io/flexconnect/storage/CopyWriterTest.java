package io.flexconnect.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexconnect.bus.LocalCodec;
import io.flexconnect.storage.DatabaseConfig.EmbeddedDatabaseConfig;
import io.flexconnect.testing.Await;
import io.flexconnect.testing.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.sqlclient.Pool;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The telemetry writer's binary COPY path, driven directly over the event bus against a real
 * database (TimescaleDB too when the tests run against one): rows COPY stores read back exactly as
 * the upsert stores them, a redelivered message is stored once, a poison message in a COPY flush is
 * isolated, and a lost writer connection is replaced.
 */
class CopyWriterTest {
  static final long T0 = 1_700_000_000_123L;
  static String url;
  static DatabaseConfig database;
  static Vertx vertx;
  static SimpleMeterRegistry meters;

  @BeforeAll
  static void start() {
    url = TestDatabase.newDatabase("copywriter");
    database = new DatabaseConfig(url, null, null, 2, 120, new EmbeddedDatabaseConfig("unused", 15432));
    vertx = Vertx.vertx();
    for (Class<?> type : List.of(TelemetryBatch.class, RejectedMessage.class, StorageStatus.class, StorageState.class)) {
      register(type);
    }
    Pool pool = Database.pool(vertx, database, 1);
    Await.result(new SchemaMigrator(pool).migrate().eventually(pool::close));
    TestDatabase.jdbc(url, conn -> conn.createStatement().execute(
        "INSERT INTO devices (device_id) VALUES ('copy-a'), ('copy-b'), ('redelivered'), ('poison'), ('reconnect')"));
    meters = new SimpleMeterRegistry();
    // A long window: everything sent at once shares one flush.
    StorageConfig storage = new StorageConfig(5000, 300, 500_000, 100, 64, 1, 0, 0, true, 1);
    Await.result(vertx.deployVerticle(new TelemetryWriterVerticle(database, storage, meters)));
  }

  private static <T> void register(Class<T> type) {
    vertx.eventBus().registerDefaultCodec(type, new LocalCodec<>(type));
  }

  @AfterAll
  static void stop() {
    if (vertx != null) {
      Await.result(vertx.close());
    }
  }

  static List<TelemetryRow> variedRows(String device) {
    return List.of(
        TelemetryRow.json(device, "temperature", T0, 22.5, null, "{\"room\":\"kü\\\"che\"}", T0 + 7),
        TelemetryRow.json(device, "state", T0, 0, "läuft ✓", null, T0 + 7),
        TelemetryRow.json(device, "temperature", T0 + 1, -0.0, null, null, T0 + 8),
        TelemetryRow.can(device, "EngineData.EngineState", T0 - 86_400_000L * 400, 3, "Running",
            "{\"bus\":1,\"sa\":0}", T0, "rpm"),
        TelemetryRow.can(device, "EngineData.EngineSpeed", 946_684_799_999L, Double.MAX_VALUE, null, "{}", T0,
            null));
  }

  static List<String> stored(String device) {
    return TestDatabase.jdbc(url, conn -> {
      List<String> rows = new ArrayList<>();
      try (ResultSet rs = conn.createStatement().executeQuery(
          "SELECT signal, (extract(epoch FROM ts) * 1000)::int8, value, value_text, tags::text,"
              + " (extract(epoch FROM received_at) * 1000)::int8 FROM telemetry WHERE device_id = '" + device
              + "' ORDER BY signal, ts")) {
        while (rs.next()) {
          rows.add(rs.getString(1) + "|" + rs.getLong(2) + "|" + rs.getObject(3) + "|" + rs.getString(4) + "|"
              + rs.getString(5) + "|" + rs.getLong(6));
        }
      }
      return rows;
    });
  }

  static Future<Object> send(List<TelemetryRow> rows) {
    return vertx.eventBus().request(StorageAddresses.TELEMETRY, new TelemetryBatch(rows)).map(m -> m.body());
  }

  static long count(String sql) {
    return TestDatabase.jdbc(url, conn -> {
      try (ResultSet rs = conn.createStatement().executeQuery(sql)) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  static double fallbacks() {
    return meters.get("flexconnect.storage.copy.fallbacks").functionCounter().count();
  }

  @Test
  void verifiesThatRowsWrittenByCopyReadBackExactlyAsRowsWrittenByTheUpsert() throws SQLException {
    try (Connection conn = Database.openWriterConnection(database)) {
      new FlushWriter(true).write(conn, flush(variedRows("copy-a")));
      new FlushWriter(false).write(conn, flush(variedRows("copy-b")));
    }
    assertThat(stored("copy-a")).hasSize(5).isEqualTo(stored("copy-b"));
  }

  private static FlushWriter.Flush flush(List<TelemetryRow> rows) {
    return new FlushWriter.Flush(rows, List.of(), List.of(), Map.of(rows.get(0).deviceId(), 1L));
  }

  @Test
  void verifiesThatAMessageDeliveredAgainIsStoredOnceWithItsLatestValues() {
    List<TelemetryRow> first = List.of(
        TelemetryRow.json("redelivered", "speed", T0, 10, null, null, T0),
        TelemetryRow.json("redelivered", "speed", T0 + 1000, 11, null, null, T0));
    List<TelemetryRow> again = List.of(
        TelemetryRow.json("redelivered", "speed", T0, 10, null, null, T0 + 5000),
        TelemetryRow.json("redelivered", "speed", T0 + 1000, 12, null, null, T0 + 5000));
    double fallbacksBefore = fallbacks();
    Await.result(send(first));
    Await.result(send(again));

    assertThat(count("SELECT count(*) FROM telemetry WHERE device_id = 'redelivered'")).isEqualTo(2);
    assertThat(count("SELECT value::int8 FROM telemetry WHERE device_id = 'redelivered' AND ts = "
        + "timestamptz 'epoch' + " + (T0 + 1000) + " * interval '1 millisecond'")).isEqualTo(12);
    assertThat(count("SELECT value::int8 FROM device_signals WHERE device_id = 'redelivered'")).isEqualTo(12);
    assertThat(count("SELECT messages FROM devices WHERE device_id = 'redelivered'")).isEqualTo(2);
    assertThat(fallbacks() - fallbacksBefore).isEqualTo(1.0);
  }

  @Test
  void verifiesThatAPoisonMessageInACopyFlushIsRefusedAndTheOthersCommitted() {
    List<Future<Object>> replies = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      String text = i == 4 ? "nul\u0000inside" : "ok-" + i;
      replies.add(send(List.of(TelemetryRow.json("poison", "state", T0 + i, 0, text, null, T0))));
    }
    Await.result(Future.join(replies).otherwiseEmpty());

    for (int i = 0; i < replies.size(); i++) {
      if (i == 4) {
        assertThat(replies.get(i).cause()).isInstanceOf(ReplyException.class);
        assertThat(((ReplyException) replies.get(i).cause()).failureCode()).isEqualTo(StorageAddresses.REFUSED);
        assertThat(replies.get(i).cause().getMessage()).contains("22021");
      } else {
        assertThat(replies.get(i).succeeded()).as("message %d", i).isTrue();
      }
    }
    assertThat(count("SELECT count(*) FROM telemetry WHERE device_id = 'poison'")).isEqualTo(6);
  }

  @Test
  void verifiesThatALostWriterConnectionFailsItsFlushForRetryAndIsReplaced() {
    Await.result(send(List.of(TelemetryRow.json("reconnect", "x", T0, 1, null, null, T0))));
    TestDatabase.jdbc(url, conn -> conn.createStatement().execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'flexconnect-writer'"));

    Future<Object> lost = send(List.of(TelemetryRow.json("reconnect", "x", T0 + 1, 2, null, null, T0)));
    Await.result(lost.otherwiseEmpty());
    assertThat(lost.failed()).isTrue();
    assertThat(((ReplyException) lost.cause()).failureCode()).isEqualTo(503); // retried by the sender, not refused

    Await.result(send(List.of(TelemetryRow.json("reconnect", "x", T0 + 1, 2, null, null, T0))));
    assertThat(count("SELECT count(*) FROM telemetry WHERE device_id = 'reconnect'")).isEqualTo(2);
  }
}
