package io.flexconnect.broker;

import io.flexconnect.pki.CertificateIdentity;
import io.flexconnect.pki.RevokedCertificates;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.WeakHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Access rules of the TLS listener, where every client holds a certificate of the platform CA
 * (the handshake already refused expired ones and ones of other CAs):
 * <ul>
 *   <li>a revoked certificate is refused at CONNECT, and a connection whose certificate is revoked
 *       later is closed at its next PUBLISH;</li>
 *   <li>a device ({@code OU=device}) is the certificate's CN, whatever client id it sends; it may
 *       publish to {@code flexconnect/<its id>/…} and to the guide's fixed topics
 *       {@code flexconnect/mqtt_topic} and {@code flexconnect/mqtt_topic_binary} (ingestion checks the
 *       token's device there), and subscribe only below {@code flexconnect/<its id>/} (its alerts);</li>
 *   <li>the platform's own certificate ({@code OU=platform}) may do everything.</li>
 * </ul>
 * The plain listener binds to loopback only and stays trusted: everything is allowed there.
 * One instance per broker: it caches identities on the broker's event loop.
 */
public final class DeviceCertificateAuthorizer implements BrokerAuthorizer {
  private static final Logger log = LoggerFactory.getLogger(DeviceCertificateAuthorizer.class);
  static final String ROOT = "flexconnect/";
  static final String FIXED_JSON_TOPIC = "flexconnect/mqtt_topic";
  static final String FIXED_BINARY_TOPIC = "flexconnect/mqtt_topic_binary";

  private final RevokedCertificates revoked;
  private final Clock clock;
  /**
   * Identity per certificate object, so a publish costs no subject parsing. Weak keys: an entry
   * goes with the last connection holding its certificate. Touched only on the broker's event loop.
   */
  private final Map<X509Certificate, Optional<CertificateIdentity>> identities = new WeakHashMap<>();

  public DeviceCertificateAuthorizer(RevokedCertificates revoked, Clock clock) {
    this.revoked = Objects.requireNonNull(revoked, "revoked");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public boolean mayConnect(BrokerClient client) {
    if (!client.tls()) {
      return true;
    }
    Optional<CertificateIdentity> identity = identity(client);
    if (identity.isEmpty()) {
      log.warn("Refusing client {}: its certificate names no device or platform identity", client.clientId());
      return false;
    }
    if (isRevoked(client)) {
      log.warn("Refusing {} '{}': certificate {} is revoked", identity.get().kind(), identity.get().name(),
          client.certificate().getSerialNumber().toString(16));
      return false;
    }
    return true;
  }

  @Override
  public boolean mayPublish(BrokerClient client, String topic) {
    if (!client.tls()) {
      return true;
    }
    if (isRevoked(client)) {
      return false;
    }
    Optional<CertificateIdentity> identity = identity(client);
    if (identity.isEmpty()) {
      return false;
    }
    if (identity.get().kind() == CertificateIdentity.Kind.PLATFORM) {
      return true;
    }
    return topic.startsWith(deviceRoot(identity.get().name()))
        || topic.equals(FIXED_JSON_TOPIC) || topic.equals(FIXED_BINARY_TOPIC);
  }

  @Override
  public boolean maySubscribe(BrokerClient client, String topicFilter) {
    if (!client.tls()) {
      return true;
    }
    Optional<CertificateIdentity> identity = identity(client);
    if (identity.isEmpty() || isRevoked(client)) {
      return false;
    }
    return identity.get().kind() == CertificateIdentity.Kind.PLATFORM
        || topicFilter.startsWith(deviceRoot(identity.get().name()));
  }

  private boolean isRevoked(BrokerClient client) {
    return client.certificate() == null || revoked.isRevoked(client.certificate().getSerialNumber(), clock.instant());
  }

  private Optional<CertificateIdentity> identity(BrokerClient client) {
    if (client.certificate() == null) {
      return Optional.empty();
    }
    return identities.computeIfAbsent(client.certificate(), DeviceCertificateAuthorizer::parseIdentity);
  }

  /** The CN must be usable as one topic level: no separator, no wildcard. */
  private static Optional<CertificateIdentity> parseIdentity(X509Certificate certificate) {
    return CertificateIdentity.of(certificate)
        .filter(id -> !id.name().isEmpty() && id.name().chars().noneMatch(c -> c == '/' || c == '+' || c == '#' || c < 0x20));
  }

  private static String deviceRoot(String deviceId) {
    return ROOT + deviceId + "/";
  }
}
