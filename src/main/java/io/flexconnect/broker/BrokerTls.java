package io.flexconnect.broker;

import java.util.Objects;

/**
 * The embedded broker's TLS listener: its server certificate and the CA whose client certificates
 * it accepts (a client certificate is required; expired ones and ones from other CAs fail the
 * handshake).
 *
 * @param host                   interface to bind to (devices connect from outside: usually {@code 0.0.0.0})
 * @param port                   TCP port; {@code 0} picks a free one (read it with
 *                               {@link EmbeddedBrokerVerticle#actualTlsPort()})
 * @param certificatePem         the server certificate (PEM)
 * @param privateKeyPem          its private key (PKCS#8 PEM)
 * @param clientCaCertificatePem the CA that issues client certificates (PEM)
 */
public record BrokerTls(String host, int port, String certificatePem, String privateKeyPem, String clientCaCertificatePem) {

  public BrokerTls {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(certificatePem, "certificatePem");
    Objects.requireNonNull(privateKeyPem, "privateKeyPem");
    Objects.requireNonNull(clientCaCertificatePem, "clientCaCertificatePem");
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("TLS port must be in 0..65535, was " + port);
    }
  }

  /** Never the key. */
  @Override
  public String toString() {
    return "BrokerTls[" + host + ":" + port + "]";
  }
}
