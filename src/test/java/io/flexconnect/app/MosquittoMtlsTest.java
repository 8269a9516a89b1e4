package io.flexconnect.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexconnect.pki.CertificateAuthority;
import io.flexconnect.pki.CertificateIdentity;
import io.flexconnect.pki.Issued;
import io.flexconnect.pki.PkiFiles;
import io.flexconnect.testing.Await;
import io.flexconnect.testing.DeviceFiles;
import io.flexconnect.testing.Http;
import io.flexconnect.testing.ListenPorts;
import io.flexconnect.testing.Mosquitto;
import io.flexconnect.testing.PlatformFixture;
import io.flexconnect.testing.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shipped {@code docker/mosquitto} configuration on a real Mosquitto (paths rewritten to
 * temporary files, a free loopback port), certificates from the CLI, the platform subscribed over
 * mTLS with its own client certificate, devices publishing with {@code mosquitto_pub}.
 */
class MosquittoMtlsTest {
  static final Path SHIPPED = Path.of("docker/mosquitto");
  static Path pkiDir;
  static Path certs;
  static Map<String, String> cliEnv;
  static PlatformFixture fx;
  static Mosquitto mosquitto;
  static int port;

  @BeforeAll
  static void start() throws Exception {
    pkiDir = PlatformFixture.tempDir("flexconnect-pki-mosquitto");
    certs = PlatformFixture.tempDir("flexconnect-mosquitto-certs");
    Path platformCerts = PlatformFixture.tempDir("flexconnect-platform-certs");
    String dbUrl = TestDatabase.newDatabase("mosquitto_mtls");
    cliEnv = Map.of("FLEXCONNECT_DB_URL", dbUrl, "FLEXCONNECT_PKI_DIR", pkiDir.toString());
    assertThat(cli("pki", "server-cert", "--host", "localhost", "--out", certs.toString())).isZero();
    assertThat(cli("pki", "client-cert", "--out", platformCerts.toString())).isZero();
    assertThat(cli("pki", "crl", "--out", certs.toString())).isZero();

    port = ListenPorts.free();
    mosquitto = startMosquitto();
    fx = PlatformFixture.start("mosquitto_mtls", mosquitto, dbUrl, Map.of(
        "FLEXCONNECT_MQTT_URL", "mqtts://localhost:" + port,
        "FLEXCONNECT_MQTT_CA_FILE", platformCerts.resolve("ca.crt").toString(),
        "FLEXCONNECT_MQTT_CERT_FILE", platformCerts.resolve("client.crt").toString(),
        "FLEXCONNECT_MQTT_KEY_FILE", platformCerts.resolve("client.key").toString(),
        "FLEXCONNECT_PKI_DIR", pkiDir.toString()));
  }

  /** The shipped configuration with container paths and port replaced, and a CRL file. */
  static Mosquitto startMosquitto() throws Exception {
    Path data = PlatformFixture.tempDir("flexconnect-mosquitto-data");
    return Mosquitto.startWithConfigFile(SHIPPED.resolve("mosquitto.conf"), Map.of(
        "listener 8883", "listener " + port + " 127.0.0.1",
        "/mosquitto/certs/", certs + "/",
        "/mosquitto/config/acl", SHIPPED.resolve("acl").toAbsolutePath().toString(),
        "/mosquitto/data/", data + "/",
        "#crlfile", "crlfile",
        // Started as root, Mosquitto would switch to the 'mosquitto' user, which cannot read the
        // test's private temporary directories (in a container the files belong to that user).
        "per_listener_settings false", "per_listener_settings false\nuser " + System.getProperty("user.name")), port);
  }

  @AfterAll
  static void stop() throws Exception {
    fx.close();
  }

  @Test
  void verifiesThatAProvisionedDevicePublishingTheSeedExampleWithItsFilesIsStored() {
    DeviceFiles device = provision("mosq-0001");

    DeviceFiles.MosquittoPub run = device.mosquittoPub(port, "flexconnect/mosq-0001/json", device.seedMessage(), true);

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(awaitLatest("mosq-0001")).hasSize(2);
  }

  @Test
  void verifiesThatAClientWithoutCertificateIsRefused() {
    DeviceFiles device = provision("mosq-nocert");

    assertThat(device.mosquittoPub(port, "flexconnect/mosq-nocert/json", device.seedMessage(), false).exitCode()).isNotZero();
  }

