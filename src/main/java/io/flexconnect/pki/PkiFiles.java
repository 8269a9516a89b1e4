package io.flexconnect.pki;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform PKI on disk, in the layout Mosquitto's configuration uses too: {@code ca.crt},
 * {@code ca.key}, {@code server.crt}, {@code server.key}. Keys are created with mode 0600 (on
 * POSIX file systems) and never rewritten once they exist. Blocking file I/O: call at start-up or
 * from a worker thread.
 */
public final class PkiFiles {
  public static final String CA_CERT = "ca.crt";
  public static final String CA_KEY = "ca.key";
  public static final String SERVER_CERT = "server.crt";
  public static final String SERVER_KEY = "server.key";
  public static final String CLIENT_CERT = "client.crt";
  public static final String CLIENT_KEY = "client.key";
  public static final String CRL = "ca.crl";
  /** Host names every embedded-broker certificate carries, so local clients always verify. */
  public static final List<String> LOCAL_HOSTS = List.of("localhost", "127.0.0.1");

  static final Duration CA_VALIDITY = Duration.ofDays(3650);
  static final Duration SERVER_VALIDITY = Duration.ofDays(825);
  /** A server certificate this close to its end is replaced at start-up. */
  private static final Duration RENEW_BEFORE = Duration.ofDays(30);

  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private PkiFiles() {}

  /** The loaded platform PKI: the CA and the broker's server certificate with its key. */
  public record PlatformPki(CertificateAuthority ca, Issued server) {}

  /**
   * Loads the CA from {@code dir}, creating it on first start, and a server certificate for
   * {@code localhost}, {@code 127.0.0.1} and {@code extraHosts} (issued again when one is missing
   * from it, or it is about to expire).
   */
  public static PlatformPki loadOrCreate(Path dir, Collection<String> extraHosts, SecureRandom random) {
    CertificateAuthority ca = loadOrCreateCa(dir, random);
    List<String> hosts = hosts(extraHosts);
    Path certFile = dir.resolve(SERVER_CERT);
    Path keyFile = dir.resolve(SERVER_KEY);
    if (Files.isRegularFile(certFile) && Files.isRegularFile(keyFile)) {
      Issued existing = new Issued(Pem.certificate(read(certFile)), Pem.privateKey(read(keyFile)));
      if (covers(existing.certificate(), hosts) && chainsTo(existing.certificate(), ca)
          && existing.notAfter().isAfter(Instant.now().plus(RENEW_BEFORE))) {
        return new PlatformPki(ca, existing);
      }
      log().info("Issuing a new broker server certificate for {} (hosts, issuer or validity changed)", hosts);
    }
    Issued server = ca.issueServer(hosts, SERVER_VALIDITY);
    writeKeyAndCert(keyFile, certFile, server, true);
    return new PlatformPki(ca, server);
  }

  /** The CA alone, created when absent. */
  public static CertificateAuthority loadOrCreateCa(Path dir, SecureRandom random) {
    Path certFile = dir.resolve(CA_CERT);
    Path keyFile = dir.resolve(CA_KEY);
    boolean hasCert = Files.isRegularFile(certFile);
    boolean hasKey = Files.isRegularFile(keyFile);
    if (hasCert && hasKey) {
      return new CertificateAuthority(Pem.certificate(read(certFile)), Pem.privateKey(read(keyFile)), random);
    }
    if (hasCert || hasKey) {
      // Never silently replace half a CA: devices trust the existing certificate.
      throw new PkiException(dir + ": found only one of " + CA_CERT + " and " + CA_KEY + "; restore the other or remove both");
    }
    CertificateAuthority ca = CertificateAuthority.create("Flexconnect Root CA", CA_VALIDITY, random);
    writeKeyAndCert(keyFile, certFile, new Issued(ca.certificate(), ca.key()), false);
    log().info("Created the platform root CA in {}", dir);
    return ca;
  }

