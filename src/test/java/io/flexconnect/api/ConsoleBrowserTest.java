package io.flexconnect.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexconnect.testing.PlatformFixture;
import io.flexconnect.testing.TestPublisher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The console in a real browser (Debian's headless Chromium): a point published during the test
 * reaches the page through the WebSocket stream and shows in its live table and chart; a
 * screenshot is kept under target/.
 */
class ConsoleBrowserTest {
  static final List<String> BROWSERS = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser");
  static PlatformFixture fx;

  @BeforeAll
  static void start() throws Exception {
    fx = PlatformFixture.start("console_browser", Map.of());
    fx.addDevice("console-0001", "tok_console-0001-c0c0");
  }

  @AfterAll
  static void stop() throws Exception {
    fx.close();
  }

  static String chromium() {
    return BROWSERS.stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst()
        .orElseThrow(() -> new IllegalStateException("headless Chromium is needed: apt-get install chromium"));
  }

  /** playwright-core from npm, installed once under target/ (it drives Debian's Chromium; no browser download). */
  static Path playwright() throws IOException, InterruptedException {
    Path dir = Path.of("target", "browser-test").toAbsolutePath();
    if (!Files.isDirectory(dir.resolve("node_modules/playwright-core"))) {
      Files.createDirectories(dir);
      Process npm = new ProcessBuilder("npm", "install", "--silent", "--no-audit", "--no-fund", "playwright-core@1.65.1")
          .directory(dir.toFile()).redirectErrorStream(true).start();
      String log = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(npm.waitFor(180, TimeUnit.SECONDS)).as("npm install").isTrue();
      assertThat(npm.exitValue()).as(log).isZero();
    }
    Path script = dir.resolve("console-check.mjs");
    try (var in = ConsoleBrowserTest.class.getResourceAsStream("/browser/console-check.mjs")) {
      Files.write(script, in.readAllBytes());
    }
    return script;
  }

  @Test
  void verifiesThatAPointPublishedDuringTheTestAppearsOnTheConsole() throws Exception {
    long now = System.currentTimeMillis();
    try (TestPublisher device = fx.publisher("console-device")) {
      device.publish("flexconnect/console-0001/json", ("{\"device_id\":\"console-0001\",\"token\":\"tok_console-0001-c0c0\","
          + "\"points\":[{\"timestamp\":" + now + ",\"fields\":[{\"name\":\"boiler_temp\",\"value\":71.25}]}]}")
          .getBytes(StandardCharsets.UTF_8));
    }
    io.flexconnect.testing.Await.until("stored", java.time.Duration.ofSeconds(20), () -> fx.http.get(
        "/api/v1/devices/console-0001/signals").json().getJsonArray("signals").isEmpty() ? null : true);
    String url = "http://127.0.0.1:" + fx.platform.httpPort() + "/console/?key=" + fx.http.apiKey()
        + "&device=console-0001";
    Path shot = Path.of("target", "console-screenshot.png").toAbsolutePath();
    Files.deleteIfExists(shot);
    Path script = playwright();
    ProcessBuilder node = new ProcessBuilder("node", script.toString(), url, "71.25", shot.toString())
        .directory(script.getParent().toFile()).redirectErrorStream(true);
    node.environment().put("CHROMIUM", chromium());
    Process p = node.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("seen: 71.25");
    assertThat(shot).exists();
    assertThat(Files.size(shot)).isGreaterThan(10_000);
  }
}
