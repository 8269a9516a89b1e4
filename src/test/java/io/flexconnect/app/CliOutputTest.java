package io.flexconnect.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexconnect.testing.PlatformFixture;
import io.flexconnect.testing.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The CLI as a Unix tool: stdout holds only a command's result (logs go to stderr, and only
 * warnings unless {@code --verbose}), so scripts can read it. Read-only commands are timed.
 */
class CliOutputTest {
  static Map<String, String> env;

  @BeforeAll
  static void database() {
    env = Map.of("FLEXCONNECT_DB_URL", TestDatabase.newDatabase("cli_output"),
        "FLEXCONNECT_PKI_DIR", PlatformFixture.tempDir("flexconnect-pki-cli-output").toString());
    assertThat(cli("device", "add", "cli-out-0001", "--token", "tok_cli-out-0001-5d41402a").code()).isZero();
    assertThat(cli("device", "add", "cli-out-0002", "--tenant", "acme", "--token", "tok_cli-out-0002-5d41402a")
        .code()).isZero();
  }

  /** What a command printed: its own out/err, and what reached the process's System.out/err (the log). */
  record Run(int code, String out, String err, String systemOut, String systemErr, long millis) {}

  static Run cli(String... args) {
    return cli(env, args);
  }

  /** Runs the CLI with {@code overrides} on top of the test's environment. */
  static synchronized Run cli(Map<String, String> overrides, String... args) {
    Map<String, String> runEnv = new java.util.HashMap<>(env);
    runEnv.putAll(overrides);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ByteArrayOutputStream systemOut = new ByteArrayOutputStream();
    ByteArrayOutputStream systemErr = new ByteArrayOutputStream();
    PrintStream originalOut = System.out;
    PrintStream originalErr = System.err;
    System.setOut(new PrintStream(systemOut, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(systemErr, true, StandardCharsets.UTF_8));
    long start = System.nanoTime();
    int code;
    try {
      code = Main.run(new ArrayList<>(List.of(args)), runEnv, new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8));
    } finally {
      System.setOut(originalOut);
      System.setErr(originalErr);
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
        systemOut.toString(StandardCharsets.UTF_8), systemErr.toString(StandardCharsets.UTF_8), millis);
  }

  static Run timed(String... args) {
    Run run = cli(args);
    System.out.println("wall time of '" + String.join(" ", args) + "': " + run.millis() + " ms");
    return run;
  }

  @Test
  void verifiesThatDeviceListPrintsOnlyTheDevicesAndNoLogLine() {
    Run listed = timed("device", "list");

    assertThat(listed.code()).as(listed.err()).isZero();
    assertThat(listed.out()).isEqualTo("cli-out-0001\tdefault\ncli-out-0002\tacme\n");
    assertThat(listed.systemOut()).as("log lines on stdout").isEmpty();
    assertThat(listed.systemErr()).as("quiet by default").doesNotContain("INFO");
  }

  @Test
  void verifiesThatApiKeyListPrintsOnlyItsTableAndNoLogLine() {
    assertThat(cli("apikey", "create", "--tenant", "acme", "--name", "cli-out").code()).isZero();

    Run listed = timed("apikey", "list", "--tenant", "acme");

    assertThat(listed.code()).as(listed.err()).isZero();
    assertThat(listed.out().lines()).hasSize(2).first().isEqualTo("id\ttenant\tname\toperator\tcreated\trevoked");
    assertThat(listed.out()).contains("\tacme\tcli-out\tno\t");
    assertThat(listed.systemOut()).as("log lines on stdout").isEmpty();
  }

  @Test
  void verifiesThatVerboseLogsInfoOnStderrOnly() {
    Run added = cli("--verbose", "apikey", "create", "--tenant", "verbose-tenant"); // a change: migrates first

    assertThat(added.code()).as(added.err()).isZero();
    assertThat(added.out()).startsWith("id:        ");
    assertThat(added.systemOut()).isEmpty();
    assertThat(added.systemErr()).contains("INFO").contains("SchemaMigrator");
  }

  @Test
  void verifiesThatReadOnlyCommandsDoNotRunTheSchemaMigration() {
    Run listed = cli("--verbose", "device", "list");

    assertThat(listed.code()).as(listed.err()).isZero();
    assertThat(listed.systemErr()).as("the migration's log line").doesNotContain("SchemaMigrator");
  }

