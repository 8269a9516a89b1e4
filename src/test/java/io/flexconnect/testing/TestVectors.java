package io.flexconnect.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The test vectors kept in the repository ({@code src/test/resources/testdata}): the wire-format
 * examples, real DBC files with their sources and licences, and decode vectors. Found on the test
 * classpath, so the suite needs nothing beside the checkout.
 */
public final class TestVectors {
  private TestVectors() {}

  public static Path dir() {
    URL marker = TestVectors.class.getResource("/testdata/README.md");
    if (marker == null) {
      throw new IllegalStateException("testdata/README.md is missing from the test classpath");
    }
    try {
      return Path.of(marker.toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Path dbcDir() {
    return dir().resolve("dbc");
  }

  public static Path dbcExtraDir() {
    return dir().resolve("dbc-extra");
  }

  public static byte[] message(String name) {
    try {
      return Files.readAllBytes(dir().resolve("messages").resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
