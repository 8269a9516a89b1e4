package io.flexconnect.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexconnect.testing.Await;
import io.flexconnect.testing.Mosquitto;
import io.flexconnect.testing.PlatformFixture;
import io.flexconnect.testing.TestDatabase;
import io.flexconnect.testing.TestPublisher;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rules saved over REST survive a restart, including rows an earlier release stored as JSON strings. */
class RuleSetsRestartTest {
  static final String ALERTS = "{\"latenessMs\":0,\"rules\":[{\"id\":\"hot\",\"devices\":\"keep-*\",\"signal\":\"temp\","
      + "\"when\":{\"op\":\">\",\"value\":90}}]}";
  static final String PIPELINE_GROUP =
      "{\"devices\":\"keep-*\",\"steps\":[{\"type\":\"rename\",\"from\":\"hum\",\"to\":\"humidity\"}]}";

  static byte[] point(String device, long ts, String field, double value) {
    return ("{\"device_id\":\"" + device + "\",\"token\":\"tok_" + device + "-abcd\",\"points\":[{\"timestamp\":" + ts
        + ",\"fields\":[{\"name\":\"" + field + "\",\"value\":" + value + "}]}]}").getBytes(StandardCharsets.UTF_8);
  }

  static String typeOf(String dbUrl, String kind) {
    return TestDatabase.jdbc(dbUrl, conn -> {
      var rs = conn.createStatement().executeQuery(
          "SELECT jsonb_typeof(document) FROM rule_sets WHERE kind = '" + kind + "'");
      return rs.next() ? rs.getString(1) : null;
    });
  }

  /** Publishes a hot point and a renamed one and waits until both rules are seen in force. */
  static void assertRulesInForce(PlatformFixture fx, String device, long ts) {
    assertThat(fx.http.get("/api/v1/rules/alerts/hot").json().getString("signal")).isEqualTo("temp");
    try (TestPublisher publisher = fx.publisher(device + "-pub")) {
      publisher.publish("flexconnect/" + device + "/json", point(device, ts, "temp", 95));
      publisher.publish("flexconnect/" + device + "/json", point(device, ts + 1000, "hum", 40));
    }
    Await.until("the saved alert rule to fire", Duration.ofSeconds(20), () -> TestDatabase.jdbc(fx.dbUrl, conn -> {
      var rs = conn.createStatement().executeQuery(
          "SELECT 1 FROM alerts WHERE rule_id = 'hot' AND device_id = '" + device + "' AND state = 'firing'");
      return rs.next() ? true : null;
    }));
    Await.until("the saved pipeline to rename", Duration.ofSeconds(20), () -> fx.http.get(
        "/api/v1/devices/" + device + "/telemetry?signal=humidity").json().getInteger("count") == 1 ? true : null);
    assertThat(fx.http.get("/api/v1/devices/" + device + "/telemetry?signal=hum").json().getInteger("count")).isZero();
  }

  @Test
  void verifiesThatAlertRulesAndPipelinesSavedOverRestAreInForceAfterARestart() throws Exception {
    PlatformFixture first = PlatformFixture.start("rules_restart", Map.of());
    Mosquitto broker = first.broker;
    String dbUrl = first.dbUrl;
    first.addDevice("keep-0001", "tok_keep-0001-abcd");
    assertThat(first.http.send("PUT", "/api/v1/rules/alerts", ALERTS).status()).isEqualTo(200);
    assertThat(first.http.send("PUT", "/api/v1/rules/pipelines/renamers", PIPELINE_GROUP).status()).isEqualTo(200);
    first.stopPlatform();

    assertThat(typeOf(dbUrl, "alerts")).isEqualTo("object");
    assertThat(typeOf(dbUrl, "pipelines")).isEqualTo("object");
    try (PlatformFixture second = PlatformFixture.start("rules_restart_again", broker, dbUrl, Map.of())) {
      assertRulesInForce(second, "keep-0001", 1_700_000_000_000L);
    }
  }

  @Test
  void verifiesThatRuleDocumentsStoredAsJsonStringsAreRepairedWhenTheSchemaIsMigrated() throws Exception {
    // A database as the earlier release left it: schema up to V10, documents saved as JSON strings.
    String dbUrl = TestDatabase.newDatabase("rules_repair");
    TestDatabase.jdbc(dbUrl, conn -> {
      try (var st = conn.createStatement()) {
        st.execute("CREATE TABLE schema_version (version integer PRIMARY KEY, name text NOT NULL,"
            + " applied_at timestamptz NOT NULL DEFAULT now())");
        for (String name : migrationsBefore(11)) {
          st.execute(resource(name));
          st.execute("INSERT INTO schema_version (version, name) VALUES (" + name.substring(1, name.indexOf("__"))
              + ", '" + name + "')");
        }
        st.execute("INSERT INTO rule_sets (kind, document) VALUES ('alerts', to_jsonb('" + ALERTS + "'::text)),"
            + " ('pipelines', to_jsonb('{\"groups\":[" + PIPELINE_GROUP.replace("{\"devices\"",
                "{\"name\":\"renamers\",\"devices\"") + "]}'::text))");
      }
      return null;
    });
    assertThat(typeOf(dbUrl, "alerts")).isEqualTo("string");

    try (PlatformFixture fx = PlatformFixture.start("rules_repair", Mosquitto.start(), dbUrl, Map.of())) {
      assertThat(typeOf(dbUrl, "alerts")).isEqualTo("object");
      assertThat(typeOf(dbUrl, "pipelines")).isEqualTo("object");
      fx.addDevice("keep-0002", "tok_keep-0002-abcd");
      assertRulesInForce(fx, "keep-0002", 1_700_000_100_000L);
    }
  }

  /** The migrations of the release that stored documents as strings, in order. */
  private static List<String> migrationsBefore(int version) {
    List<String> released = List.of("V1__core_schema.sql", "V2__can_messages.sql", "V3__dashboards.sql",
        "V4__device_credentials.sql", "V5__dbc_versions.sql", "V6__api_keys.sql", "V7__alert_incidents.sql",
        "V8__alert_state.sql", "V9__rule_sets.sql", "V10__device_message_counts.sql");
    return new ArrayList<>(released.subList(0, version - 1));
  }

  private static String resource(String name) {
    try (InputStream in = RuleSetsRestartTest.class.getResourceAsStream("/db/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
