package io.flexconnect.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real Mosquitto broker (Debian package) on a free loopback port, configured as the platform's
 * shipped configuration is: a large in-flight window and no queue limit, so a backlog is never
 * silently dropped.
 */
public final class Mosquitto implements AutoCloseable {
  private static final List<String> BINARIES = List.of("/usr/sbin/mosquitto", "/usr/bin/mosquitto");

  private final Process process;
  private final int port;
  private final Path dir;

  private Mosquitto(Process process, int port, Path dir) {
    this.process = process;
    this.port = port;
    this.dir = dir;
  }

  public static Mosquitto start() throws IOException, InterruptedException {
    return start("");
  }

  /** Starts Mosquitto with the standard test settings plus {@code extraConfig} lines. */
  public static Mosquitto start(String extraConfig) throws IOException, InterruptedException {
    String binary = BINARIES.stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst()
        .orElseThrow(() -> new IllegalStateException("mosquitto is not installed (apt-get install mosquitto)"));
    int port = ListenPorts.free();
    Path dir = Files.createTempDirectory("flexconnect-mosquitto");
    Path conf = dir.resolve("mosquitto.conf");
    Files.writeString(conf, String.join("\n",
        "listener " + port + " 127.0.0.1",
        "allow_anonymous true",
        "persistence false",
        "max_inflight_messages 1000",
        "max_queued_messages 0",
        "max_queued_bytes 0",
        "log_type error",
        "log_type warning",
        "log_dest stdout",
        extraConfig, ""));
    Process process = new ProcessBuilder(binary, "-c", conf.toString())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("mosquitto.log").toFile())
        .start();
    Mosquitto broker = new Mosquitto(process, port, dir);
    broker.awaitListening(Duration.ofSeconds(10));
    return broker;
  }

  /**
   * Starts Mosquitto with a given configuration file (e.g. the shipped {@code docker/mosquitto/
   * mosquitto.conf}), its container paths rewritten by {@code replacements} (text to text), on
   * {@code port}, which the configuration's {@code listener} line must already name.
   */
  public static Mosquitto startWithConfigFile(Path configFile, Map<String, String> replacements, int port)
      throws IOException, InterruptedException {
    String binary = BINARIES.stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst()
        .orElseThrow(() -> new IllegalStateException("mosquitto is not installed (apt-get install mosquitto)"));
    Path dir = Files.createTempDirectory("flexconnect-mosquitto");
    String text = Files.readString(configFile);
    for (Map.Entry<String, String> r : replacements.entrySet()) {
      if (!text.contains(r.getKey())) {
        throw new IllegalArgumentException(configFile + " has no '" + r.getKey() + "' to replace");
      }
      text = text.replace(r.getKey(), r.getValue());
    }
    Path conf = dir.resolve("mosquitto.conf");
    Files.writeString(conf, text);
    Process process = new ProcessBuilder(binary, "-c", conf.toString())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("mosquitto.log").toFile())
        .start();
    Mosquitto broker = new Mosquitto(process, port, dir);
    broker.awaitListening(Duration.ofSeconds(10));
    return broker;
  }

  /** What Mosquitto logged so far (for assertion messages). */
  public String log() {
    try {
      return Files.readString(dir.resolve("mosquitto.log"));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  public int port() {
    return port;
  }

  public String url() {
    return "mqtt://127.0.0.1:" + port;
  }

  private void awaitListening(Duration timeout) throws InterruptedException, IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("mosquitto exited: " + Files.readString(dir.resolve("mosquitto.log")));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException e) {
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException("mosquitto did not listen on " + port);
  }


  /** Sends SIGHUP: Mosquitto reloads its configuration, and with it the CRL file. */
  public void reload() throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-HUP", String.valueOf(process.pid())).inheritIO().start().waitFor();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    process.waitFor();
  }
}
