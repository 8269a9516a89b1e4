package io.flexconnect.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexconnect.testing.ListenPorts;
import io.flexconnect.testing.Mosquitto;
import io.flexconnect.testing.PlatformProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's "A 5-minute tour", run as written: every shell block of the tour, in order, in bash,
 * against the zero-config JAR started as its own process ({@code java -jar target/flexconnect.jar},
 * embedded broker and embedded PostgreSQL). The only changes to the commands are mechanical and
 * listed in {@link #rewrite}: the test's free ports for the documented default ports, the key the
 * start banner printed, a time limit for the live watcher (which runs until interrupted), and no Docker engine (the Grafana container line is left out; the
 * dashboards' queries are tested in {@code io.flexconnect.grafana}).
 */
class ReadmeTourIT {
  static final Pattern SHELL_BLOCK = Pattern.compile("```sh\\n(.*?)```", Pattern.DOTALL);

  @TempDir
  static Path work;
  static PlatformProcess platform;
  static Map<String, String> env = new LinkedHashMap<>();
  static int mqttPort;
  static int httpPort;
  static int pgPort;
  static String apiKey;

  @BeforeAll
  static void start() throws Exception {
    Path repo = Path.of("").toAbsolutePath();
    for (String entry : List.of("examples", "dbc", "conf", "grafana")) {
      Files.createSymbolicLink(work.resolve(entry), repo.resolve(entry));
    }
    Files.createDirectories(work.resolve("target"));
    Files.createSymbolicLink(work.resolve("target/flexconnect.jar"), PlatformProcess.jar());
    mqttPort = ListenPorts.free();
    httpPort = ListenPorts.free();
    pgPort = ListenPorts.free();
    env.put("FLEXCONNECT_BROKER_PORT", Integer.toString(mqttPort));
    env.put("FLEXCONNECT_BROKER_TLS_PORT", Integer.toString(ListenPorts.free()));
    env.put("FLEXCONNECT_HTTP_PORT", Integer.toString(httpPort));
    env.put("FLEXCONNECT_DB_EMBEDDED_PORT", Integer.toString(pgPort));
    platform = PlatformProcess.start(work, env);
    platform.awaitLine(line -> line.startsWith("Flexconnect is running."), Duration.ofSeconds(120));
    String keyLine = platform.awaitLine(line -> line.contains("API key") && line.contains("fxk_"), Duration.ofSeconds(5));
    Matcher key = Pattern.compile("(fxk_\\S+)").matcher(keyLine);
    assertThat(key.find()).isTrue();
    apiKey = key.group(1);
  }

  @AfterAll
  static void stop() throws Exception {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void verifiesThatEveryShellBlockOfTheTourRunsAsWrittenAndShowsWhatReadmeSays() throws Exception {
    List<String> blocks = tourBlocks();
    assertThat(blocks).hasSizeGreaterThanOrEqualTo(8);
    StringBuilder transcript = new StringBuilder();
    for (String block : blocks) {
      String script = rewrite(block);
      Result result = bash(script);
      transcript.append("$ ").append(script).append('\n').append(result.output).append('\n');
      assertThat(result.exitCode).as("exit code of\n%s\noutput:\n%s\nplatform:\n%s", script, result.output,
          platform.output()).isZero();
    }
    String out = transcript.toString();
    // 3. Query: the seed point's two signals (README shows the response).
    assertThat(out).contains("\"device_id\":\"demo-0001\"").contains("\"signal\":\"humidity\"")
        .contains("\"signal\":\"temperature\"").contains("\"value\":22.5");
    // 3b. The watcher, run with the virtual environment's Python, replays the seed point.
    assertThat(out).contains("demo-0001 temperature = 22.5 [replay]");
    // 4. Binary CAN decoded with dbc/demo.dbc.
    assertThat(out).contains("EngineData.EngineSpeed").contains("1026").contains("ChassisData.SteeringAngle");
    // 5. The offline decoder's line, as README shows it.
    assertThat(out).contains("{\"t\":1622547800000,\"bus\":1,\"id\":291,\"message\":\"EngineData\","
        + "\"signals\":{\"EngineSpeed\":1026,\"CoolantTemp\":-37,\"ThrottlePosition\":1.6,\"VehicleSpeed\":15.41,"
        + "\"EngineState\":3,\"AliveCounter\":8},\"labels\":{\"EngineState\":\"Running\"}}");
    // 6. Re-decoding through REST and the CLI.
    assertThat(out).contains("rows_written");
    // 7. The refused message with its reason.
    assertThat(out).contains("wrong_token");
  }

  /** The shell blocks between "## A 5-minute tour" and the next section. */
  static List<String> tourBlocks() throws IOException {
    String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
    int start = readme.indexOf("## A 5-minute tour");
    int end = readme.indexOf("\n## ", start + 1);
    assertThat(start).as("README has the tour").isNotNegative();
    Matcher m = SHELL_BLOCK.matcher(readme.substring(start, end));
    List<String> blocks = new ArrayList<>();
    while (m.find()) {
      blocks.add(m.group(1));
    }
    return blocks;
  }

  /** The only changes made to README's commands. */
  static String rewrite(String block) {
    String joined = block.replace("\\\n", " ");
    List<String> lines = new ArrayList<>();
    for (String line : joined.split("\n")) {
      if (line.startsWith("docker run")) {
        continue; // no Docker engine on the test machine
      }
      if (line.contains("examples/watch_live.py")) {
        // Runs until interrupted: 20 s are enough for its replay (WatchLiveResumeIT tests the rest).
        line = "timeout 20 " + line + " --port " + httpPort + " || [ $? -eq 124 ]";
      }
      if (line.startsWith("KEY=")) {
        line = "KEY=" + apiKey;
      }
      lines.add(line.replace("-p 1883", "-p " + mqttPort)
          .replace("localhost:8080", "localhost:" + httpPort)
          .replace("-p 15432", "-p " + pgPort));
    }
    return String.join("\n", lines);
  }

  record Result(int exitCode, String output) {}

  static Result bash(String script) throws Exception {
    String withKey = "KEY=" + apiKey + "\nset -euo pipefail\n" + script + "\necho\n";
    ProcessBuilder builder = new ProcessBuilder("bash", "-c", withKey).directory(work.toFile()).redirectErrorStream(true);
    builder.environment().putAll(env);
    // The tour's pip install: an index this machine cannot reach fails at once instead of after
    // pip's retries (a minute and more); configured local mirrors still serve.
    builder.environment().put("PIP_RETRIES", "0");
    Process p = builder.start();
    byte[] output = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), new String(output, StandardCharsets.UTF_8));
  }
}
