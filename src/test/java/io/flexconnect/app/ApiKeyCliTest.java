package io.flexconnect.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexconnect.testing.Await;
import io.flexconnect.testing.Http;
import io.flexconnect.testing.PlatformFixture;
import io.flexconnect.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code apikey create|list|revoke} against a running platform, and the first start's key. */
class ApiKeyCliTest {
  static PlatformFixture fx;
  static Map<String, String> cliEnv;

  @BeforeAll
  static void start() throws Exception {
    fx = PlatformFixture.start("apikey_cli", Map.of());
    cliEnv = Map.of("FLEXCONNECT_DB_URL", fx.dbUrl,
        "FLEXCONNECT_PKI_DIR", PlatformFixture.tempDir("flexconnect-pki-apikey").toString());
    fx.addDevice("cli-acme-0001", "acme", "tok_cli-acme-0001-9e107d9d");
  }

  @AfterAll
  static void stop() throws Exception {
    fx.close();
  }

  record Run(int code, String out, String err) {}

  static Run cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(List.of(args), cliEnv, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static String field(String printed, String name) {
    return printed.lines().filter(l -> l.startsWith(name + ":")).map(l -> l.substring(name.length() + 1).trim())
        .findFirst().orElseThrow(() -> new AssertionError("no " + name + " in:\n" + printed));
  }

  @Test
  void verifiesThatACreatedKeyIsPrintedOnceAndReadsOnlyItsTenantsDevices() {
    Run created = cli("apikey", "create", "--tenant", "acme", "--name", "dashboard");

    assertThat(created.code()).as(created.err()).isZero();
    String key = field(created.out(), "key");
    assertThat(key).startsWith("fxk_");
    assertThat(field(created.out(), "tenant_id")).isEqualTo("acme");
    Http http = fx.http.withKey(key);
    assertThat(http.get("/api/v1/devices").json().getJsonArray("devices").stream()
        .map(d -> ((JsonObject) d).getString("device_id"))).containsExactly("cli-acme-0001");

    Run listed = cli("apikey", "list", "--tenant", "acme");
    assertThat(listed.code()).isZero();
    assertThat(listed.out()).contains(field(created.out(), "id"), "acme", "dashboard").doesNotContain(key)
        .doesNotContain(key.substring(17));
  }

  @Test
  void verifiesThatARevokedKeyIsRefusedFromTheNextRequestOn() {
    Run created = cli("apikey", "create", "--tenant", "acme");
    String key = field(created.out(), "key");
    String id = field(created.out(), "id");
    assertThat(fx.http.withKey(key).get("/api/v1/devices").status()).isEqualTo(200);

    Run revoked = cli("apikey", "revoke", id);

    assertThat(revoked.code()).as(revoked.err()).isZero();
    assertThat(revoked.out()).contains("revoked API key " + id);
    assertThat(fx.http.withKey(key).get("/api/v1/devices").status()).isEqualTo(401);
    assertThat(cli("apikey", "list").out().lines().filter(l -> l.startsWith(id)).findFirst().orElseThrow())
        .doesNotEndWith("\t-");
  }

  @Test
  void verifiesThatMistakesAreRefusedWithAUsageOrAClearMessage() {
    assertThat(cli("apikey", "create").code()).isEqualTo(2);
    assertThat(cli("apikey", "revoke").code()).isEqualTo(2);
    assertThat(cli("apikey", "frobnicate").code()).isEqualTo(2);
    Run unknown = cli("apikey", "revoke", "0123456789ab");
    assertThat(unknown.code()).isEqualTo(1);
    assertThat(unknown.err()).contains("no API key '0123456789ab'");
  }

  @Test
  void verifiesThatTheFirstZeroConfigStartCreatesAnOperatorKeyForTenantDefaultOnceAndNeverReplacesARevokedOne() {
    FlexconnectConfig config = new ConfigLoader().load(null, Map.of(
        "FLEXCONNECT_DB_URL", TestDatabase.newDatabase("apikey_first_start"),
        "FLEXCONNECT_MQTT_URL", "mqtt://127.0.0.1:1883"));
    Await.result(Platform.migrate(fx.vertx, config.db()));

    PlatformRunner.DefaultApiKey first = Await.result(PlatformRunner.defaultApiKey(fx.vertx, config.db(), true));
    PlatformRunner.DefaultApiKey second = Await.result(PlatformRunner.defaultApiKey(fx.vertx, config.db(), true));

    assertThat(first.key()).startsWith("fxk_");
    assertThat(first.toString()).doesNotContain(first.key());
    String firstBanner = Banner.text(config, 8080, true, true, "mqtts://localhost:8883", first);
    assertThat(firstBanner).contains(first.key(), "shown only now");
    assertThat(second.key()).isNull();
    assertThat(second.active()).isEqualTo(1);
    String laterBanner = Banner.text(config, 8080, true, true, "mqtts://localhost:8883", second);
    assertThat(laterBanner).contains("an API key for tenant default exists; create another with")
        .doesNotContain(first.key()).contains("Bearer $KEY");

    Map<String, String> env = Map.of("FLEXCONNECT_DB_URL", config.db().url(),
        "FLEXCONNECT_PKI_DIR", PlatformFixture.tempDir("flexconnect-pki-first").toString());
    assertThat(Main.run(List.of("apikey", "revoke", first.id()), env, System.out, System.err)).isZero();
    PlatformRunner.DefaultApiKey afterRevoke = Await.result(PlatformRunner.defaultApiKey(fx.vertx, config.db(), true));
    assertThat(afterRevoke.key()).as("a revoked first key is not replaced").isNull();
    assertThat(afterRevoke.active()).isZero();
    assertThat(Banner.text(config, 8080, true, true, "x", afterRevoke)).contains("none active for tenant default");
  }

  @Test
  void verifiesThatAStartOnAnExternalDatabaseCreatesNoKey() {
    FlexconnectConfig config = new ConfigLoader().load(null, Map.of(
        "FLEXCONNECT_DB_URL", TestDatabase.newDatabase("apikey_external"),
        "FLEXCONNECT_MQTT_URL", "mqtt://127.0.0.1:1883"));
    Await.result(Platform.migrate(fx.vertx, config.db()));

    PlatformRunner.DefaultApiKey key = Await.result(PlatformRunner.defaultApiKey(fx.vertx, config.db(), false));

    assertThat(key.key()).isNull();
    assertThat(key.active()).isZero();
  }
}
