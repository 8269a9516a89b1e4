package io.flexconnect.pki;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A root CA and the certificates it issues. Thread-safe (immutable state; {@link SecureRandom} is
 * thread-safe). Signing is CPU work: call it off event loops.
 */
public final class CertificateAuthority {
  private static final String SIGNATURE = "SHA256withECDSA";
  /** Tolerates devices whose clock runs a little behind the platform's. */
  private static final Duration BACKDATE = Duration.ofMinutes(5);

  private final X509Certificate certificate;
  private final PrivateKey key;
  private final SecureRandom random;

  public CertificateAuthority(X509Certificate certificate, PrivateKey key, SecureRandom random) {
    this.certificate = Objects.requireNonNull(certificate, "certificate");
    this.key = Objects.requireNonNull(key, "key");
    this.random = Objects.requireNonNull(random, "random");
  }

  /** A new self-signed root CA. */
  public static CertificateAuthority create(String commonName, Duration validity, SecureRandom random) {
    KeyPair pair = newKeyPair(random);
    X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.O, "Flexconnect").addRDN(BCStyle.CN, commonName).build();
    Instant now = Instant.now();
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(random),
          Date.from(now.minus(BACKDATE)), Date.from(now.plus(validity)), subject, pair.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(pair.getPublic()));
      X509Certificate cert = sign(builder, pair.getPrivate());
      return new CertificateAuthority(cert, pair.getPrivate(), random);
    } catch (GeneralSecurityException | CertIOException e) {
      throw new PkiException("cannot create the root CA", e);
    }
  }

  /** A fresh EC P-256 key pair. */
  public KeyPair newKeyPair() {
    return newKeyPair(random);
  }

  public static KeyPair newKeyPair(SecureRandom random) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), random);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new PkiException("EC P-256 is required by every Java runtime", e);
    }
  }

  /** A device's client certificate: {@code CN=deviceId, OU=device}, valid from now for {@code validity}. */
  public Issued issueDevice(String deviceId, Duration validity) {
    Instant now = Instant.now();
    return issueClient(CertificateIdentity.Kind.DEVICE, deviceId, now.minus(BACKDATE), now.plus(validity));
  }

  /** A client certificate with an explicit validity window (tests use it for expired certificates). */
  public Issued issueClient(CertificateIdentity.Kind kind, String name, Instant notBefore, Instant notAfter) {
    KeyPair pair = newKeyPair();
    X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.O, "Flexconnect").addRDN(BCStyle.OU, kind.unit).addRDN(BCStyle.CN, literal(name)).build();
    return new Issued(issue(subject, pair.getPublic(), notBefore, notAfter,
        KeyPurposeId.id_kp_clientAuth, null), pair.getPrivate());
  }

  /** The platform's own client certificate, for subscribing through a broker that requires one. */
  public Issued issuePlatformClient(String name, Duration validity) {
    Instant now = Instant.now();
    return issueClient(CertificateIdentity.Kind.PLATFORM, name, now.minus(BACKDATE), now.plus(validity));
  }

  /** A broker's server certificate for the given DNS names and IP addresses (the first is the CN). */
  public Issued issueServer(List<String> hosts, Duration validity) {
    if (hosts.isEmpty()) {
      throw new PkiException("a server certificate needs at least one host name");
    }
    KeyPair pair = newKeyPair();
    List<GeneralName> names = new ArrayList<>();
    for (String host : hosts) {
      names.add(isIpLiteral(host) ? new GeneralName(GeneralName.iPAddress, host) : new GeneralName(GeneralName.dNSName, host));
    }
    X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.O, "Flexconnect").addRDN(BCStyle.CN, literal(hosts.get(0))).build();
    Instant now = Instant.now();
    return new Issued(issue(subject, pair.getPublic(), now.minus(BACKDATE), now.plus(validity),
        KeyPurposeId.id_kp_serverAuth, new GeneralNames(names.toArray(GeneralName[]::new))), pair.getPrivate());
  }

  /**
   * A CRL of the given revoked serials (for brokers, such as Mosquitto, that check revocation only
   * through a CRL file), valid until {@code nextUpdate}: it must be written again before then.
   */
  public X509CRL crl(Map<BigInteger, Instant> revoked, Instant thisUpdate, Instant nextUpdate) {
    try {
      X509v2CRLBuilder builder = new JcaX509v2CRLBuilder(certificate, Date.from(thisUpdate))
          .setNextUpdate(Date.from(nextUpdate))
          .addExtension(Extension.authorityKeyIdentifier, false,
              new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(certificate))
          .addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(thisUpdate.toEpochMilli())));
      revoked.forEach((serial, at) -> builder.addCRLEntry(serial, Date.from(at), CRLReason.unspecified));
      ContentSigner signer = new JcaContentSignerBuilder(SIGNATURE).build(key);
      return new JcaX509CRLConverter().getCRL(builder.build(signer));
    } catch (GeneralSecurityException | CertIOException | OperatorCreationException e) {
      throw new PkiException("cannot sign the CRL", e);
    }
  }

  public X509Certificate certificate() {
    return certificate;
  }

  public PrivateKey key() {
    return key;
  }

  public String certificatePem() {
    return Pem.certificate(certificate);
  }

  private X509Certificate issue(X500Name subject, PublicKey publicKey, Instant notBefore, Instant notAfter,
      KeyPurposeId purpose, GeneralNames alternativeNames) {
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, serial(random),
          Date.from(notBefore), Date.from(notAfter), subject, publicKey)
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement))
          .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose))
          .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(publicKey))
          .addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(certificate));
      if (alternativeNames != null) {
        builder.addExtension(Extension.subjectAlternativeName, false, alternativeNames);
      }
      return sign(builder, key);
    } catch (GeneralSecurityException | CertIOException e) {
      throw new PkiException("cannot issue a certificate for " + subject, e);
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signingKey)
      throws GeneralSecurityException {
    try {
      ContentSigner signer = new JcaContentSignerBuilder(SIGNATURE).build(signingKey);
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    } catch (OperatorCreationException e) {
      throw new PkiException("cannot create a " + SIGNATURE + " signer", e);
    }
  }

  /** The name as it is: BouncyCastle would read a leading '#' of a plain string as hex-encoded DER. */
  private static DERUTF8String literal(String name) {
    return new DERUTF8String(name);
  }

  private static BigInteger serial(SecureRandom random) {
    return new BigInteger(159, random).setBit(158); // positive, 20 octets at most, never zero
  }

  static boolean isIpLiteral(String host) {
    if (!host.matches("[0-9.]+|[0-9a-fA-F:]*:[0-9a-fA-F:.]*")) {
      return false;
    }
    try {
      InetAddress.getByName(host); // a literal: no lookup happens
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
