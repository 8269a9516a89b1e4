package io.flexconnect.pki;

import java.security.cert.X509Certificate;
import java.util.Optional;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * Who a client certificate issued by the platform CA names: a device (its id is the CN) or the
 * platform itself. The organisational unit says which, so a device cannot be named like the platform.
 */
public record CertificateIdentity(Kind kind, String name) {

  public enum Kind {
    DEVICE("device"),
    PLATFORM("platform");

    final String unit;

    Kind(String unit) {
      this.unit = unit;
    }
  }

  /** The identity in the certificate's subject, empty when it has no CN or an unknown OU. */
  public static Optional<CertificateIdentity> of(X509Certificate certificate) {
    X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
    String cn = single(subject, BCStyle.CN);
    String ou = single(subject, BCStyle.OU);
    if (cn == null || ou == null) {
      return Optional.empty();
    }
    for (Kind kind : Kind.values()) {
      if (kind.unit.equals(ou)) {
        return Optional.of(new CertificateIdentity(kind, cn));
      }
    }
    return Optional.empty();
  }

  private static String single(X500Name name, org.bouncycastle.asn1.ASN1ObjectIdentifier type) {
    RDN[] rdns = name.getRDNs(type);
    return rdns.length == 1 ? IETFUtils.valueToString(rdns[0].getFirst().getValue()) : null;
  }
}
