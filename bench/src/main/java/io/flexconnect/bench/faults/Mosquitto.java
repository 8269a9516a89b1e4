package io.flexconnect.bench.faults;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

/**
 * A real Mosquitto with the shipped no-loss settings ({@code docker/mosquitto/mosquitto.conf}: in-flight
 * window 1000, no queue limit, persistence) on a plain loopback listener instead of mutual TLS.
 * Restarts keep its persistence file, so the platform's persistent session and its queue survive.
 * Also the broker of the ingestion benchmark ({@code io.flexconnect.bench.e2e}).
 */
public final class Mosquitto implements AutoCloseable {
  private final Path dir;
  private final int port;
  private Process process;
  private int starts;

  public Mosquitto(Path dir, int port) throws IOException {
    this.dir = dir;
    this.port = port;
    Files.createDirectories(dir.resolve("data"));
    // Mosquitto started as root drops to its own user: it must be able to write its persistence file.
    Files.setPosixFilePermissions(dir.resolve("data"), PosixFilePermissions.fromString("rwxrwxrwx"));
    Files.writeString(dir.resolve("mosquitto.conf"), """
        listener %d 127.0.0.1
        allow_anonymous true
        max_inflight_messages 1000
        max_queued_messages 0
        max_queued_bytes 0
        persistence true
        persistence_location %s/
        autosave_interval 60
        log_dest stdout
        log_type error
        log_type warning
        log_type notice
        """.formatted(port, dir.resolve("data")));
  }

  public static String binary() {
    return Files.isExecutable(Path.of("/usr/sbin/mosquitto")) ? "/usr/sbin/mosquitto" : "mosquitto";
  }

  public int port() {
    return port;
  }

  public void start() throws IOException, InterruptedException {
    starts++;
    process = new ProcessBuilder(binary(), "-c", dir.resolve("mosquitto.conf").toString()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("mosquitto.log").toFile())).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!listening(port)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("mosquitto did not start; see " + dir.resolve("mosquitto.log"));
      }
      Thread.sleep(20);
    }
  }

  /** SIGTERM: Mosquitto writes its persistence file and exits. */
  public void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }

  static boolean listening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
