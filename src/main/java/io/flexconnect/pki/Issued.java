package io.flexconnect.pki;

import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;

/** A freshly issued certificate with its private key (which the platform keeps only for its own certificates). */
public record Issued(X509Certificate certificate, PrivateKey privateKey) {

  public BigInteger serial() {
    return certificate.getSerialNumber();
  }

  public Instant notAfter() {
    return certificate.getNotAfter().toInstant();
  }

  public String certificatePem() {
    return Pem.certificate(certificate);
  }

  public String privateKeyPem() {
    return Pem.privateKey(privateKey);
  }

  /** Never the key material: records print their components by default. */
  @Override
  public String toString() {
    return "Issued[" + certificate.getSubjectX500Principal() + ", serial " + serial().toString(16) + "]";
  }
}