  @Test
  void verifiesThatAReadOnlyCommandOnANewDatabaseCreatesTheSchemaAndAnswersEmpty() {
    Map<String, String> fresh = Map.of("FLEXCONNECT_DB_URL", TestDatabase.newDatabase("cli_output_fresh"));

    Run devices = cli(fresh, "device", "list", "--json");
    Run keys = cli(fresh, "apikey", "list");

    assertThat(devices.code()).as(devices.err()).isZero();
    assertThat(devices.out()).isEqualTo("[]\n");
    assertThat(keys.code()).as(keys.err()).isZero();
    assertThat(keys.out()).isEqualTo("id\ttenant\tname\toperator\tcreated\trevoked\n");
  }

  @Test
  void verifiesThatPkiCrlPrintsOnlyWhatItWrote() throws Exception {
    java.nio.file.Path dir = PlatformFixture.tempDir("flexconnect-cli-crl");

    Run crl = timed("pki", "crl", "--out", dir.toString());

    assertThat(crl.code()).as(crl.err()).isZero();
    assertThat(crl.out()).isEqualTo("wrote " + dir.resolve("ca.crl") + " with 0 revoked certificates, valid 7 days\n");
    assertThat(crl.systemOut()).isEmpty();
    assertThat(java.nio.file.Files.size(dir.resolve("ca.crl"))).isPositive();
  }

  @Test
  void verifiesThatEnvAndHelpPrintOnlyTheirText() {
    Run env = timed("env");
    Run help = timed("help");

    assertThat(env.code()).isZero();
    assertThat(env.out().lines()).contains("FLEXCONNECT_DB_URL", "FLEXCONNECT_HTTP_PORT")
        .allMatch(line -> line.startsWith("FLEXCONNECT_"));
    assertThat(help.code()).isZero();
    assertThat(help.out()).isEqualTo(Main.USAGE);
    assertThat(env.systemOut() + help.systemOut() + env.err() + help.err()).isEmpty();
  }

  @Test
  void verifiesThatDeviceListJsonIsOneParsableArrayOfTheDevices() {
    Run listed = timed("device", "list", "--json");

    assertThat(listed.code()).as(listed.err()).isZero();
    JsonArray devices = new JsonArray(listed.out());
    assertThat(devices).containsExactly(
        new JsonObject().put("device_id", "cli-out-0001").put("tenant_id", "default"),
        new JsonObject().put("device_id", "cli-out-0002").put("tenant_id", "acme"));
    assertThat(listed.systemOut()).isEmpty();
  }

  @Test
  void verifiesThatApiKeyListJsonIsOneParsableArrayWithoutTheKeys() {
    Run created = cli("apikey", "create", "--tenant", "json-tenant", "--operator");
    String key = ApiKeyCliTest.field(created.out(), "key");
    String id = ApiKeyCliTest.field(created.out(), "id");

    Run listed = timed("apikey", "list", "--tenant", "json-tenant", "--json");

    assertThat(listed.code()).as(listed.err()).isZero();
    JsonArray keys = new JsonArray(listed.out());
    assertThat(keys).hasSize(1);
    JsonObject k = keys.getJsonObject(0);
    assertThat(k.getString("id")).isEqualTo(id);
    assertThat(k.getString("tenant_id")).isEqualTo("json-tenant");
    assertThat(k.getBoolean("operator")).isTrue();
    assertThat(k.getString("created_at")).isNotBlank();
    assertThat(k.containsKey("revoked_at")).isTrue();
    assertThat(k.getValue("revoked_at")).isNull();
    assertThat(listed.out()).doesNotContain(key);
  }

  @Test
  void verifiesThatExitCodesAreTheOnesTheReadmeDocuments() {
    assertThat(cli("device", "list").code()).isZero();
    assertThat(cli("device", "revoke", "no-such-device").code()).as("not found").isEqualTo(1);
    assertThat(cli("apikey", "revoke", "000000000000").code()).as("no such key").isEqualTo(1);
    assertThat(cli(Map.of("FLEXCONNECT_DB_URL", "postgresql://postgres@127.0.0.1:1/postgres"), "device", "list")
        .code()).as("database unreachable").isEqualTo(1);
    assertThat(cli("device").code()).as("missing argument").isEqualTo(2);
    assertThat(cli("apikey", "create").code()).as("missing option").isEqualTo(2);
    assertThat(cli("device", "frobnicate").code()).as("unknown subcommand").isEqualTo(2);
    assertThat(cli("frobnicate").code()).as("unknown command").isEqualTo(2);
    assertThat(cli("--config", "/no/such/flexconnect.json", "device", "list").code()).as("missing --config file")
        .isEqualTo(2);
    assertThat(cli(Map.of("FLEXCONNECT_HTTP_PORT", "eighty"), "device", "list").code()).as("invalid setting")
        .isEqualTo(2);
  }
}
