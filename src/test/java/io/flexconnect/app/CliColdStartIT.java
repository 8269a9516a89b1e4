package io.flexconnect.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexconnect.testing.PlatformFixture;
import io.flexconnect.testing.PlatformProcess;
import io.flexconnect.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each read-only command as a user runs it, {@code java -jar target/flexconnect.jar …} in a new
 * JVM: stdout is exactly the result and stderr is empty but for decode's summary (the process's own logging, not the
 * in-JVM setup {@link CliOutputTest} sees). Wall times are printed for the report, never asserted
 * ({@code bench/cli/cold-start.sh} measures them against a baseline).
 */
class CliColdStartIT {
  static Map<String, String> env;
  static Path work;

  @BeforeAll
  static void database() throws Exception {
    work = PlatformFixture.tempDir("flexconnect-cli-cold");
    env = Map.of("FLEXCONNECT_DB_URL", TestDatabase.newDatabase("cli_cold_start"),
        "FLEXCONNECT_PKI_DIR", work.resolve("pki").toString());
    assertThat(java("device", "add", "cold-0001", "--token", "tok_cold-0001-5d41402a").code()).isZero();
    assertThat(java("apikey", "create", "--tenant", "default", "--name", "cold").code()).isZero();
  }

  record Run(int code, String out, String err, long millis) {}

  static Run java(String... args) throws Exception {
    return javaWith(List.of(), args);
  }

  /** {@link #java} with options for the JVM itself (before {@code -jar}). */
  static Run javaWith(List<String> jvmOptions, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(PlatformProcess.javaBinary()));
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", PlatformProcess.jar().toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile())
        .redirectError(work.resolve("stderr").toFile());
    builder.environment().putAll(env);
    long start = System.nanoTime();
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    long millis = (System.nanoTime() - start) / 1_000_000;
    String err = java.nio.file.Files.readString(work.resolve("stderr"));
    System.out.println("wall time of 'java -jar flexconnect.jar " + String.join(" ", args) + "': " + millis + " ms");
    return new Run(process.exitValue(), out, err, millis);
  }

  @Test
  void verifiesThatDeviceListPrintsExactlyTheDevicesAndNothingOnStderr() throws Exception {
    Run run = java("device", "list");

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo("cold-0001\tdefault\n");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void verifiesThatDeviceListJsonPrintsExactlyTheArray() throws Exception {
    Run run = java("device", "list", "--json");

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo("[{\"device_id\":\"cold-0001\",\"tenant_id\":\"default\"}]\n");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void verifiesThatApiKeyListPrintsExactlyItsTable() throws Exception {
    Run run = java("apikey", "list");

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out().lines()).hasSize(2);
    assertThat(run.out()).startsWith("id\ttenant\tname\toperator\tcreated\trevoked\n").contains("\tdefault\tcold\tno\t");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void verifiesThatApiKeyListJsonPrintsExactlyTheArray() throws Exception {
    Run run = java("apikey", "list", "--json");

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(new io.vertx.core.json.JsonArray(run.out()).size()).isEqualTo(1);
    assertThat(run.out()).endsWith("]\n").doesNotContain("\n[");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void verifiesThatPkiCrlEnvHelpAndDecodePrintOnlyTheirResult() throws Exception {
    Run crl = java("pki", "crl", "--out", work.resolve("crl").toString());
    Run envNames = java("env");
    Run help = java("help");
    Run decode = java("decode", "--dbc", Path.of("dbc/demo.dbc").toAbsolutePath().toString(),
        "--frame", "123#0102030405060708", "--bus", "1");

    assertThat(crl.out()).isEqualTo("wrote " + work.resolve("crl/ca.crl") + " with 0 revoked certificates, valid 7 days\n");
    assertThat(envNames.out().lines()).allMatch(line -> line.startsWith("FLEXCONNECT_"));
    assertThat(help.out()).isEqualTo(Main.USAGE);
    assertThat(decode.out()).startsWith("{\"t\":").contains("\"message\":\"EngineData\"").endsWith("}\n")
        .hasLineCount(1);
    for (Run run : List.of(crl, envNames, help, decode)) {
      assertThat(run.code()).as(run.err()).isZero();
    }
    assertThat(crl.err() + envNames.err() + help.err()).isEmpty();
    assertThat(decode.err()).as("decode's summary, its only line on stderr").isEqualTo("decoded 1 frames, 0 unknown, 0 errors\n");
  }

  /**
   * Jackson's data binding (an {@code ObjectMapper}, about 400 classes) and logback's setup were
   * a third of a read-only command's time: the configuration is bound without it, JSON output is
   * streamed, and logging is set up only when something logs.
   */
  @Test
  void verifiesThatReadOnlyCommandsLoadNoDataBindingAndSetUpNoLogging() throws Exception {
    for (List<String> args : List.of(List.of("device", "list", "--json"), List.of("apikey", "list", "--json"),
        List.of("env"))) {
      Path classes = work.resolve("classes-binding.log");
      Run run = javaWith(List.of("-Xlog:class+load=info:file=" + classes), args.toArray(String[]::new));

      assertThat(run.code()).as(run.err()).isZero();
      assertThat(java.nio.file.Files.readAllLines(classes)).as(String.join(" ", args))
          .noneMatch(line -> line.contains(" com.fasterxml.jackson.databind.") || line.contains(" ch.qos.logback."));
    }
  }

  @Test
  void verifiesThatReadOnlyCommandsStartNoVertxAgainstAnExternalDatabase() throws Exception {
    for (List<String> args : List.of(List.of("device", "list"), List.of("apikey", "list", "--json"),
        List.of("pki", "crl", "--out", work.resolve("crl-classes").toString()))) {
      Path classes = work.resolve("classes.log");
      Run run = javaWith(List.of("-Xlog:class+load=info:file=" + classes), args.toArray(String[]::new));

      assertThat(run.code()).as(run.err()).isZero();
      assertThat(java.nio.file.Files.readAllLines(classes)).as(String.join(" ", args))
          .noneMatch(line -> line.contains(" io.vertx.core.impl.VertxImpl ") || line.contains(" io.netty.channel."));
    }
  }
}
