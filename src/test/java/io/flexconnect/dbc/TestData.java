package io.flexconnect.dbc;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the shared test data (surefire sets flexconnect.shared.dir). */
final class TestData {

  private TestData() {}

  static Path shared() {
    String dir = System.getProperty("flexconnect.shared.dir");
    Path p = dir != null ? Path.of(dir) : Path.of("../shared");
    if (!Files.isDirectory(p)) {
      p = Path.of("../shared");
    }
    return p;
  }

  static Path dbcDir() {
    return shared().resolve("testdata/dbc");
  }

  static Path dbcExtraDir() {
    return shared().resolve("testdata/dbc-extra");
  }

  static byte[] hex(String hex) {
    String h = hex.replace(" ", "");
    byte[] out = new byte[h.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
    }
    return out;
  }
}