  @Test
  void verifiesThatACertificateFromAnotherCaIsRefused() {
    DeviceFiles device = provision("mosq-foreign");
    Issued foreign = CertificateAuthority.create("Other CA", Duration.ofDays(1), new SecureRandom())
        .issueDevice("mosq-foreign", Duration.ofDays(1));
    DeviceFiles impostor = new DeviceFiles(device.deviceId(), device.token(), device.caPem(),
        foreign.certificatePem(), foreign.privateKeyPem(), device.response());

    assertThat(impostor.mosquittoPub(port, "flexconnect/mosq-foreign/json", device.seedMessage(), true).exitCode()).isNotZero();
  }

  @Test
  void verifiesThatAnExpiredCertificateIsRefused() {
    DeviceFiles device = provision("mosq-expired");
    Instant now = Instant.now();
    Issued expired = PkiFiles.loadOrCreateCa(pkiDir, new SecureRandom()).issueClient(CertificateIdentity.Kind.DEVICE,
        "mosq-expired", now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1)));
    DeviceFiles stale = new DeviceFiles(device.deviceId(), device.token(), device.caPem(),
        expired.certificatePem(), expired.privateKeyPem(), device.response());

    assertThat(stale.mosquittoPub(port, "flexconnect/mosq-expired/json", device.seedMessage(), true).exitCode()).isNotZero();
  }

  @Test
  void verifiesThatACertificateInTheCrlIsRefusedAfterTheBrokerReloadsIt() throws Exception {
    DeviceFiles device = provision("mosq-revoked");
    assertThat(device.mosquittoPub(port, "flexconnect/mosq-revoked/json", device.seedMessage(), true).exitCode()).isZero();
    assertThat(fx.http.post("/api/v1/devices/mosq-revoked/revoke", "", null).status()).isEqualTo(200);
    assertThat(cli("pki", "crl", "--out", certs.toString())).isZero();

    mosquitto.reload();

    Await.until("Mosquitto to refuse the revoked certificate", Duration.ofSeconds(10), () ->
        device.mosquittoPub(port, "flexconnect/mosq-revoked/json", device.seedMessage(), true).exitCode() != 0 ? true : null);
  }

  @Test
  void verifiesThatADevicePublishingToAnotherDevicesTopicIsDroppedByTheBroker() throws Exception {
    DeviceFiles a = provision("mosq-a");
    provision("mosq-b");

    a.mosquittoPub(port, "flexconnect/mosq-b/json", a.seedMessage(), true);
    // A later publish to its own topic is the barrier: once it is stored, the refused one would have arrived.
    assertThat(a.mosquittoPub(port, "flexconnect/mosq-a/json", a.seedMessage(), true).exitCode()).isZero();
    awaitLatest("mosq-a");
    Thread.sleep(500);

    assertThat(fx.http.get("/api/v1/devices/mosq-b/latest").json().getJsonArray("signals")).isEmpty();
    assertThat(fx.http.get("/api/v1/rejected?reason=topic_device_mismatch").json().getJsonArray("rejected")).isEmpty();
  }

  @Test
  void verifiesThatAWrongTokenIsRejectedByIngest() {
    DeviceFiles device = provision("mosq-wrongtoken");

    device.mosquittoPub(port, "flexconnect/mosq-wrongtoken/json", device.seedMessage("tok_not-the-right-one"), true);

    JsonArray rejected = Await.until("the rejection", Duration.ofSeconds(20), () -> {
      JsonArray r = fx.http.get("/api/v1/rejected?reason=wrong_token").json().getJsonArray("rejected");
      return r.stream().anyMatch(o -> ((JsonObject) o).getString("topic").contains("mosq-wrongtoken")) ? r : null;
    });
    assertThat(rejected).isNotEmpty();
  }

  static DeviceFiles provision(String deviceId) {
    Http.BinaryResponse response = fx.http.post("/api/v1/devices", new JsonObject().put("device_id", deviceId).encode(), null);
    assertThat(response.status()).as(response.text()).isEqualTo(201);
    return DeviceFiles.of(response.json());
  }

  static JsonArray awaitLatest(String deviceId) {
    return Await.until("the seed values of " + deviceId, Duration.ofSeconds(20), () -> {
      JsonArray s = fx.http.get("/api/v1/devices/" + deviceId + "/latest").json().getJsonArray("signals");
      return s.size() == 2 ? s : null;
    });
  }

  static int cli(String... args) {
    return Main.run(List.of(args), cliEnv, new PrintStream(new ByteArrayOutputStream()), System.err);
  }
}
