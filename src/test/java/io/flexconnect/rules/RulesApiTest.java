package io.flexconnect.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexconnect.testing.Await;
import io.flexconnect.testing.Http;
import io.flexconnect.testing.PlatformFixture;
import io.flexconnect.testing.TestDatabase;
import io.flexconnect.testing.TestPublisher;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Rules edited at run time over REST take effect at once; a dry run replays stored history. */
class RulesApiTest {
  static PlatformFixture fx;

  @BeforeAll
  static void start() throws Exception {
    fx = PlatformFixture.start("rules_api", Map.of());
    fx.addDevice("rules-0001", "tok_rules-0001-abcd");
  }

  @AfterAll
  static void stop() throws Exception {
    fx.close();
  }

  static byte[] point(long ts, String field, double value) {
    return ("{\"device_id\":\"rules-0001\",\"token\":\"tok_rules-0001-abcd\",\"points\":[{\"timestamp\":" + ts
        + ",\"fields\":[{\"name\":\"" + field + "\",\"value\":" + value + "}]}]}").getBytes(StandardCharsets.UTF_8);
  }

  static List<String> alertStates(String rule) {
    return TestDatabase.jdbc(fx.dbUrl, conn -> {
      var rs = conn.createStatement().executeQuery("SELECT state FROM alerts WHERE rule_id = '" + rule + "' ORDER BY id");
      List<String> states = new java.util.ArrayList<>();
      while (rs.next()) {
        states.add(rs.getString(1));
      }
      return states;
    });
  }

  @Test
  void verifiesThatAnAlertRulePutOverRestFiresOnTheNextPoints() {
    Http.Response bad = fx.http.send("PUT", "/api/v1/rules/alerts",
        "{\"latenessMs\":0,\"rules\":[{\"id\":\"hot\",\"signal\":\"temp\",\"when\":{\"op\":\"~\",\"value\":1}}]}");
    assertThat(bad.status()).isEqualTo(422);
    assertThat(bad.json().getString("detail")).contains("op");

    Http.Response put = fx.http.send("PUT", "/api/v1/rules/alerts",
        "{\"latenessMs\":0,\"rules\":[{\"id\":\"hot\",\"devices\":\"rules-*\",\"signal\":\"temp\","
            + "\"when\":{\"op\":\">\",\"value\":90}}]}");
    assertThat(put.status()).isEqualTo(200);
    assertThat(fx.http.get("/api/v1/rules/alerts/hot").json().getString("signal")).isEqualTo("temp");

    try (TestPublisher device = fx.publisher("rules-device")) {
      device.publish("flexconnect/rules-0001/json", point(1_700_000_000_000L, "temp", 95));
    }
    Await.until("the alert of the new rule", Duration.ofSeconds(20),
        () -> alertStates("hot").contains("firing") ? true : null);

    assertThat(fx.http.send("DELETE", "/api/v1/rules/alerts/hot", null).status()).isEqualTo(204);
    assertThat(fx.http.get("/api/v1/rules/alerts/hot").status()).isEqualTo(404);
    assertThat(fx.http.get("/api/v1/rules/alerts").json().getJsonArray("rules")).isEmpty();
  }

  @Test
  void verifiesThatAPipelineGroupPutOverRestTransformsTheNextMessages() {
    Http.Response put = fx.http.send("PUT", "/api/v1/rules/pipelines/renamers",
        "{\"devices\":\"rules-*\",\"steps\":[{\"type\":\"rename\",\"from\":\"hum\",\"to\":\"humidity\"}]}");
    assertThat(put.status()).isEqualTo(200);
    try (TestPublisher device = fx.publisher("rules-device-2")) {
      device.publish("flexconnect/rules-0001/json", point(1_700_000_001_000L, "hum", 40));
    }
    Await.until("the renamed signal", Duration.ofSeconds(20), () -> fx.http.get(
        "/api/v1/devices/rules-0001/telemetry?signal=humidity").json().getInteger("count") == 1 ? true : null);
    assertThat(fx.http.get("/api/v1/devices/rules-0001/telemetry?signal=hum").json().getInteger("count")).isZero();
    assertThat(fx.http.send("DELETE", "/api/v1/rules/pipelines/renamers", null).status()).isEqualTo(204);
  }

