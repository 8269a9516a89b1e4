package io.flexconnect.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexconnect.testing.Await;
import io.flexconnect.testing.DeviceFiles;
import io.flexconnect.testing.Http;
import io.flexconnect.testing.MtlsDevice;
import io.flexconnect.testing.PlatformFixture;
import io.flexconnect.testing.TestApiKeys;
import io.flexconnect.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** With {@code broker.plainEnabled=false} the platform subscribes over mTLS with its own certificate. */
class TlsOnlyBrokerTest {
  static Vertx vertx;
  static PlatformRunner.Running running;
  static Http http;

  @BeforeAll
  static void start() {
    Map<String, String> env = Map.of(
        "FLEXCONNECT_DB_URL", TestDatabase.newDatabase("tls_only"),
        "FLEXCONNECT_BROKER_PLAIN_ENABLED", "false",
        "FLEXCONNECT_BROKER_TLS_PORT", "0",
        "FLEXCONNECT_BROKER_TLS_HOST", "127.0.0.1",
        "FLEXCONNECT_HTTP_PORT", "0",
        "FLEXCONNECT_HTTP_HOST", "127.0.0.1",
        "FLEXCONNECT_MQTT_CLIENT_ID", "flexconnect-tls-only-test",
        "FLEXCONNECT_PKI_DIR", PlatformFixture.tempDir("flexconnect-pki-tls-only").toString());
    vertx = Vertx.vertx();
    running = Await.result(PlatformRunner.start(vertx, new ConfigLoader().load(null, env)));
    http = new Http(running.platform().httpPort(),
        TestApiKeys.create(vertx, running.platform().config().db(), "default"));
  }

  @AfterAll
  static void stop() {
    Await.result(vertx.close());
  }

  @Test
  void verifiesThatWithoutThePlainListenerThePlatformSubscribesOverMtlsAndStoresDeviceMessages() {
    assertThat(running.broker().actualPort()).isEqualTo(-1);
    assertThat(running.platform().config().mqtt().url()).startsWith("mqtts://127.0.0.1:");
    Http.BinaryResponse response = http.post("/api/v1/devices", new JsonObject().put("device_id", "tls-only-0001").encode(), null);
    DeviceFiles device = DeviceFiles.of(response.json());

    try (MtlsDevice client = Await.result(MtlsDevice.connect(vertx, running.broker().actualTlsPort(), "tls-only-0001",
        device.caPem(), device.certPem(), device.keyPem()))) {
      assertThat(client.publish("flexconnect/tls-only-0001/json", device.seedMessage())).isTrue();
    }

    JsonArray signals = Await.until("the seed values", Duration.ofSeconds(20), () -> {
      JsonArray s = http.get("/api/v1/devices/tls-only-0001/latest").json().getJsonArray("signals");
      return s.size() == 2 ? s : null;
    });
    assertThat(signals).hasSize(2);
    assertThat(http.get("/health").json().getString("mqtt")).isEqualTo("UP");
  }
}
