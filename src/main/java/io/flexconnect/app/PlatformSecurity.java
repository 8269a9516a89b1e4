package io.flexconnect.app;

import io.flexconnect.pki.CertificateAuthority;
import io.flexconnect.pki.Issued;
import io.flexconnect.pki.PkiConfig;
import io.flexconnect.pki.PkiFiles;
import io.flexconnect.pki.RevokedCertificates;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;

/**
 * The platform's PKI at run time: the CA (loaded or created under {@code pki.dir}), the embedded
 * broker's server certificate, and the in-memory revocation list shared by the broker and
 * provisioning.
 */
record PlatformSecurity(CertificateAuthority ca, Issued server, RevokedCertificates revoked, PkiConfig config) {

  private static final Duration PLATFORM_CLIENT_VALIDITY = Duration.ofDays(825);

  /** Loads the PKI on a worker thread (file I/O and, on first start, key generation). */
  static Future<PlatformSecurity> load(Vertx vertx, PkiConfig config) {
    return vertx.executeBlocking(() -> {
      PkiFiles.PlatformPki pki = PkiFiles.loadOrCreate(config.directory(), config.serverCertificateHosts(), new SecureRandom());
      return new PlatformSecurity(pki.ca(), pki.server(), new RevokedCertificates(), config);
    });
  }

  /** PEM files of a TLS client: the CA to trust, its certificate and its key. */
  record ClientFiles(Path ca, Path certificate, Path key) {}

  /**
   * The platform's client certificate for subscribing over TLS to its own broker when the plain
   * listener is off: {@code client.crt}/{@code client.key} under {@code pki.dir}, issued on first use.
   */
  Future<ClientFiles> platformClientFiles(Vertx vertx, String name) {
    Path dir = config.directory();
    return vertx.executeBlocking(() -> {
      Path cert = dir.resolve(PkiFiles.CLIENT_CERT);
      Path key = dir.resolve(PkiFiles.CLIENT_KEY);
      if (!Files.isRegularFile(cert) || !Files.isRegularFile(key)) {
        PkiFiles.writePlatformClientBundle(ca, name, PLATFORM_CLIENT_VALIDITY, dir);
      }
      return new ClientFiles(dir.resolve(PkiFiles.CA_CERT), cert, key);
    });
  }
}
