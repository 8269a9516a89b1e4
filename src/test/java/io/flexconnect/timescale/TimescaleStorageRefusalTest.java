package io.flexconnect.timescale;

import io.flexconnect.storage.StorageRefusalTest;
import org.junit.jupiter.api.BeforeAll;

/** The refusal and health behaviour of {@link StorageRefusalTest}, on TimescaleDB (telemetry a hypertable). */
class TimescaleStorageRefusalTest extends StorageRefusalTest {

  @BeforeAll
  public static void start() throws Exception {
    Timescale.assumeAvailable();
    StorageRefusalTest.start();
  }
}