  @Test
  void verifiesThatADryRunReturnsTheAlertsARuleWouldHaveRaisedOverStoredHistory() {
    long t = 1_700_000_100_000L;
    try (TestPublisher device = fx.publisher("rules-device-3")) {
      double[] values = {80, 95, 97, 80, 96, 70};
      for (int i = 0; i < values.length; i++) {
        device.publish("flexconnect/rules-0001/json", point(t + i * 1000L, "pressure", values[i]));
      }
    }
    Await.until("history stored", Duration.ofSeconds(20), () -> fx.http.get(
        "/api/v1/devices/rules-0001/telemetry?signal=pressure").json().getInteger("count") == 6 ? true : null);
    JsonObject result = fx.http.post("/api/v1/rules/alerts/dry-run", "{\"device_id\":\"rules-0001\",\"from\":" + t
        + ",\"to\":" + (t + 10_000) + ",\"rule\":{\"id\":\"p\",\"signal\":\"pressure\",\"when\":{\"op\":\">\",\"value\":90},"
        + "\"clear\":{\"op\":\"<\",\"value\":85}}}").json();
    JsonArray alerts = result.getJsonArray("alerts");
    assertThat(alerts.stream().map(a -> ((JsonObject) a).getString("state")).toList())
        .containsExactly("firing", "resolved", "firing", "resolved");
    assertThat(alerts.getJsonObject(1).getDouble("peak")).isEqualTo(97.0);
    assertThat(alertStates("p")).isEmpty(); // a dry run stores nothing

    assertThat(fx.http.post("/api/v1/rules/alerts/dry-run", "{\"device_id\":\"ghost\",\"rule\":{\"id\":\"p\","
        + "\"signal\":\"pressure\",\"when\":{\"op\":\">\",\"value\":90}}}").status()).isEqualTo(404);
  }

  @Test
  void verifiesThatATenantScopedRuleAppliesToThatTenantsDevicesOnly() {
    assertThat(fx.http.send("PUT", "/api/v1/rules/alerts/cold-acme",
        "{\"tenant\":\"acme\",\"signal\":\"chill\",\"when\":{\"op\":\"<\",\"value\":0}}").status()).isEqualTo(200);
    assertThat(fx.http.send("PUT", "/api/v1/rules/alerts/cold-default",
        "{\"tenant\":\"default\",\"signal\":\"chill\",\"when\":{\"op\":\"<\",\"value\":0}}").status()).isEqualTo(200);
    try (TestPublisher device = fx.publisher("rules-device-4")) {
      device.publish("flexconnect/rules-0001/json", point(1_700_000_200_000L, "chill", -5));
      device.publish("flexconnect/rules-0001/json", point(1_700_000_210_000L, "chill", -6));
    }
    Await.until("the default tenant's rule", Duration.ofSeconds(20),
        () -> alertStates("cold-default").contains("firing") ? true : null);
    assertThat(alertStates("cold-acme")).isEmpty();
    fx.http.send("DELETE", "/api/v1/rules/alerts/cold-acme", null);
    fx.http.send("DELETE", "/api/v1/rules/alerts/cold-default", null);
  }

  @Test
  void verifiesThatChangingRulesTakesAnOperatorKey() {
    Http tenantOnly = fx.http.withKey(fx.createApiKey("default"));
    assertThat(tenantOnly.get("/api/v1/rules/alerts").status()).isEqualTo(200);
    assertThat(tenantOnly.send("PUT", "/api/v1/rules/alerts", "{\"rules\":[]}").status()).isEqualTo(403);
  }
}
