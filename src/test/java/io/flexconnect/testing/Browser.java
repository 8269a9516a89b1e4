package io.flexconnect.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The console's browser tests: Debian's headless Chromium driven by playwright-core from npm (no
 * browser download), with the scenario scripts of {@code src/test/resources/browser/}.
 */
public final class Browser {
  static final List<String> CHROMIUM = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser");
  /** The module every scenario imports: opens the page in Chromium. */
  static final String SHARED = "chromium.mjs";

  private Browser() {}

  /** Chromium's executable, when installed. */
  public static Optional<String> chromium() {
    return CHROMIUM.stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst();
  }

  /**
   * The scenario {@code /browser/NAME} ready to run with node beside playwright-core (installed
   * once under target/) and the module it shares with the other scenarios.
   */
  public static Path script(String name) throws IOException, InterruptedException {
    Path dir = Path.of("target", "browser-test").toAbsolutePath();
    if (!Files.isDirectory(dir.resolve("node_modules/playwright-core"))) {
      Files.createDirectories(dir);
      Process npm = new ProcessBuilder("npm", "install", "--silent", "--no-audit", "--no-fund", "playwright-core@1.65.1")
          .directory(dir.toFile()).redirectErrorStream(true).start();
      String log = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(npm.waitFor(180, TimeUnit.SECONDS)).as("npm install").isTrue();
      assertThat(npm.exitValue()).as(log).isZero();
    }
    for (String file : List.of(name, SHARED)) {
      try (InputStream in = Browser.class.getResourceAsStream("/browser/" + file)) {
        Files.write(dir.resolve(file), in.readAllBytes());
      }
    }
    return dir.resolve(name);
  }

  /** Runs {@code script} with {@code args} against {@code chromium}; its output (exit code 0 asserted). */
  public static String run(Path script, String chromium, String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of("node", script.toString()));
    command.addAll(List.of(args));
    ProcessBuilder node = new ProcessBuilder(command).directory(script.getParent().toFile()).redirectErrorStream(true);
    node.environment().put("CHROMIUM", chromium);
    Process p = node.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }
}
