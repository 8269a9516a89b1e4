package io.flexconnect.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexconnect.testing.Await;
import io.flexconnect.testing.Http;
import io.flexconnect.testing.TestVectors;
import io.flexconnect.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The run command's embedded-broker mode, driven as a new user drives it: the CLI registers the
 * device, Debian's {@code mosquitto_pub} publishes the guide's examples, and plain HTTP reads
 * them back.
 */
class ZeroConfigRunTest {
  static Vertx vertx;
  static PlatformRunner.Running running;
  static Map<String, String> env;

  @BeforeAll
  static void start() {
    env = Map.of(
        "FLEXCONNECT_DB_URL", TestDatabase.newDatabase("zero_config"),
        "FLEXCONNECT_BROKER_PORT", "0",
        "FLEXCONNECT_BROKER_TLS_PORT", "0",
        "FLEXCONNECT_BROKER_TLS_HOST", "127.0.0.1",
        "FLEXCONNECT_PKI_DIR", io.flexconnect.testing.PlatformFixture.tempDir("flexconnect-pki-zero").toString(),
        "FLEXCONNECT_HTTP_PORT", "0",
        "FLEXCONNECT_HTTP_HOST", "127.0.0.1",
        "FLEXCONNECT_MQTT_CLIENT_ID", "flexconnect-zero-config-test");
    FlexconnectConfig config = new ConfigLoader().load(null, env);
    assertThat(config.embeddedBroker()).isTrue();
    vertx = Vertx.vertx();
    running = Await.result(PlatformRunner.start(vertx, config));
  }

  @AfterAll
  static void stop() {
    Await.result(vertx.close());
  }

  @Test
  void verifiesThatTheCliAndMosquittoPubGetTheSeedExamplesStoredThroughTheEmbeddedBroker() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = Main.run(List.of("device", "add", "demo-0001", "--token", "tok_demo-0001-7f3a9c2e5b814d06a1e2c3d4e5f60718"),
        env, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
    assertThat(code).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("device_id: demo-0001");

    int port = running.broker().actualPort();
    Path messages = TestVectors.dir().resolve("messages");
    mosquittoPub(port, "flexconnect/demo-0001/json", messages.resolve("seed-json.json"));
    mosquittoPub(port, "flexconnect/mqtt_topic", messages.resolve("seed-json-compressed.json"));

    ByteArrayOutputStream created = new ByteArrayOutputStream();
    assertThat(Main.run(List.of("apikey", "create", "--tenant", "default"), env,
        new PrintStream(created, true, StandardCharsets.UTF_8), System.err)).isZero();
    String key = created.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("key:"))
        .map(l -> l.substring(4).trim()).findFirst().orElseThrow();
    Http http = new Http(running.platform().httpPort(), key);
    JsonArray signals = Await.until("the seed values", Duration.ofSeconds(20), () -> {
      JsonArray s = http.get("/api/v1/devices/demo-0001/latest").json().getJsonArray("signals");
      return s.size() == 2 ? s : null;
    });
    assertThat(signals.getJsonObject(0).getString("signal")).isEqualTo("humidity");
    assertThat(signals.getJsonObject(0).getDouble("value")).isEqualTo(45.0);
    assertThat(signals.getJsonObject(1).getString("signal")).isEqualTo("temperature");
    assertThat(signals.getJsonObject(1).getDouble("value")).isEqualTo(22.5);
    assertThat(http.get("/health").json().getString("status")).isEqualTo("UP");
  }

  @Test
  void verifiesThatAddingTheSameDeviceTwiceFailsWithAClearMessage() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> args = List.of("device", "add", "twice-0001", "--token", "tok_twice-0001-abcdef");
    assertThat(Main.run(args, env, System.out, System.err)).isZero();
    int code = Main.run(args, env, System.out, new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("device 'twice-0001' already exists");
  }

  @Test
  void verifiesThatAGeneratedTokenIsPrintedOnce() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(Main.run(List.of("device", "add", "fresh-0001"), env,
        new PrintStream(out, true, StandardCharsets.UTF_8), System.err)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).containsPattern("token: +tok_[A-Za-z0-9_-]{43}");
  }

  static void mosquittoPub(int port, String topic, Path file) throws Exception {
    Process p = new ProcessBuilder("mosquitto_pub", "-h", "127.0.0.1", "-p", String.valueOf(port), "-q", "1",
        "-t", topic, "-f", file.toString()).redirectErrorStream(true).start();
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
  }
}
