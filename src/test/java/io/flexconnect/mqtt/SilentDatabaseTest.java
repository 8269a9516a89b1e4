package io.flexconnect.mqtt;

import static io.flexconnect.mqtt.StorageBacklogTest.DEVICE;
import static io.flexconnect.mqtt.StorageBacklogTest.FIELDS;
import static io.flexconnect.mqtt.StorageBacklogTest.TOKEN;
import static io.flexconnect.mqtt.StorageBacklogTest.TOPIC;
import static io.flexconnect.mqtt.StorageBacklogTest.message;
import static io.flexconnect.mqtt.StorageBacklogTest.storedRows;

import io.flexconnect.testing.Await;
import io.flexconnect.testing.Mosquitto;
import io.flexconnect.testing.PlatformFixture;
import io.flexconnect.testing.TcpProxy;
import io.flexconnect.testing.TestDatabase;
import io.flexconnect.testing.TestPublisher;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The database stops answering on the connections the platform holds, without closing them (a
 * stateful firewall that lost its state, an address that failed over), while new connections
 * work: the writer gives up on its silent connection after {@code db.socketTimeoutSeconds} and
 * writes on a new one, instead of waiting for the operating system's TCP timeout (15 minutes and
 * more) with every message of its lane unacknowledged.
 */
class SilentDatabaseTest {

  @Test
  void verifiesThatTheWriterMovesToANewConnectionWhenItsConnectionFallsSilent() throws Exception {
    String dbUrl = TestDatabase.newDatabase("silent_db");
    URI db = URI.create(dbUrl);
    try (TcpProxy network = new TcpProxy(db.getHost(), db.getPort());
        PlatformFixture fx = PlatformFixture.start("silent_db", Mosquitto.start(), dbUrl, IntakeTest.env(
            "FLEXCONNECT_DB_URL", dbUrl.replace(db.getHost() + ":" + db.getPort(), "127.0.0.1:" + network.port()),
            "FLEXCONNECT_DB_SOCKET_TIMEOUT_SECONDS", "5", // above any write on a busy machine, far below the wait
            "FLEXCONNECT_STORAGE_WRITERS", "1"))) {
      fx.addDevice(DEVICE, TOKEN);
      try (TestPublisher device = fx.publisher("silent-device")) {
        device.publish(TOPIC, message(0));
        Await.until("the first message's rows", Duration.ofSeconds(20),
            () -> storedRows(dbUrl) == FIELDS ? true : null);

        network.silenceOpenConnections();
        device.publishAsync(TOPIC, message(1)); // acknowledged only once committed
        Await.until("the rows of a message sent after the writer's connection fell silent", Duration.ofSeconds(30),
            () -> storedRows(dbUrl) == 2L * FIELDS ? true : null);
      }
    }
  }
}
