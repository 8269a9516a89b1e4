package io.flexconnect.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexconnect.testing.ListenPorts;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Zero-config mode as a user runs it: {@code java -jar target/flexconnect.jar} in its own process,
 * its embedded broker and embedded PostgreSQL on a data directory that survives kill -9.
 * Devices publish at QoS 1, keep every message until its PUBACK and resend the unacknowledged ones
 * after reconnecting (what MQTT 3.1.1 asks of a client); the platform is killed twice mid-stream:
 * once the JVM alone (its PostgreSQL lives on as an orphan), once the JVM with its PostgreSQL.
 */
class ZeroConfigKillIT {
  private static final String DEVICE = "kill-0001";
  private static final String TOKEN = "tok_kill-0001-5c1d0e9a7b3f4e21";
  private static final long BASE_TS = 1_700_000_000_000L;
  private static final int PUBLISHERS = 4;
  private static final int PER_PUBLISHER = 1000;
  /** Unacknowledged publishes a device keeps on the wire, well below vertx-mqtt's inflight limit. */
  private static final int WINDOW = 40;

  @TempDir Path dir;
  private final Map<String, String> env = new HashMap<>();
  private Process platform;
  private int generation;
  private Vertx vertx;

  @BeforeEach
  void ports() throws IOException {
    env.put("FLEXCONNECT_DB_EMBEDDED_DATA_DIR", dir.resolve("data/postgres").toString());
    env.put("FLEXCONNECT_DB_EMBEDDED_PORT", String.valueOf(ListenPorts.free()));
    env.put("FLEXCONNECT_PKI_DIR", dir.resolve("data/pki").toString());
    env.put("FLEXCONNECT_BROKER_PORT", String.valueOf(ListenPorts.free()));
    env.put("FLEXCONNECT_BROKER_TLS_ENABLED", "false");
    env.put("FLEXCONNECT_HTTP_HOST", "127.0.0.1");
    env.put("FLEXCONNECT_HTTP_PORT", String.valueOf(ListenPorts.free()));
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stopEverything() throws Exception {
    if (platform != null && platform.isAlive()) {
      platform.destroy(); // SIGTERM: the shutdown hook stops PostgreSQL too
      if (!platform.waitFor(30, TimeUnit.SECONDS)) {
        platform.destroyForcibly();
      }
    }
    postmaster().ifPresent(pg -> {
      pg.destroy();
      pg.onExit().orTimeout(20, TimeUnit.SECONDS).exceptionally(e -> null).join();
    });
    vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  @Test
  void verifiesThatNoAcknowledgedMessageIsLostWhenThePlatformIsKilledMidStream() throws Exception {
    long started = System.nanoTime();
    startPlatform();
    runCli("device", "add", DEVICE, "--token", TOKEN);

    List<Device> devices = new ArrayList<>();
    for (int i = 0; i < PUBLISHERS; i++) {
      devices.add(new Device(vertx, "kill-pub-" + i, "p" + i, port("FLEXCONNECT_BROKER_PORT")));
    }
    devices.forEach(Device::start);
    int total = PUBLISHERS * PER_PUBLISHER;

    waitFor("a third of the messages acknowledged", Duration.ofSeconds(60), () -> acked(devices) >= total / 3);
    int ackedAtFirstKill = acked(devices);
    platform.destroyForcibly().waitFor();
    log("killed the platform JVM (kill -9) at " + ackedAtFirstKill + " PUBACKs; PostgreSQL orphaned: "
        + postmaster().isPresent());
    Thread.sleep(3000);
    startPlatform();

    waitFor("two thirds acknowledged", Duration.ofSeconds(60), () -> acked(devices) >= 2 * total / 3);
    int ackedAtSecondKill = acked(devices);
    ProcessHandle pg = postmaster().orElseThrow(() -> new AssertionError("no PostgreSQL runs on the data dir"));
    List<ProcessHandle> pgTree = new ArrayList<>(pg.descendants().toList());
    pgTree.add(pg);
    platform.destroyForcibly();
    pgTree.forEach(ProcessHandle::destroyForcibly);
    platform.waitFor();
    log("killed the platform JVM and its PostgreSQL (kill -9) at " + ackedAtSecondKill + " PUBACKs");
    Thread.sleep(3000);
    startPlatform();

    waitFor("every message acknowledged", Duration.ofSeconds(90), () -> acked(devices) == total);
    devices.forEach(Device::stop);

    Set<String> stored = storedKeys();
    List<String> lost = new ArrayList<>();
    for (Device device : devices) {
      for (int seq : device.acked.keySet()) {
        if (!stored.contains(device.signal + "/" + (BASE_TS + seq))) {
          lost.add(device.signal + "#" + seq);
        }
      }
    }
    log("published " + total + ", PUBACKed " + acked(devices) + ", rows " + stored.size() + ", lost "
        + lost.size() + " in " + (System.nanoTime() - started) / 1_000_000 + " ms");
    assertThat(lost).as("PUBACKed messages missing from the database").isEmpty();
    assertThat(stored).as("rows (device, signal, ts): one per message, no duplicates").hasSize(total);
  }

  // ---- the platform process ----

  private void startPlatform() throws Exception {
    generation++;
    Path logFile = dir.resolve("platform-" + generation + ".log");
    platform = java(List.of("run")).redirectOutput(logFile.toFile()).start();
    int http = port("FLEXCONNECT_HTTP_PORT");
    waitFor("the platform to answer /health (log " + logFile + ")", Duration.ofSeconds(60), () -> {
      if (!platform.isAlive()) {
        throw new AssertionError("the platform exited with " + platform.exitValue() + ":\n" + read(logFile));
      }
      return healthy(http);
    });
  }

  private void runCli(String... args) throws Exception {
    Process cli = java(List.of(args)).redirectErrorStream(true).start();
    String output = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(cli.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(cli.exitValue()).as(output).isZero();
  }

  private ProcessBuilder java(List<String> args) {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
        "-jar", Path.of("target", "flexconnect.jar").toAbsolutePath().toString()));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    builder.environment().putAll(env);
    return builder;
  }

  /** The PostgreSQL server of the data directory, if one runs (its pid is line 1 of postmaster.pid). */
  private Optional<ProcessHandle> postmaster() {
    Path pidFile = Path.of(env.get("FLEXCONNECT_DB_EMBEDDED_DATA_DIR"), "postmaster.pid");
    try {
      long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    } catch (IOException | RuntimeException noServer) {
      return Optional.empty();
    }
  }

  private Set<String> storedKeys() throws SQLException {
    String url = "jdbc:postgresql://127.0.0.1:" + port("FLEXCONNECT_DB_EMBEDDED_PORT") + "/postgres";
    Set<String> keys = new HashSet<>();
    try (Connection conn = DriverManager.getConnection(url, "postgres", "");
        ResultSet rs = conn.createStatement().executeQuery(
            "SELECT signal, (extract(epoch FROM ts) * 1000)::bigint FROM telemetry WHERE device_id = '" + DEVICE + "'")) {
      while (rs.next()) {
        assertThat(keys.add(rs.getString(1) + "/" + rs.getLong(2))).as("duplicate row").isTrue();
      }
    }
    return keys;
  }

  private int port(String name) {
    return Integer.parseInt(env.get(name));
  }

  private static boolean healthy(int port) {
    try {
      HttpURLConnection conn = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/health").toURL()
          .openConnection();
      conn.setConnectTimeout(500);
      conn.setReadTimeout(2000);
      return conn.getResponseCode() == 200;
    } catch (IOException notYet) {
      return false;
    }
  }


  private static int acked(List<Device> devices) {
    return devices.stream().mapToInt(d -> d.acked.size()).sum();
  }

  private static void waitFor(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static void log(String line) {
    System.out.println("[ZeroConfigKillIT] " + line);
  }

  /**
   * A device: persistent session, a window of unacknowledged QoS 1 publishes, every PUBACK
   * recorded, and after a reconnect the unacknowledged ones published again (new packet ids; the
   * rows' natural key makes the repeats idempotent). All state lives on one event-loop context.
   */
  static final class Device {
    final String clientId;
    final String signal;
    final Map<Integer, Boolean> acked = new ConcurrentHashMap<>();
    private final Vertx vertx;
    private final Context context;
    private final int port;
    private final Set<Integer> outstanding = new LinkedHashSet<>();
    private final Map<Integer, Integer> seqByPacketId = new HashMap<>();
    private MqttClient client;
    private boolean connected;
    private boolean stopped;
    private int next;

    Device(Vertx vertx, String clientId, String signal, int port) {
      this.vertx = vertx;
      this.clientId = clientId;
      this.signal = signal;
      this.port = port;
      this.context = vertx.getOrCreateContext();
    }

    void start() {
      context.runOnContext(v -> connect());
    }

    void stop() {
      context.runOnContext(v -> {
        stopped = true;
        if (connected) {
          client.disconnect();
        }
      });
    }

    private void connect() {
      if (stopped) {
        return;
      }
      MqttClientOptions options = new MqttClientOptions()
          .setClientId(clientId)
          .setCleanSession(false)
          .setAutoKeepAlive(true)
          .setKeepAliveInterval(5)
          .setMaxInflightQueue(1000);
      MqttClient attempt = MqttClient.create(vertx, options);
      attempt.publishCompletionHandler(this::onPuback);
      attempt.closeHandler(v -> onClosed(attempt));
      attempt.exceptionHandler(e -> { });
      attempt.connect(port, "127.0.0.1").onComplete(ar -> {
        if (ar.failed() || ar.result().code() != io.netty.handler.codec.mqtt.MqttConnectReturnCode.CONNECTION_ACCEPTED) {
          vertx.setTimer(300, t -> connect());
          return;
        }
        client = attempt;
        connected = true;
        for (int seq : List.copyOf(outstanding)) {
          send(seq);
        }
        fill();
      });
    }

    private void onClosed(MqttClient closed) {
      if (closed != client || !connected) {
        return;
      }
      connected = false;
      seqByPacketId.clear();
      vertx.setTimer(300, t -> connect());
    }

    private void fill() {
      while (connected && outstanding.size() < WINDOW && next < PER_PUBLISHER) {
        int seq = next++;
        outstanding.add(seq);
        send(seq);
      }
    }

    private void send(int seq) {
      String json = "{\"device_id\":\"" + DEVICE + "\",\"token\":\"" + TOKEN + "\",\"points\":[{\"timestamp\":"
          + (BASE_TS + seq) + ",\"fields\":[{\"name\":\"" + signal + "\",\"value\":" + seq + "}]}]}";
      client.publish("flexconnect/" + DEVICE + "/json", Buffer.buffer(json), MqttQoS.AT_LEAST_ONCE, false, false)
          .onSuccess(packetId -> seqByPacketId.put(packetId, seq));
      // A failed write leaves the message outstanding: it goes again after the reconnect.
    }

    private void onPuback(int packetId) {
      Integer seq = seqByPacketId.remove(packetId);
      if (seq != null && outstanding.remove(seq)) {
        acked.put(seq, Boolean.TRUE);
        fill();
      }
    }
  }
}
