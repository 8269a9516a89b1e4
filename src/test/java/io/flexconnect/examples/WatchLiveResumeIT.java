package io.flexconnect.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexconnect.testing.Await;
import io.flexconnect.testing.ListenPorts;
import io.flexconnect.testing.Mosquitto;
import io.flexconnect.testing.PlatformFixture;
import io.flexconnect.testing.PlatformProcess;
import io.flexconnect.testing.TestDatabase;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code examples/watch_live.py} against the real platform (the JAR as its own process, Mosquitto,
 * PostgreSQL): the platform is stopped while the device goes on publishing, then started again; the
 * watcher reconnects by itself and resumes from the last point it printed, so every point is
 * printed exactly once and in order. Runs with the first Python that has {@code websockets}
 * ({@code .venv/bin/python} as README makes it, Debian's {@code /usr/bin/python3}, {@code python3}),
 * else one made in {@code target/examples-venv} from {@code examples/requirements.txt}; skipped
 * with the reason when none can be had.
 */
class WatchLiveResumeIT {
  static final String DEVICE = "watch-0001";
  static final String TOKEN = "tok_watch-0001-3c59dc048e885024";
  static final Pattern POINT_LINE = Pattern.compile("^(\\d+) " + DEVICE + " seq = (\\d+)\\.0( \\[replay])?$");

  static Path work;
  static Mosquitto broker;
  static Map<String, String> env = new LinkedHashMap<>();
  static PlatformProcess platform;
  static String apiKey;
  static String python;

  @BeforeAll
  static void start() throws Exception {
    python = pythonWithWebsockets().orElse(null);
    Assumptions.assumeTrue(python != null, "no Python with the websockets package: tried .venv/bin/python,"
        + " /usr/bin/python3, python3 and 'pip install -r examples/requirements.txt' into target/examples-venv");
    work = PlatformFixture.tempDir("flexconnect-watch-live");
    broker = Mosquitto.start();
    env.put("FLEXCONNECT_DB_URL", TestDatabase.newDatabase("watch_live"));
    env.put("FLEXCONNECT_MQTT_URL", broker.url());
    env.put("FLEXCONNECT_MQTT_CLIENT_ID", "flexconnect-watch-live");
    env.put("FLEXCONNECT_HTTP_HOST", "127.0.0.1");
    env.put("FLEXCONNECT_HTTP_PORT", Integer.toString(ListenPorts.free()));
    env.put("FLEXCONNECT_PKI_DIR", work.resolve("pki").toString());
    assertThat(cli("device", "add", DEVICE, "--token", TOKEN)).contains("device_id: " + DEVICE);
    Matcher key = Pattern.compile("key: +(fxk_\\S+)").matcher(cli("apikey", "create", "--tenant", "default"));
    assertThat(key.find()).isTrue();
    apiKey = key.group(1);
    platform = startPlatform();
  }

  @AfterAll
  static void stop() throws Exception {
    if (platform != null) {
      platform.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void verifiesThatTheWatcherResumesAfterThePlatformRestartsWithoutGapsOrDuplicates() throws Exception {
    long t0 = System.currentTimeMillis() - 3_600_000;
    publish(t0, 1, 5);
    Process watcher = new ProcessBuilder(python, Path.of("examples/watch_live.py").toAbsolutePath().toString(),
        "--key", apiKey, "--port", env.get("FLEXCONNECT_HTTP_PORT"), "--since", Long.toString(t0), DEVICE)
        .redirectError(work.resolve("watcher.err").toFile()).start();
    List<String> lines = new ArrayList<>();
    Thread reader = new Thread(() -> readLines(watcher, lines), "watch-live-output");
    reader.setDaemon(true);
    reader.start();
    try {
      awaitPoints(lines, 5, watcher); // replayed from storage

      platform.close(); // SIGTERM: the stream closes; the watcher retries with backoff
      publish(t0, 6, 10); // held by the broker for the platform's persistent session
      Await.until("the watcher noticed", Duration.ofSeconds(30), () -> watcherErr().contains("reconnecting") ? true : null);
      platform = startPlatform();
      awaitPoints(lines, 10, watcher);
      publish(t0, 11, 15);
      awaitPoints(lines, 15, watcher);
      Thread.sleep(1_000); // a duplicate would arrive now

      List<Integer> printed = new ArrayList<>();
      synchronized (lines) {
        for (String line : lines) {
          Matcher m = POINT_LINE.matcher(line);
          assertThat(m.matches()).as("a point line: %s", line).isTrue();
          assertThat(Long.parseLong(m.group(1))).isEqualTo(t0 + Long.parseLong(m.group(2)) * 1000);
          printed.add(Integer.parseInt(m.group(2)));
        }
      }
      assertThat(printed).as("each point once, in order").containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
      assertThat(watcherErr()).contains("reconnected; resuming " + DEVICE + " from "
          + (t0 + 5_000));
    } finally {
      watcher.destroy();
      watcher.waitFor(10, TimeUnit.SECONDS);
    }
  }

  static String watcherErr() {
    try {
      return Files.readString(work.resolve("watcher.err"));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static PlatformProcess startPlatform() {
    PlatformProcess started = PlatformProcess.start(work, env);
    started.awaitLine(line -> line.startsWith("Flexconnect is running."), Duration.ofSeconds(120));
    return started;
  }

  /** Messages {@code from}…{@code to}, one point each: signal {@code seq} = n at {@code t0 + n s}, QoS 1. */
  static void publish(long t0, int from, int to) throws Exception {
    for (int n = from; n <= to; n++) {
      String message = "{\"device_id\":\"" + DEVICE + "\",\"token\":\"" + TOKEN + "\",\"points\":[{\"timestamp\":"
          + (t0 + n * 1000L) + ",\"fields\":[{\"name\":\"seq\",\"value\":" + n + "}]}]}";
      Process pub = new ProcessBuilder("mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(broker.port()),
          "-q", "1", "-i", "watch-live-device", "-t", "flexconnect/" + DEVICE + "/json", "-m", message)
          .redirectErrorStream(true).start();
      String output = new String(pub.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(pub.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(pub.exitValue()).as(output).isZero();
    }
  }

  static void awaitPoints(List<String> lines, int count, Process watcher) throws Exception {
    Await.until(count + " points printed", Duration.ofSeconds(90), () -> {
      if (!watcher.isAlive()) {
        throw new IllegalStateException("watch_live.py exited with " + watcher.exitValue() + ": " + watcherErr());
      }
      synchronized (lines) {
        return lines.size() >= count ? true : null;
      }
    });
  }

  static void readLines(Process process, List<String> lines) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        synchronized (lines) {
          lines.add(line);
        }
      }
    } catch (IOException ignored) {
      // the watcher ended
    }
  }

  static String cli(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(PlatformProcess.javaBinary(), "-jar", PlatformProcess.jar().toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true);
    builder.environment().putAll(env);
    Process p = builder.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  /** The first interpreter that imports websockets, or one made from examples/requirements.txt. */
  static Optional<String> pythonWithWebsockets() throws Exception {
    for (String candidate : List.of(".venv/bin/python", "/usr/bin/python3", "python3")) {
      if (run(Duration.ofSeconds(30), candidate, "-c", "import websockets")) {
        return Optional.of(candidate.startsWith(".") ? Path.of(candidate).toAbsolutePath().toString() : candidate);
      }
    }
    Path venv = Path.of("target", "examples-venv").toAbsolutePath();
    String venvPython = venv.resolve("bin/python").toString();
    if (!Files.isExecutable(venv.resolve("bin/python"))
        && !run(Duration.ofSeconds(120), "python3", "-m", "venv", venv.toString())) {
      return Optional.empty();
    }
    if (run(Duration.ofSeconds(30), venvPython, "-c", "import websockets")
        || run(Duration.ofMinutes(5), venvPython, "-m", "pip", "install", "-q", "--retries", "0", "--timeout", "10",
            "-r", "examples/requirements.txt")) {
      return Optional.of(venvPython);
    }
    return Optional.empty();
  }

  static boolean run(Duration timeout, String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        return false;
      }
      return p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
