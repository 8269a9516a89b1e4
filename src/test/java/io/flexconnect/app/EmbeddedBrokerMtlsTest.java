package io.flexconnect.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexconnect.pki.CertificateAuthority;
import io.flexconnect.pki.CertificateIdentity;
import io.flexconnect.pki.Issued;
import io.flexconnect.pki.PkiFiles;
import io.flexconnect.testing.Await;
import io.flexconnect.testing.DeviceFiles;
import io.flexconnect.testing.Http;
import io.flexconnect.testing.MtlsDevice;
import io.flexconnect.testing.PlatformFixture;
import io.flexconnect.testing.TestApiKeys;
import io.flexconnect.testing.TestDatabase;
import io.flexconnect.testing.TestPublisher;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Devices provisioned over REST reach the real embedded broker over mTLS, and everything else is
 * refused where it should be: at the handshake, at CONNECT, at PUBLISH or in ingestion.
 */
class EmbeddedBrokerMtlsTest {
  static final int GRACE_SECONDS = 3;
  static Vertx vertx;
  static PlatformRunner.Running running;
  static Map<String, String> env;
  static Path pkiDir;
  static Http http;

  @BeforeAll
  static void start() {
    pkiDir = PlatformFixture.tempDir("flexconnect-pki-mtls");
    env = new HashMap<>(Map.of(
        "FLEXCONNECT_DB_URL", TestDatabase.newDatabase("mtls"),
        "FLEXCONNECT_BROKER_PORT", "0",
        "FLEXCONNECT_BROKER_TLS_PORT", "0",
        "FLEXCONNECT_BROKER_TLS_HOST", "127.0.0.1",
        "FLEXCONNECT_HTTP_PORT", "0",
        "FLEXCONNECT_HTTP_HOST", "127.0.0.1",
        "FLEXCONNECT_MQTT_CLIENT_ID", "flexconnect-mtls-test",
        "FLEXCONNECT_PKI_DIR", pkiDir.toString(),
        "FLEXCONNECT_PKI_ROTATION_GRACE_SECONDS", String.valueOf(GRACE_SECONDS),
        "FLEXCONNECT_PKI_REVOCATION_REFRESH_SECONDS", "1"));
    env.put("FLEXCONNECT_STORAGE_BATCH_INTERVAL_MS", "10");
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
  void verifiesThatAProvisionedDevicePublishingTheSeedExampleOverMtlsIsStored() {
    DeviceFiles device = provision("mtls-0001");
    try (MtlsDevice client = connect(device, device.certPem(), device.keyPem()).result()) {
      assertThat(client.publish("flexconnect/mtls-0001/json", device.seedMessage())).isTrue();
    }
    assertThat(awaitLatest("mtls-0001", 2)).hasSize(2);
  }

  @Test
  void verifiesThatMosquittoPubWithTheProvisionedFilesGetsTheSeedExampleStored() {
    DeviceFiles device = provision("mtls-0002");

    DeviceFiles.MosquittoPub run = device.mosquittoPub(tlsPort(), "flexconnect/mtls-0002/json", device.seedMessage(), true);

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(awaitLatest("mtls-0002", 2)).hasSize(2);
  }

  @Test
  void verifiesThatTheGuidesFixedTopicIsAllowedOverMtls() {
    DeviceFiles device = provision("mtls-0003");
    try (MtlsDevice client = connect(device, device.certPem(), device.keyPem()).result()) {
      assertThat(client.publish("flexconnect/mqtt_topic", device.seedMessage())).isTrue();
    }
    assertThat(awaitLatest("mtls-0003", 2)).hasSize(2);
  }

  @Test
  void verifiesThatAClientWithoutCertificateIsRefusedAtTheHandshake() {
    DeviceFiles device = provision("mtls-nocert");

    assertThat(connect(device, null, null).failed()).isTrue();
    assertThat(device.mosquittoPub(tlsPort(), "flexconnect/mtls-nocert/json", device.seedMessage(), false).exitCode())
        .isNotZero();
  }

  @Test
  void verifiesThatACertificateFromAnotherCaIsRefusedAtTheHandshake() {
    DeviceFiles device = provision("mtls-foreign");
    CertificateAuthority other = CertificateAuthority.create("Other CA", Duration.ofDays(1), new SecureRandom());
    Issued foreign = other.issueDevice("mtls-foreign", Duration.ofDays(1));

    assertThat(connect(device, foreign.certificatePem(), foreign.privateKeyPem()).failed()).isTrue();
  }

  @Test
  void verifiesThatAnExpiredCertificateOfThePlatformCaIsRefusedAtTheHandshake() {
    DeviceFiles device = provision("mtls-expired");
    CertificateAuthority ca = PkiFiles.loadOrCreateCa(pkiDir, new SecureRandom());
    Instant now = Instant.now();
    Issued expired = ca.issueClient(CertificateIdentity.Kind.DEVICE, "mtls-expired",
        now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1)));

