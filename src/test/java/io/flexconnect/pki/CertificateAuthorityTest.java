package io.flexconnect.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateAuthorityTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final CertificateAuthority CA = CertificateAuthority.create("Test CA", Duration.ofDays(30), RANDOM);

  @Test
  void verifiesThatADeviceCertificateChainsToTheCaAndNamesTheDeviceInItsCn() throws Exception {
    Issued issued = CA.issueDevice("truck-42", Duration.ofDays(10));

    X509Certificate cert = Pem.certificate(issued.certificatePem());
    cert.verify(CA.certificate().getPublicKey());
    cert.checkValidity();
    assertThat(CertificateIdentity.of(cert)).contains(new CertificateIdentity(CertificateIdentity.Kind.DEVICE, "truck-42"));
    assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2"); // clientAuth
    assertThat(cert.getBasicConstraints()).isEqualTo(-1);
    assertThat(cert.getSerialNumber().signum()).isPositive();
  }

  @Test
  void verifiesThatTheIssuedPrivateKeyMatchesTheCertificate() throws Exception {
    Issued issued = CA.issueDevice("truck-43", Duration.ofDays(10));
    byte[] data = "proof".getBytes();
    Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(Pem.privateKey(issued.privateKeyPem()));
    signer.update(data);
    Signature verifier = Signature.getInstance("SHA256withECDSA");
    verifier.initVerify(Pem.certificate(issued.certificatePem()).getPublicKey());
    verifier.update(data);

    assertThat(verifier.verify(signer.sign())).isTrue();
    assertThat(issued.privateKeyPem()).startsWith("-----BEGIN PRIVATE KEY-----");
  }

  @Test
  void verifiesThatAServerCertificateCarriesEveryHostAsSubjectAlternativeName() throws Exception {
    Issued server = CA.issueServer(List.of("mqtt.example.com", "localhost", "127.0.0.1"), Duration.ofDays(10));

    assertThat(server.certificate().getSubjectAlternativeNames())
        .extracting(entry -> (Object) String.valueOf(entry.get(1)))
        .containsExactly("mqtt.example.com", "localhost", "127.0.0.1");
    assertThat(server.certificate().getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1"); // serverAuth
  }

  @Test
  void verifiesThatThePlatformIdentityIsToldApartFromADeviceWithTheSameName() {
    Issued platform = CA.issuePlatformClient("flexconnect-ingest", Duration.ofDays(1));
    Issued device = CA.issueDevice("flexconnect-ingest", Duration.ofDays(1));

    assertThat(CertificateIdentity.of(platform.certificate()).orElseThrow().kind()).isEqualTo(CertificateIdentity.Kind.PLATFORM);
    assertThat(CertificateIdentity.of(device.certificate()).orElseThrow().kind()).isEqualTo(CertificateIdentity.Kind.DEVICE);
  }

  @Test
  void verifiesThatFirstStartCreatesTheCaAndServerKeysOwnerReadableOnlyAndLaterStartsLoadThem(@TempDir Path dir)
      throws Exception {
    PkiFiles.PlatformPki first = PkiFiles.loadOrCreate(dir, List.of("mqtt.example.com"), RANDOM);
    PkiFiles.PlatformPki second = PkiFiles.loadOrCreate(dir, List.of("mqtt.example.com"), RANDOM);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca.key")))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("server.key")))).isEqualTo("rw-------");
    assertThat(second.ca().certificate()).isEqualTo(first.ca().certificate());
    assertThat(second.server().certificate()).isEqualTo(first.server().certificate());
    first.server().certificate().verify(first.ca().certificate().getPublicKey());
  }

  @Test
  void verifiesThatANewHostNameGetsANewServerCertificateFromTheSameCa(@TempDir Path dir) throws Exception {
    PkiFiles.PlatformPki first = PkiFiles.loadOrCreate(dir, List.of(), RANDOM);
    PkiFiles.PlatformPki second = PkiFiles.loadOrCreate(dir, List.of("broker.internal"), RANDOM);

    assertThat(second.ca().certificate()).isEqualTo(first.ca().certificate());
    assertThat(second.server().certificate().getSubjectAlternativeNames())
        .extracting(entry -> (Object) String.valueOf(entry.get(1))).contains("broker.internal", "localhost", "127.0.0.1");
  }

  @Test
  void verifiesThatHalfACaOnDiskIsRefusedRatherThanReplaced(@TempDir Path dir) throws Exception {
    PkiFiles.loadOrCreateCa(dir, RANDOM);
    Files.delete(dir.resolve("ca.key"));

    assertThatThrownBy(() -> PkiFiles.loadOrCreateCa(dir, RANDOM))
        .isInstanceOf(PkiException.class).hasMessageContaining("only one of");
  }

  @Test
  void verifiesThatARevocationTakesEffectFromItsInstantAndTheEarliestRevocationWins() {
    RevokedCertificates revoked = new RevokedCertificates();
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    revoked.revoke(BigInteger.TEN, now.plusSeconds(60));

    assertThat(revoked.isRevoked(BigInteger.TEN, now)).isFalse();
    assertThat(revoked.isRevoked(BigInteger.TEN, now.plusSeconds(60))).isTrue();
    revoked.revoke(BigInteger.TEN, now);
    revoked.revoke(BigInteger.TEN, now.plusSeconds(600));
    assertThat(revoked.isRevoked(BigInteger.TEN, now)).isTrue();
    assertThat(revoked.isRevoked(BigInteger.ONE, now)).isFalse();
  }
}
