package io.flexconnect.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexconnect.pki.Pem;
import io.flexconnect.testing.DeviceFiles;
import io.flexconnect.testing.Http;
import io.flexconnect.testing.PlatformFixture;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Provisioning over REST and the CLI, against the real platform and database. */
class ProvisioningTest {
  static PlatformFixture fx;
  static Map<String, String> cliEnv;

  @BeforeAll
  static void start() throws Exception {
    Path pki = PlatformFixture.tempDir("flexconnect-pki-provisioning");
    fx = PlatformFixture.start("provisioning", Map.of(
        "FLEXCONNECT_PKI_DIR", pki.toString(),
        "FLEXCONNECT_PKI_DEVICE_ENDPOINT", "mqtts://mqtt.example.com:8883"));
    cliEnv = new HashMap<>(Map.of(
        "FLEXCONNECT_DB_URL", fx.dbUrl,
        "FLEXCONNECT_PKI_DIR", pki.toString(),
        "FLEXCONNECT_PKI_DEVICE_ENDPOINT", "mqtts://mqtt.example.com:8883"));
  }

  @AfterAll
  static void stop() throws Exception {
    fx.close();
  }

  @Test
  void verifiesThatProvisioningReturnsTheGuidesFilesAsPemChainingToTheCaWithAMatchingKey() throws Exception {
    Http.BinaryResponse response = fx.http.withKey(fx.createApiKey("acme")).post("/api/v1/devices",
        new JsonObject().put("device_id", "prov-0001").put("tenant_id", "acme").encode(), null);

    assertThat(response.status()).isEqualTo(201);
    assertThat(response.contentType()).startsWith("application/json");
    JsonObject body = response.json();
    assertThat(body.getString("tenant_id")).isEqualTo("acme");
    assertThat(body.getString("token")).startsWith("tok_");
    assertThat(body.getString("endpoint")).isEqualTo("mqtts://mqtt.example.com:8883");
    assertThat(body.getJsonObject("topics").getMap()).isEqualTo(Map.of("json", "flexconnect/prov-0001/json",
        "can", "flexconnect/prov-0001/can", "alerts", "flexconnect/prov-0001/alerts"));
    assertThat(body.getJsonObject("files").fieldNames()).containsExactlyInAnyOrder("root-CA.crt", "device_cert.pem", "device_key.key");
    DeviceFiles files = DeviceFiles.of(body);
    assertChainsAndMatches(files.caPem(), files.certPem(), files.keyPem(), "prov-0001");
  }

  @Test
  void verifiesThatTheZipHoldsTheThreeFilesAndDeviceJson() throws Exception {
    Http.BinaryResponse response = post("/api/v1/devices", new JsonObject().put("device_id", "prov-zip"), "application/zip");

    assertThat(response.status()).isEqualTo(201);
    assertThat(response.contentType()).isEqualTo("application/zip");
    Map<String, String> entries = unzip(response.body());
    assertThat(entries.keySet()).containsExactlyInAnyOrder("root-CA.crt", "device_cert.pem",
        "device_key.key", "device.json");
    JsonObject info = new JsonObject(entries.get("device.json"));
    assertThat(info.getString("device_id")).isEqualTo("prov-zip");
    assertThat(info.getString("token")).startsWith("tok_");
    assertChainsAndMatches(entries.get("root-CA.crt"), entries.get("device_cert.pem"),
        entries.get("device_key.key"), "prov-zip");
  }

  @Test
  void verifiesThatFormatZipSelectsTheZipWithoutAnAcceptHeader() {
    Http.BinaryResponse response = post("/api/v1/devices?format=zip", new JsonObject().put("device_id", "prov-zip-2"), null);

    assertThat(response.status()).isEqualTo(201);
    assertThat(response.contentType()).isEqualTo("application/zip");
  }

