package io.flexconnect.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexconnect.testing.Await;
import io.flexconnect.testing.Http;
import io.flexconnect.testing.PlatformFixture;
import io.flexconnect.testing.TestDatabase;
import io.flexconnect.testing.TestPublisher;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A message the database can never store (here a text value with a NUL character, which PostgreSQL
 * refuses with SQLSTATE 22021) is isolated from its flush, recorded as refused and acknowledged,
 * while storage that fails for everyone keeps messages unacknowledged and shows in {@code /health}.
 */
public class StorageRefusalTest {
  static final String TOKEN = "tok_poison-0001-8d2e41";
  static final long T0 = 1_700_000_000_000L;
  static PlatformFixture fx;

  @BeforeAll
  public static void start() throws Exception {
    fx = PlatformFixture.start("refusal", Map.of(
        "FLEXCONNECT_MQTT_RETRY_MIN_MS", "50", "FLEXCONNECT_MQTT_RETRY_MAX_MS", "200",
        // One long batch window: the poison shares its flush with the messages around it.
        "FLEXCONNECT_STORAGE_BATCH_INTERVAL_MS", "300"));
    fx.addDevice("poison-0001", TOKEN);
  }

  @AfterAll
  public static void stop() throws Exception {
    if (fx != null) {
      fx.close();
      fx = null;
    }
  }

  static byte[] message(int i, String value) {
    return message(i, "state", value);
  }

  static byte[] message(int i, String signal, String value) {
    return ("{\"device_id\":\"poison-0001\",\"token\":\"" + TOKEN + "\",\"points\":[{\"timestamp\":" + (T0 + i)
        + ",\"fields\":[{\"name\":\"" + signal + "\",\"value\":" + value + "}]}]}").getBytes(StandardCharsets.UTF_8);
  }

  static long rows(String signal) {
    return TestDatabase.jdbc(fx.dbUrl, conn -> {
      var rs = conn.createStatement().executeQuery(
          "SELECT count(*) FROM telemetry WHERE device_id = 'poison-0001' AND signal = '" + signal + "'");
      rs.next();
      return rs.getLong(1);
    });
  }

  @Test
  public void verifiesThatAMessageTheDatabaseRefusesIsRejectedWhileTheMessagesAroundItAreCommitted() {
    try (TestPublisher device = fx.publisher("poison-device")) {
      List<Future<Void>> sent = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        sent.add(device.publishAsync("flexconnect/poison-0001/json",
            message(i, i == 10 ? "\"nul\\u0000inside\"" : "\"ok-" + i + "\"")));
      }
      Await.result(Future.all(sent));
    }
    Await.until("the 19 storable messages committed", Duration.ofSeconds(20), () -> rows("state") == 19 ? true : null);
    Await.until("everything acknowledged", Duration.ofSeconds(20), () -> fx.status().inFlight() == 0 ? true : null);

    JsonArray rejected = fx.http.get("/api/v1/rejected?reason=storage_refused").json().getJsonArray("rejected");
    assertThat(rejected).hasSize(1);
    JsonObject refusal = rejected.getJsonObject(0);
    assertThat(refusal.getString("device_id")).isEqualTo("poison-0001");
    assertThat(refusal.getString("detail")).contains("22021");
    assertThat(fx.http.get("/metrics").body()).containsPattern("flexconnect_storage_refused_total\\S* 1\\.0");
  }

  @Test
  public void verifiesThatHealthSaysStorageIsFailingWhileWritesFailAndUpOnceTheyCommitAgain() {
    Http anonymous = new Http(fx.platform.httpPort());
    TestDatabase.jdbc(fx.dbUrl, conn -> conn.createStatement().execute("ALTER TABLE telemetry_points RENAME TO telemetry_points_away"));
    try {
      try (TestPublisher device = fx.publisher("outage-device")) {
        device.publish("flexconnect/poison-0001/json", message(1000, "outage", "\"during-outage\""));
      }
      Http.Response failing = Await.until("health to report the failing storage", Duration.ofSeconds(20), () -> {
        Http.Response r = anonymous.get("/health");
        return "FAILING".equals(r.json().getString("storage")) ? r : null;
      });
      assertThat(failing.status()).isEqualTo(503);
      assertThat(failing.json().getString("status")).isEqualTo("DEGRADED");
      assertThat(failing.json().getString("ingest")).isEqualTo("WAITING_FOR_STORAGE");
      assertThat(failing.json().getString("database")).isEqualTo("UP");
      assertThat(failing.json().getString("storage_error")).contains("42P01");
      assertThat(fx.status().inFlight()).isEqualTo(1); // kept for retry, not refused
    } finally {
      TestDatabase.jdbc(fx.dbUrl, conn -> conn.createStatement().execute("ALTER TABLE telemetry_points_away RENAME TO telemetry_points"));
    }
    Await.until("the held message stored", Duration.ofSeconds(20), () -> rows("outage") == 1
        && fx.status().inFlight() == 0 ? true : null);
    Http.Response up = Await.until("health UP again", Duration.ofSeconds(20), () -> {
      Http.Response r = anonymous.get("/health");
      return r.status() == 200 ? r : null;
    });
    assertThat(up.json().getString("storage")).isEqualTo("UP");
  }
}
