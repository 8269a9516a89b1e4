package io.flexconnect.app;

import io.flexconnect.device.DeviceRegistry;
import io.flexconnect.pki.CertificateAuthority;
import io.flexconnect.pki.Issued;
import io.flexconnect.pki.PkiFiles;
import java.io.PrintStream;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;

/**
 * {@code pki server-cert} and {@code pki client-cert}: certificates of the platform CA (loaded or
 * created under {@code pki.dir}) for running Flexconnect behind an external broker with mTLS, such
 * as the Mosquitto configuration in {@code docker/mosquitto/}.
 */
final class PkiCli {
  static final String USAGE = """
      pki server-cert --host HOST [--host HOST ...] --out DIR
                               write ca.crt, server.crt and server.key for an external broker
                               reachable as HOST and as pki.advertisedHost when that is set
                               (e.g. docker/mosquitto's /mosquitto/certs)
      pki client-cert [--name NAME] --out DIR
                               write ca.crt, client.crt and client.key: the platform's own client
                               certificate (CN=NAME, default platform@flexconnect) for
                               mqtt.certFile/keyFile
      pki crl [--days N] --out DIR
                               write ca.crl: every revoked device certificate not yet expired,
                               valid N days (default 7; write it again before then), for
                               Mosquitto's crlfile""";

  private static final Duration CLIENT_VALIDITY = Duration.ofDays(825);
  /** '@' is outside the device-id alphabet, so no device certificate can carry this CN (see docker/mosquitto/acl). */
  static final String PLATFORM_NAME = "platform@flexconnect";

  private PkiCli() {}

  static int run(List<String> args, FlexconnectConfig config, PrintStream out, PrintStream err) throws Exception {
    if (args.isEmpty()) {
      err.println("usage:\n" + USAGE);
      return 2;
    }
    Args parsed = Args.parse(args.subList(1, args.size()));
    String outDir = parsed.option("out", null);
    if (outDir == null || outDir.equals("true")) {
      err.println("--out DIR is required\nusage:\n" + USAGE);
      return 2;
    }
    Path dir = Path.of(outDir);
    switch (args.get(0)) {
      case "server-cert" -> {
        // The advertised host (pki.advertisedHost) is the name devices are given: always in the certificate.
        List<String> hosts = new ArrayList<>(config.pki().externalServerHosts());
        parsed.all("host").stream().filter(h -> !hosts.contains(h)).forEach(hosts::add);
        if (hosts.isEmpty()) {
          err.println("--host HOST (or FLEXCONNECT_PKI_ADVERTISED_HOST) is required (the name devices and the platform"
              + " connect to)\nusage:\n" + USAGE);
          return 2;
        }
        CertificateAuthority ca = PkiFiles.loadOrCreateCa(config.pki().directory(), new SecureRandom());
        Issued server = PkiFiles.writeServerBundle(ca, hosts, dir);
        out.println("wrote " + dir.resolve(PkiFiles.CA_CERT) + ", " + dir.resolve(PkiFiles.SERVER_CERT) + ", "
            + dir.resolve(PkiFiles.SERVER_KEY) + " (mode 0600)");
        out.println("server certificate for " + String.join(", ", hosts) + ", valid until " + server.notAfter());
        return 0;
      }
      case "client-cert" -> {
        String name = parsed.option("name", PLATFORM_NAME);
        CertificateAuthority ca = PkiFiles.loadOrCreateCa(config.pki().directory(), new SecureRandom());
        Issued client = PkiFiles.writePlatformClientBundle(ca, name, CLIENT_VALIDITY, dir);
        out.println("wrote " + dir.resolve(PkiFiles.CA_CERT) + ", " + dir.resolve(PkiFiles.CLIENT_CERT) + ", "
            + dir.resolve(PkiFiles.CLIENT_KEY) + " (mode 0600)");
        out.println("platform client certificate CN=" + name + ", valid until " + client.notAfter());
        out.println("use it with: FLEXCONNECT_MQTT_URL=mqtts://HOST:8883 FLEXCONNECT_MQTT_CA_FILE="
            + dir.resolve(PkiFiles.CA_CERT) + " FLEXCONNECT_MQTT_CERT_FILE=" + dir.resolve(PkiFiles.CLIENT_CERT)
            + " FLEXCONNECT_MQTT_KEY_FILE=" + dir.resolve(PkiFiles.CLIENT_KEY));
        return 0;
      }
      case "crl" -> {
        int days = Integer.parseInt(parsed.option("days", "7"));
        CertificateAuthority ca = PkiFiles.loadOrCreateCa(config.pki().directory(), new SecureRandom());
        return CliDatabase.read(config, err, DeviceRegistry::revokedCertificates, list -> {
          Instant now = Instant.now();
          Map<BigInteger, Instant> effective = new HashMap<>();
          // Rotated-out certificates whose grace period is still running are not revoked yet.
          list.stream().filter(r -> !r.from().isAfter(now)).forEach(r -> effective.put(r.serial(), r.from()));
          PkiFiles.writeCrl(ca, effective, Duration.ofDays(days), dir);
          out.println("wrote " + dir.resolve(PkiFiles.CRL) + " with " + effective.size()
              + " revoked certificates, valid " + days + " days");
          return 0;
        });
      }
      default -> {
        err.println("unknown pki command '" + args.get(0) + "'\nusage:\n" + USAGE);
        return 2;
      }
    }
  }
}