  @Test
  void verifiesThatTheGivenTokenIsUsedAndProvisioningTheSameIdTwiceIsAConflict() {
    JsonObject request = new JsonObject().put("device_id", "prov-twice").put("token", "tok_prov-twice-secret-1");
    assertThat(post("/api/v1/devices", request, null).json().getString("token")).isEqualTo("tok_prov-twice-secret-1");

    Http.BinaryResponse second = post("/api/v1/devices", request.copy().put("token", "tok_prov-twice-secret-2"), null);

    assertThat(second.status()).isEqualTo(409);
    assertThat(second.contentType()).startsWith("application/problem+json");
    assertThat(second.text()).contains("already exists").doesNotContain("tok_prov-twice-secret");
  }

  @Test
  void verifiesThatAnInvalidDeviceIdIsRefusedWithoutEchoingTheToken() {
    Http.BinaryResponse response = post("/api/v1/devices",
        new JsonObject().put("device_id", "bad/id#").put("token", "tok_secret-never-echoed"), null);

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.text()).contains("invalid device id").doesNotContain("tok_secret-never-echoed");
  }

  @Test
  void verifiesThatAMalformedBodyIsRefusedWithoutEchoingIt() {
    Http.BinaryResponse response = fx.http.post("/api/v1/devices", "{\"device_id\": \"x\", \"token\": \"tok_half-a-secret", null);

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.text()).doesNotContain("tok_half-a-secret");
  }

  @Test
  void verifiesThatRotatingOrRevokingAnUnknownDeviceIsNotFound() {
    assertThat(fx.http.post("/api/v1/devices/nobody/rotate", "", null).status()).isEqualTo(404);
    assertThat(fx.http.post("/api/v1/devices/nobody/revoke", "", null).status()).isEqualTo(404);
  }

  @Test
  void verifiesThatTheCredentialsListShowsEachCertificateThroughRotationAndRevocation() {
    String serial = post("/api/v1/devices", new JsonObject().put("device_id", "cred-0001"), null).json().getJsonObject("certificate").getString("serial");
    String rotated = fx.http.post("/api/v1/devices/cred-0001/rotate", "", null).json().getJsonObject("certificate").getString("serial");
    JsonObject afterRotation = fx.http.get("/api/v1/devices/cred-0001/credentials").json();
    assertThat(afterRotation.getJsonArray("credentials").stream().map(c -> ((JsonObject) c).getString("certificate_serial")
        + "=" + ((JsonObject) c).getString("state"))).containsExactly(rotated + "=active", serial + "=ending");

    assertThat(fx.http.post("/api/v1/devices/cred-0001/revoke", "", null).status()).isEqualTo(200);
    JsonObject afterRevocation = fx.http.get("/api/v1/devices/cred-0001/credentials").json();
    assertThat(afterRevocation.getJsonArray("credentials").stream().map(c -> ((JsonObject) c).getString("state")))
        .containsExactly("revoked", "revoked");
    assertThat(afterRevocation.encode()).doesNotContain("tok_").doesNotContain("hash");
    assertThat(fx.http.get("/api/v1/devices/nobody/credentials").status()).isEqualTo(404);
  }

  @Test
  void verifiesThatTheProvisionCommandWritesTheKeyOwnerOnlyAndPrintsTheTokenEndpointAndTopicsButNotTheKey()
      throws Exception {
    Path out = PlatformFixture.tempDir("flexconnect-cli-device").resolve("files");
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();

    int code = Main.run(List.of("device", "provision", "cli-0001", "--tenant", "acme", "--out", out.toString()), cliEnv,
        new PrintStream(stdout, true, StandardCharsets.UTF_8), System.err);

    assertThat(code).isZero();
    String printed = stdout.toString(StandardCharsets.UTF_8);
    assertThat(printed).contains("device_id: cli-0001", "tenant_id: acme", "token:     tok_",
        "endpoint:  mqtts://mqtt.example.com:8883", "flexconnect/cli-0001/json", "flexconnect/cli-0001/can",
        "flexconnect/cli-0001/alerts", out.toAbsolutePath().toString());
    assertThat(printed).doesNotContain("PRIVATE KEY").doesNotContain(Files.readString(out.resolve("device_key.key")));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("device_key.key")))).isEqualTo("rw-------");
    assertChainsAndMatches(Files.readString(out.resolve("root-CA.crt")), Files.readString(out.resolve("device_cert.pem")),
        Files.readString(out.resolve("device_key.key")), "cli-0001");
  }

  @Test
  void verifiesThatTheProvisionCommandPrintsThePrivateKeyOnlyWhenAskedTo() throws Exception {
    Path out = PlatformFixture.tempDir("flexconnect-cli-print-key");
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();

    int code = Main.run(List.of("device", "provision", "cli-print-key", "--out", out.toString(), "--print-key"),
        cliEnv, new PrintStream(stdout, true, StandardCharsets.UTF_8), System.err);

    assertThat(code).isZero();
    assertThat(stdout.toString(StandardCharsets.UTF_8)).contains("--- root-CA.crt ---", "--- device_cert.pem ---",
        "--- device_key.key ---", Files.readString(out.resolve("device_key.key")));
  }

  @Test
  void verifiesThatTheRotateCommandWritesANewKeyAndCertificateAndPrintsANewToken() throws Exception {
    Path out = PlatformFixture.tempDir("flexconnect-cli-rotate");
    assertThat(Main.run(List.of("device", "provision", "cli-rotate", "--out", out.toString()), cliEnv,
        new PrintStream(new ByteArrayOutputStream()), System.err)).isZero();
    String firstCert = Files.readString(out.resolve("device_cert.pem"));
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();

    int code = Main.run(List.of("device", "rotate", "cli-rotate", "--out", out.toString()), cliEnv,
        new PrintStream(stdout, true, StandardCharsets.UTF_8), System.err);

    assertThat(code).isZero();
    String printed = stdout.toString(StandardCharsets.UTF_8);
    assertThat(printed).contains("device_id: cli-rotate", "token:     tok_").doesNotContain("PRIVATE KEY");
    assertThat(Files.readString(out.resolve("device_cert.pem"))).isNotEqualTo(firstCert);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("device_key.key"))))
        .isEqualTo("rw-------");
    assertChainsAndMatches(Files.readString(out.resolve("root-CA.crt")), Files.readString(out.resolve("device_cert.pem")),
        Files.readString(out.resolve("device_key.key")), "cli-rotate");
  }

  @Test
  void verifiesThatThePkiServerCertCommandWritesTheCaAndAServerCertificateForTheHost() throws Exception {
    Path out = PlatformFixture.tempDir("flexconnect-cli-server");

    int code = Main.run(List.of("pki", "server-cert", "--host", "mqtt.example.com", "--out", out.toString()), cliEnv,
        new PrintStream(new ByteArrayOutputStream()), System.err);

    assertThat(code).isZero();
    X509Certificate server = Pem.certificate(Files.readString(out.resolve("server.crt")));
    server.verify(Pem.certificate(Files.readString(out.resolve("ca.crt"))).getPublicKey());
    assertThat(server.getSubjectAlternativeNames()).extracting(e -> (Object) String.valueOf(e.get(1)))
        .containsExactly("mqtt.example.com");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("server.key")))).isEqualTo("rw-------");
  }

  private static Http.BinaryResponse post(String path, JsonObject body, String accept) {
    return fx.http.post(path, body.encode(), accept);
  }

  static void assertChainsAndMatches(String caPem, String certPem, String keyPem, String deviceId) throws Exception {
    X509Certificate ca = Pem.certificate(caPem);
    X509Certificate cert = Pem.certificate(certPem);
    cert.verify(ca.getPublicKey());
    assertThat(cert.getSubjectX500Principal().getName()).contains("CN=" + deviceId);
    PrivateKey key = Pem.privateKey(keyPem);
    Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(key);
    signer.update(deviceId.getBytes(StandardCharsets.UTF_8));
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance("SHA256withECDSA");
    verifier.initVerify(cert.getPublicKey());
    verifier.update(deviceId.getBytes(StandardCharsets.UTF_8));
    assertThat(verifier.verify(signature)).as("the key matches the certificate").isTrue();
  }

  static Map<String, String> unzip(byte[] zip) throws IOException {
    Map<String, String> entries = new HashMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        entries.put(entry.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    return entries;
  }
}
