package io.flexconnect.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexconnect.pki.CertificateAuthority;
import io.flexconnect.pki.CertificateIdentity;
import io.flexconnect.pki.RevokedCertificates;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class DeviceCertificateAuthorizerTest {
  private static final CertificateAuthority CA = CertificateAuthority.create("Test CA", Duration.ofDays(1), new SecureRandom());
  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

  private final RevokedCertificates revoked = new RevokedCertificates();
  private final DeviceCertificateAuthorizer authorizer =
      new DeviceCertificateAuthorizer(revoked, Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void verifiesThatADeviceMayPublishBelowItsOwnIdAndOnTheFixedTopicsOnly() {
    BrokerClient device = tls("any-client-id", CA.issueDevice("truck-1", Duration.ofDays(1)).certificate());

    assertThat(authorizer.mayPublish(device, "flexconnect/truck-1/json")).isTrue();
    assertThat(authorizer.mayPublish(device, "flexconnect/truck-1/can")).isTrue();
    assertThat(authorizer.mayPublish(device, "flexconnect/mqtt_topic")).isTrue();
    assertThat(authorizer.mayPublish(device, "flexconnect/mqtt_topic_binary")).isTrue();
    assertThat(authorizer.mayPublish(device, "flexconnect/truck-2/json")).isFalse();
    assertThat(authorizer.mayPublish(device, "flexconnect/truck-1")).isFalse();
    assertThat(authorizer.mayPublish(device, "flexconnect/truck-10/json")).isFalse();
    assertThat(authorizer.mayPublish(device, "other/truck-1/json")).isFalse();
  }

  @Test
  void verifiesThatADeviceMaySubscribeToItsOwnAlertsButNotToOtherDevicesOrEverything() {
    BrokerClient device = tls("truck-1", CA.issueDevice("truck-1", Duration.ofDays(1)).certificate());

    assertThat(authorizer.maySubscribe(device, "flexconnect/truck-1/alerts")).isTrue();
    assertThat(authorizer.maySubscribe(device, "flexconnect/truck-2/alerts")).isFalse();
    assertThat(authorizer.maySubscribe(device, "flexconnect/#")).isFalse();
    assertThat(authorizer.maySubscribe(device, "flexconnect/+/alerts")).isFalse();
  }

  @Test
  void verifiesThatThePlatformCertificateMaySubscribeToEverything() {
    BrokerClient platform = tls("flexconnect-ingest",
        CA.issuePlatformClient("flexconnect-ingest", Duration.ofDays(1)).certificate());

    assertThat(authorizer.mayConnect(platform)).isTrue();
    assertThat(authorizer.maySubscribe(platform, "flexconnect/#")).isTrue();
  }

  @Test
  void verifiesThatARevokedCertificateIsRefusedAtConnectAndAtItsNextPublish() {
    X509Certificate cert = CA.issueDevice("truck-3", Duration.ofDays(1)).certificate();
    BrokerClient device = tls("truck-3", cert);
    assertThat(authorizer.mayConnect(device)).isTrue();

    revoked.revoke(cert.getSerialNumber(), NOW);

    assertThat(authorizer.mayConnect(device)).isFalse();
    assertThat(authorizer.mayPublish(device, "flexconnect/truck-3/json")).isFalse();
  }

  @Test
  void verifiesThatACertificateWithoutAKnownIdentityOrWithATopicWildcardInItsCnIsRefused() {
    X509Certificate server = CA.issueServer(java.util.List.of("localhost"), Duration.ofDays(1)).certificate();
    X509Certificate wildcard = CA.issueClient(CertificateIdentity.Kind.DEVICE, "#", NOW.minusSeconds(60), NOW.plusSeconds(60))
        .certificate();

    assertThat(authorizer.mayConnect(tls("server", server))).isFalse();
    assertThat(authorizer.mayConnect(tls("wild", wildcard))).isFalse();
  }

  @Test
  void verifiesThatTheLoopbackListenerStaysOpen() {
    BrokerClient plain = new BrokerClient("flexconnect-ingest", null, false, null);

    assertThat(authorizer.mayConnect(plain)).isTrue();
    assertThat(authorizer.mayPublish(plain, "flexconnect/anyone/json")).isTrue();
    assertThat(authorizer.maySubscribe(plain, "flexconnect/#")).isTrue();
  }

  private static BrokerClient tls(String clientId, X509Certificate certificate) {
    return new BrokerClient(clientId, null, true, certificate);
  }
}
