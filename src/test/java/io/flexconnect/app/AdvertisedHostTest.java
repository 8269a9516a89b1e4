package io.flexconnect.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexconnect.pki.Pem;
import io.flexconnect.testing.Await;
import io.flexconnect.testing.DeviceFiles;
import io.flexconnect.testing.Http;
import io.flexconnect.testing.MtlsDevice;
import io.flexconnect.testing.PlatformFixture;
import io.flexconnect.testing.TestApiKeys;
import io.flexconnect.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The host devices are given (device.json {@code host}/{@code port}, as the guide's
 * {@code configureEndpoint(hostName, portNumber)} takes them) and the names in the embedded broker's
 * certificate come from one setting, {@code pki.advertisedHost}, defaulting to this machine's name.
 */
class AdvertisedHostTest {
  Vertx vertx;
  PlatformRunner.Running running;
  Path pkiDir;

  @AfterEach
  void stop() {
    if (vertx != null) {
      Await.result(vertx.close());
    }
  }

  void start(Map<String, String> extra) {
    pkiDir = PlatformFixture.tempDir("flexconnect-pki-advertised");
    Map<String, String> env = new HashMap<>(Map.of(
        "FLEXCONNECT_DB_URL", TestDatabase.newDatabase("advertised"),
        "FLEXCONNECT_BROKER_PORT", "0",
        "FLEXCONNECT_BROKER_TLS_PORT", "0",
        "FLEXCONNECT_HTTP_PORT", "0",
        "FLEXCONNECT_HTTP_HOST", "127.0.0.1",
        "FLEXCONNECT_MQTT_CLIENT_ID", "flexconnect-advertised-test",
        "FLEXCONNECT_PKI_DIR", pkiDir.toString()));
    env.putAll(extra);
    vertx = Vertx.vertx();
    running = Await.result(PlatformRunner.start(vertx, new ConfigLoader().load(null, env)));
  }

  JsonObject provisionDeviceJson(String deviceId) {
    Http http = new Http(running.platform().httpPort(), TestApiKeys.create(vertx, running.platform().config().db(), "default"));
    Http.BinaryResponse response = http.post("/api/v1/devices", new JsonObject().put("device_id", deviceId).encode(), null);
    assertThat(response.status()).as(response.text()).isEqualTo(201);
    return response.json();
  }

  List<String> serverCertificateNames() throws Exception {
    X509Certificate server = Pem.certificate(Files.readString(pkiDir.resolve("server.crt")));
    return server.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).toList();
  }

  @Test
  void verifiesThatByDefaultDevicesAreGivenThisMachinesNameWhichTheBrokerCertificateNamesAndTheyConnectBy()
      throws Exception {
    String machine = InetAddress.getLocalHost().getHostName();
    start(Map.of());

    JsonObject body = provisionDeviceJson("adv-0001");

    int tlsPort = running.broker().actualTlsPort();
    assertThat(body.getString("host")).isEqualTo(machine);
    assertThat(body.getInteger("port")).isEqualTo(tlsPort);
    assertThat(body.getString("endpoint")).isEqualTo("mqtts://" + machine + ":" + tlsPort);
    assertThat(serverCertificateNames()).contains(machine, "localhost", "127.0.0.1");
    DeviceFiles device = DeviceFiles.of(body);
    try (MtlsDevice client = Await.result(MtlsDevice.connect(vertx, body.getString("host"), body.getInteger("port"),
        "adv-0001", device.caPem(), device.certPem(), device.keyPem()))) {
      assertThat(client.publish("flexconnect/adv-0001/json", device.seedMessage())).isTrue();
    }
  }

  @Test
  void verifiesThatTheAdvertisedHostIsWhatDevicesAreGivenAndWhatTheBrokerCertificateNames() throws Exception {
    start(Map.of("FLEXCONNECT_PKI_ADVERTISED_HOST", "mqtt.fleet.example"));

    JsonObject body = provisionDeviceJson("adv-0002");

    assertThat(body.getString("host")).isEqualTo("mqtt.fleet.example");
    assertThat(body.getInteger("port")).isEqualTo(running.broker().actualTlsPort());
    assertThat(serverCertificateNames()).contains("mqtt.fleet.example", "localhost", "127.0.0.1");
  }
}
