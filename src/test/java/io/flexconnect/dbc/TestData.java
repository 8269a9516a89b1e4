package io.flexconnect.dbc;

import io.flexconnect.testing.TestVectors;
import java.nio.file.Path;

/** Test-data helpers of the DBC tests. */
final class TestData {

  private TestData() {}

  static Path dbcDir() {
    return TestVectors.dbcDir();
  }

  static Path dbcExtraDir() {
    return TestVectors.dbcExtraDir();
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