  /** Writes {@code ca.crt}, {@code server.crt} and {@code server.key} for an external broker into {@code out}. */
  public static Issued writeServerBundle(CertificateAuthority ca, List<String> hosts, Path out) {
    Issued server = ca.issueServer(hosts, SERVER_VALIDITY);
    writePublic(out.resolve(CA_CERT), ca.certificatePem());
    writeKeyAndCert(out.resolve(SERVER_KEY), out.resolve(SERVER_CERT), server, true);
    return server;
  }

  /** Writes {@code ca.crt}, {@code client.crt} and {@code client.key} of the platform's own client certificate. */
  public static Issued writePlatformClientBundle(CertificateAuthority ca, String name, Duration validity, Path out) {
    Issued client = ca.issuePlatformClient(name, validity);
    writePublic(out.resolve(CA_CERT), ca.certificatePem());
    writeKeyAndCert(out.resolve(CLIENT_KEY), out.resolve(CLIENT_CERT), client, true);
    return client;
  }

  /** Writes {@code ca.crl}: the given revocations, valid for {@code validity}. */
  public static void writeCrl(CertificateAuthority ca, java.util.Map<java.math.BigInteger, Instant> revoked,
      Duration validity, Path out) {
    Instant now = Instant.now();
    writePublic(out.resolve(CRL), Pem.crl(ca.crl(revoked, now, now.plus(validity))));
  }

  static List<String> hosts(Collection<String> extraHosts) {
    Set<String> hosts = new LinkedHashSet<>(LOCAL_HOSTS);
    for (String host : extraHosts) {
      if (!host.isBlank()) {
        hosts.add(host.trim());
      }
    }
    // The first configured name is the one devices are told to use: make it the CN.
    List<String> ordered = new ArrayList<>();
    extraHosts.stream().map(String::trim).filter(h -> !h.isBlank()).findFirst().ifPresent(ordered::add);
    hosts.stream().filter(h -> !ordered.contains(h)).forEach(ordered::add);
    return ordered;
  }

  private static boolean covers(X509Certificate certificate, List<String> hosts) {
    try {
      Set<String> names = new LinkedHashSet<>();
      if (certificate.getSubjectAlternativeNames() != null) {
        certificate.getSubjectAlternativeNames().forEach(entry -> names.add(String.valueOf(entry.get(1))));
      }
      return names.containsAll(hosts);
    } catch (java.security.cert.CertificateParsingException e) {
      return false;
    }
  }

  private static boolean chainsTo(X509Certificate certificate, CertificateAuthority ca) {
    try {
      certificate.verify(ca.certificate().getPublicKey());
      return true;
    } catch (java.security.GeneralSecurityException e) {
      return false;
    }
  }

  private static void writeKeyAndCert(Path keyFile, Path certFile, Issued issued, boolean replace) {
    writeSecret(keyFile, issued.privateKeyPem(), replace);
    writePublic(certFile, issued.certificatePem());
  }

  /** Written to a temporary file created 0600, then moved in place: the key is never readable by others. */
  private static void writeSecret(Path file, String pem, boolean replace) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      if (!replace && Files.exists(file)) {
        throw new FileAlreadyExistsException(file.toString());
      }
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.deleteIfExists(tmp);
      FileAttribute<?>[] attrs = posix(file) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
          : new FileAttribute<?>[0];
      Files.createFile(tmp, attrs);
      Files.writeString(tmp, pem, StandardCharsets.US_ASCII);
      move(tmp, file);
    } catch (IOException e) {
      throw new PkiException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static void writePublic(Path file, String pem) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, pem, StandardCharsets.US_ASCII);
      move(tmp, file);
    } catch (IOException e) {
      throw new PkiException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static boolean posix(Path file) {
    return file.toAbsolutePath().getParent().getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new PkiException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Looked up when something is logged, not in a static field: {@code pki crl} reads the CA and
   * logs nothing, and a logger would set up logging (about 60 classes) for it.
   */
  private static Logger log() {
    return LoggerFactory.getLogger(PkiFiles.class);
  }
}
