package io.flexconnect.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The shared test vectors ({@code ../shared/testdata}) beside the checkout. */
public final class SharedData {
  private SharedData() {}

  public static Path dir() {
    String configured = System.getProperty("flexconnect.shared.dir");
    Path base = configured != null ? Path.of(configured) : Path.of("../shared");
    return base.resolve("testdata");
  }

  public static byte[] message(String name) {
    try {
      return Files.readAllBytes(dir().resolve("messages").resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
