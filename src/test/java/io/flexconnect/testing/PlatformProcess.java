package io.flexconnect.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The platform's fat JAR ({@code target/flexconnect.jar}, built by {@code mvn package}) run as its
 * own process, as users run it: {@code java -jar}, configured by environment variables only, in a
 * working directory of the test's. Its output (stdout and stderr, merged) is kept line by line.
 */
public final class PlatformProcess implements AutoCloseable {
  private final Process process;
  private final List<String> lines = new ArrayList<>();

  private PlatformProcess(Process process) {
    this.process = process;
    Thread reader = new Thread(this::readOutput, "platform-process-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** The JAR that {@code mvn package} builds (integration tests run after it). */
  public static Path jar() {
    Path jar = Path.of("target", "flexconnect.jar").toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: integration tests run after 'mvn package'");
    }
    return jar;
  }

  /** Starts {@code java -jar flexconnect.jar args…} in {@code workDir} with {@code env} added. */
  public static PlatformProcess start(Path workDir, Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx512m", "-jar", jar().toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
    builder.environment().putAll(env);
    try {
      return new PlatformProcess(builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The {@code java} of the JVM running the tests. */
  public static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private void readOutput() {
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        synchronized (lines) {
          lines.add(line);
        }
      }
    } catch (IOException ignored) {
      // the process ended
    }
  }

  /** Waits for an output line matching {@code condition}; fails with the output so far otherwise. */
  public String awaitLine(Predicate<String> condition, Duration timeout) {
    return Await.until("a matching line in the platform's output", timeout, () -> {
      synchronized (lines) {
        for (String line : lines) {
          if (condition.test(line)) {
            return line;
          }
        }
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("the platform exited with " + process.exitValue() + ":\n" + output());
      }
      return null;
    });
  }

  /** Everything the process printed so far. */
  public String output() {
    synchronized (lines) {
      return String.join("\n", lines);
    }
  }

  public Process process() {
    return process;
  }

  /** SIGKILL, as {@code kill -9}. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  /** SIGTERM, then waits for the exit. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
      kill();
    }
  }
}
