package io.flexconnect.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.flexconnect.testing.Await;
import io.flexconnect.testing.Browser;
import io.flexconnect.testing.PlatformFixture;
import io.flexconnect.testing.TestPublisher;
import io.flexconnect.testing.TestVectors;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The console in a real browser (Debian's headless Chromium, driven by playwright-core from npm):
 * the guide's 2021 examples plus a generated day of history around them are stored, an alert rule
 * fires on that history before the page opens, and the page is used as a person would — sign in,
 * pick the day, drag to zoom, switch to the last 5 minutes while points are published, provision,
 * rotate and revoke a device; the cluster panel stays hidden on this single instance. Screenshots
 * of each step are kept under target/console/. Skipped, saying why, where Chromium is not installed.
 */
class ConsoleBrowserTest {
  static final String DEVICE = "demo-0001";
  static final String TOKEN = "tok_demo-0001-7f3a9c2e5b814d06a1e2c3d4e5f60718";
  static final Instant HISTORY_FROM = Instant.parse("2021-06-01T08:00:00Z");
  static PlatformFixture fx;

  @BeforeAll
  static void start() throws Exception {
    fx = PlatformFixture.start("console_browser", Map.of());
    fx.addDevice(DEVICE, TOKEN);
  }

  @AfterAll
  static void stop() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  /** Eight hours of temperature and humidity every two minutes on 2021-06-01, as the guide's JSON format. */
  static byte[] history() {
    StringBuilder points = new StringBuilder();
    for (int i = 0; i < 240; i++) {
      long t = HISTORY_FROM.toEpochMilli() + i * 120_000L;
      double temperature = 21 + 4 * Math.sin(i / 20.0);
      double humidity = 50 + 8 * Math.cos(i / 30.0);
      points.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT,
          "{\"timestamp\":%d,\"fields\":[{\"name\":\"temperature\",\"value\":%.2f},{\"name\":\"humidity\",\"value\":%.2f}]}",
          t, temperature, humidity));
    }
    return ("{\"device_id\":\"" + DEVICE + "\",\"token\":\"" + TOKEN + "\",\"points\":[" + points + "]}")
        .getBytes(StandardCharsets.UTF_8);
  }

  static byte[] livePoint() {
    return ("{\"device_id\":\"" + DEVICE + "\",\"token\":\"" + TOKEN + "\",\"points\":[{\"timestamp\":"
        + System.currentTimeMillis() + ",\"fields\":[{\"name\":\"temperature\",\"value\":71.25}]}]}")
        .getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void verifiesThatTheConsoleShowsStoredHistoryZoomsAndAddsLivePointsAndPastAlerts() throws Exception {
    Optional<String> browser = Browser.chromium();
    assumeTrue(browser.isPresent(), "ConsoleBrowserTest skipped: headless Chromium is needed (apt-get install chromium)");
    assertThat(fx.http.send("PUT", "/api/v1/rules/alerts",
        "{\"latenessMs\":0,\"rules\":[{\"id\":\"hot-2021\",\"signal\":\"temperature\",\"when\":{\"op\":\">\",\"value\":24.5}}]}")
        .status()).isEqualTo(200);
    try (TestPublisher device = fx.publisher("console-history")) {
      device.publish("flexconnect/" + DEVICE + "/json", TestVectors.message("seed-json.json"));
      device.publish("flexconnect/" + DEVICE + "/can", TestVectors.message("seed-binary.bin"));
      device.publish("flexconnect/" + DEVICE + "/json", history());
      device.publish("flexconnect/" + DEVICE + "/json", new String(TestVectors.message("seed-json.json"),
          StandardCharsets.UTF_8).replace(TOKEN, "tok_wrong").getBytes(StandardCharsets.UTF_8));
    }
    Await.until("the 2021 alert", Duration.ofSeconds(20), () -> fx.http.get("/api/v1/alerts?device=" + DEVICE)
        .json().getJsonArray("alerts").isEmpty() ? null : true);

    Path shots = Path.of("target", "console").toAbsolutePath();
    Files.createDirectories(shots);
    Path script = Browser.script("console-scenario.mjs");
    // A device keeps publishing while the page is open: the live range must show its points.
    ScheduledExecutorService live = Executors.newSingleThreadScheduledExecutor();
    TestPublisher liveDevice = fx.publisher("console-live");
    live.scheduleWithFixedDelay(() -> liveDevice.publish("flexconnect/" + DEVICE + "/json", livePoint()),
        0, 1, TimeUnit.SECONDS);
    String out;
    try {
      out = Browser.run(script, browser.get(), "http://127.0.0.1:" + fx.platform.httpPort() + "/console/",
          fx.http.apiKey(), shots.toString());
    } finally {
      live.shutdownNow();
      live.awaitTermination(10, TimeUnit.SECONDS);
      liveDevice.close();
    }
    assertThat(out).contains("ok: no cluster panel on a single instance", "ok: history", "ok: zoomed", "ok: past alert", "ok: rejected message decoded",
        "ok: live point", "ok: credentials", "ok: no overflow", "ok: key only in memory");
    for (String name : List.of("console-history.png", "console-zoomed.png", "console-live.png")) {
      assertThat(Files.size(shots.resolve(name))).as(name).isGreaterThan(10_000);
    }
  }
}
