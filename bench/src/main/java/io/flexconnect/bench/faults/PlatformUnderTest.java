package io.flexconnect.bench.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The platform JAR as its own process, started and restarted as an operator would ({@code java -jar},
 * environment only), with a monitor that reads its peak resident memory ({@code VmHWM} in
 * {@code /proc/PID/status}) and its {@code /metrics} every 100 ms. Each start is one "life"; the
 * figures of the current life and the peaks over all lives are kept.
 */
final class PlatformUnderTest implements AutoCloseable {
  private final Path jar;
  private final Path workDir;
  private final Map<String, String> env;
  private final String heap;
  private final int httpPort;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1))
      .version(HttpClient.Version.HTTP_1_1).build();
  private final Thread monitor;
  private volatile Process process;
  private volatile boolean closed;
  private int lives;

  // figures of the current life, written by the monitor only
  private volatile double rowsWritten = -1;
  private volatile double inflight;
  private volatile boolean subscribed;
  // peaks over all lives
  private volatile long peakRssKb;
  private volatile double peakInflight;

  PlatformUnderTest(Path jar, Path workDir, Map<String, String> env, String heap, int httpPort) {
    this.jar = jar;
    this.workDir = workDir;
    this.env = env;
    this.heap = heap;
    this.httpPort = httpPort;
    this.monitor = new Thread(this::monitorLoop, "platform-monitor");
    monitor.setDaemon(true);
    monitor.start();
  }

  /** Starts a new life; returns at once. */
  synchronized void start() {
    lives++;
    rowsWritten = -1;
    subscribed = false;
    inflight = 0;
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx" + heap, "-jar", jar.toString()));
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
        .redirectOutput(workDir.resolve("platform-" + lives + ".log").toFile());
    builder.environment().putAll(env);
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until the platform's subscription is up (its persistent session exists on the broker). */
  void awaitSubscribed(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!subscribed) {
      Process p = process;
      if (!p.isAlive()) {
        throw new IllegalStateException("the platform exited with " + p.exitValue() + " (" + lastError() + "); see " + lastLog());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the platform did not subscribe within " + timeout + "; see " + lastLog());
      }
      Thread.sleep(100);
    }
  }

  Path lastLog() {
    return workDir.resolve("platform-" + lives + ".log");
  }

  /** The log's last ERROR line: the suite's table names why a start failed, also where the log is gone (CI). */
  private String lastError() {
    try (Stream<String> lines = Files.lines(lastLog())) {
      return lines.filter(line -> line.contains("ERROR")).reduce((first, second) -> second).orElse("no ERROR line");
    } catch (IOException | UncheckedIOException e) {
      return "log unreadable: " + e.getMessage();
    }
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    Process p = process;
    return p != null && p.isAlive();
  }

  /** SIGKILL, as {@code kill -9}. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  /** SIGKILL of the JVM and of {@code others} in one go (e.g. its embedded database). */
  void killTogetherWith(List<ProcessHandle> others) throws InterruptedException {
    process.destroyForcibly();
    others.forEach(ProcessHandle::destroyForcibly);
    process.waitFor();
  }

  /** SIGTERM; returns the seconds until the process exited (SIGKILL after {@code timeout}). */
  double terminate(Duration timeout) throws InterruptedException {
    long start = System.nanoTime();
    process.destroy();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor();
    }
    return (System.nanoTime() - start) / 1e9;
  }

  /** Rows committed in this life ({@code flexconnect_storage_rows_written_total}); -1 until /metrics answers. */
  double rowsWritten() {
    return rowsWritten;
  }

  double peakInflight() {
    return peakInflight;
  }

  double inflight() {
    return inflight;
  }

  long peakRssMb() {
    return peakRssKb / 1024;
  }

  /**
   * Waits until this life committed its first rows; returns the seconds from {@code sinceNanos},
   * or -1 after {@code timeout}.
   */
  double awaitFirstRows(long sinceNanos, double baseline, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (rowsWritten > baseline) {
        return (System.nanoTime() - sinceNanos) / 1e9;
      }
      Thread.sleep(10);
    }
    return -1;
  }

  private void monitorLoop() {
    while (!closed) {
      Process p = process;
      if (p != null && p.isAlive()) {
        readRss(p.pid()).ifPresent(kb -> peakRssKb = Math.max(peakRssKb, kb));
        scrape();
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private static Optional<Long> readRss(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmHWM:")) {
          return Optional.of(Long.parseLong(line.replaceAll("[^0-9]", "")));
        }
      }
    } catch (IOException | RuntimeException e) {
      // the process just ended
    }
    return Optional.empty();
  }

  private void scrape() {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics"))
          .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        return;
      }
      double rows = -1;
      for (String line : r.body().split("\n")) {
        if (line.startsWith("flexconnect_storage_rows_written_total")) {
          rows = value(line);
        } else if (line.startsWith("flexconnect_mqtt_inflight")) {
          inflight = value(line);
          peakInflight = Math.max(peakInflight, inflight);
        } else if (line.startsWith("flexconnect_mqtt_subscribed")) {
          subscribed = value(line) >= 1;
        }
      }
      rowsWritten = Math.max(rows, 0);
    } catch (IOException e) {
      // not listening (yet, or any more)
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static double value(String line) {
    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    monitor.interrupt();
    Process p = process;
    if (p != null && p.isAlive()) {
      terminate(Duration.ofSeconds(60));
    }
  }
}