    assertThat(connect(device, expired.certificatePem(), expired.privateKeyPem()).failed()).isTrue();
  }

  @Test
  void verifiesThatARevokedCertificateIsRefusedAtConnectImmediately() {
    DeviceFiles device = provision("mtls-revoked");
    connect(device, device.certPem(), device.keyPem()).result().close();

    Http.BinaryResponse revoked = http.post("/api/v1/devices/mtls-revoked/revoke", "", null);

    assertThat(revoked.status()).isEqualTo(200);
    assertThat(revoked.json().getJsonArray("revoked_certificates")).hasSize(1);
    assertThat(connect(device, device.certPem(), device.keyPem()).failed()).isTrue();
  }

  @Test
  void verifiesThatADevicePublishingToAnotherDevicesTopicIsDisconnectedByTheBroker() {
    DeviceFiles a = provision("mtls-a");
    provision("mtls-b");
    try (MtlsDevice client = connect(a, a.certPem(), a.keyPem()).result()) {
      assertThat(client.publish("flexconnect/mtls-b/json", a.seedMessage())).isFalse();
      assertThat(client.isConnected()).isFalse();
    }
  }

  @Test
  void verifiesThatAWrongTokenOverMtlsIsRejectedByIngest() {
    DeviceFiles device = provision("mtls-wrongtoken");
    try (MtlsDevice client = connect(device, device.certPem(), device.keyPem()).result()) {
      assertThat(client.publish("flexconnect/mtls-wrongtoken/json", device.seedMessage("tok_not-the-right-one"))).isTrue();
    }
    assertThat(awaitRejected("mtls-wrongtoken", 1).getJsonObject(0).getString("reason")).isEqualTo("wrong_token");
  }

  @Test
  void verifiesThatAfterRotationTheOldTokenIsAcceptedWithinTheGracePeriodAndRefusedAfterIt() {
    DeviceFiles old = provision("mtls-rotate");
    Http.BinaryResponse rotated = http.post("/api/v1/devices/mtls-rotate/rotate", "", null);
    assertThat(rotated.status()).isEqualTo(200);
    DeviceFiles fresh = DeviceFiles.of(rotated.json());
    assertThat(fresh.token()).isNotEqualTo(old.token());

    try (TestPublisher loopback = new TestPublisher(vertx, running.broker().actualPort(), "mtls-rotate-loopback")) {
      loopback.publish("flexconnect/mtls-rotate/json", old.seedMessage());
      assertThat(awaitLatest("mtls-rotate", 2)).hasSize(2);
      Await.until("the grace period to end", Duration.ofSeconds(GRACE_SECONDS + 5), () -> {
        loopback.publish("flexconnect/mtls-rotate/json", old.seedMessage());
        return rejectedCount("mtls-rotate") > 0 ? true : null;
      });
    }
    assertThat(awaitRejected("mtls-rotate", 1).getJsonObject(0).getString("reason")).isEqualTo("wrong_token");
  }

  @Test
  void verifiesThatAfterRotationTheOldCertificateConnectsWithinTheGracePeriodAndIsRefusedAfterIt() {
    DeviceFiles old = provision("mtls-rotate-cert");
    DeviceFiles fresh = DeviceFiles.of(http.post("/api/v1/devices/mtls-rotate-cert/rotate", "", null).json());

    assertThat(connect(old, old.certPem(), old.keyPem()).succeeded()).isTrue();
    Await.until("the old certificate to be refused", Duration.ofSeconds(GRACE_SECONDS + 5),
        () -> connect(old, old.certPem(), old.keyPem()).failed() ? true : null);
    assertThat(connect(fresh, fresh.certPem(), fresh.keyPem()).succeeded()).isTrue();
  }

  @Test
  void verifiesThatRevocationRefusesTheTokenImmediately() {
    DeviceFiles device = provision("mtls-revoke-token");
    assertThat(http.post("/api/v1/devices/mtls-revoke-token/revoke", "", null).status()).isEqualTo(200);

    try (TestPublisher loopback = new TestPublisher(vertx, running.broker().actualPort(), "mtls-revoke-loopback")) {
      loopback.publish("flexconnect/mtls-revoke-token/json", device.seedMessage());
    }
    assertThat(awaitRejected("mtls-revoke-token", 1).getJsonObject(0).getString("reason")).isEqualTo("wrong_token");
  }

  @Test
  void verifiesThatARevocationThroughTheCliReachesTheRunningBroker() {
    DeviceFiles device = provision("mtls-cli-revoke");
    assertThat(Main.run(java.util.List.of("device", "revoke", "mtls-cli-revoke"), env, System.out, System.err)).isZero();

    Await.until("the broker to refuse the certificate", Duration.ofSeconds(10),
        () -> connect(device, device.certPem(), device.keyPem()).failed() ? true : null);
  }

  static DeviceFiles provision(String deviceId) {
    Http.BinaryResponse response = http.post("/api/v1/devices", new JsonObject().put("device_id", deviceId).encode(), null);
    assertThat(response.status()).as(response.text()).isEqualTo(201);
    return DeviceFiles.of(response.json());
  }

  static int tlsPort() {
    return running.broker().actualTlsPort();
  }

  /** Connects and waits for the outcome: a succeeded future with the device, or a failed one. */
  static Future<MtlsDevice> connect(DeviceFiles device, String certPem, String keyPem) {
    Future<MtlsDevice> connecting = MtlsDevice.connect(vertx, tlsPort(), device.deviceId() + "-" + System.nanoTime(),
        device.caPem(), certPem, keyPem);
    try {
      connecting.toCompletionStage().toCompletableFuture().get(15, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      // the future holds the failure
    }
    assertThat(connecting.isComplete()).as("connect outcome within 15 s").isTrue();
    if (connecting.succeeded() && certPem == null) {
      connecting.result().close();
    }
    return connecting;
  }

  static JsonArray awaitLatest(String deviceId, int signals) {
    return Await.until("the seed values of " + deviceId, Duration.ofSeconds(20), () -> {
      Http.Response r = http.get("/api/v1/devices/" + deviceId + "/latest");
      if (r.status() != 200) {
        return null;
      }
      JsonArray s = r.json().getJsonArray("signals");
      return s.size() == signals ? s : null;
    });
  }

  static int rejectedCount(String deviceId) {
    return rejected(deviceId).size();
  }

  static JsonArray awaitRejected(String deviceId, int count) {
    return Await.until("rejections of " + deviceId, Duration.ofSeconds(20), () -> {
      JsonArray r = rejected(deviceId);
      return r.size() >= count ? r : null;
    });
  }

  static JsonArray rejected(String deviceId) {
    JsonArray all = http.get("/api/v1/rejected?limit=1000").json().getJsonArray("rejected");
    JsonArray mine = new JsonArray();
    for (int i = 0; i < all.size(); i++) {
      JsonObject r = all.getJsonObject(i);
      if (String.valueOf(r.getString("topic")).contains("/" + deviceId + "/")) {
        mine.add(r);
      }
    }
    return mine;
  }

  static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
