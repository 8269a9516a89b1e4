package io.flexconnect.app;

import io.flexconnect.device.Device;
import io.flexconnect.device.DeviceRegistry;
import io.flexconnect.device.ProvisionedDevice;
import io.flexconnect.device.ProvisioningService;
import io.flexconnect.device.Tokens;
import io.flexconnect.pki.CertificateAuthority;
import io.flexconnect.pki.PkiFiles;
import io.flexconnect.pki.RevokedCertificates;
import io.flexconnect.storage.Database;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * {@code device add|provision|rotate|revoke|list}. Tokens are printed once and private keys written
 * once to an owner-only file; the platform keeps only token hashes and certificate serials.
 */
final class DeviceCli {
  static final String USAGE = """
      device add DEVICE_ID [--token TOKEN] [--tenant TENANT]
                               register a device with a token only (for the loopback listener)
      device provision DEVICE_ID [--token TOKEN] [--tenant TENANT] [--out DIR] [--print-key]
                               register a device with a token and a client certificate of the
                               platform CA; writes root-CA.crt, device_cert.pem, device_key.key
                               (mode 0600) and device.json to DIR (default ./DEVICE_ID) and prints
                               the token, endpoint and topics (--print-key: also the files)
      device rotate DEVICE_ID [--out DIR] [--print-key]
                               new token and certificate; the old ones stay valid for
                               pki.rotationGraceSeconds
      device revoke DEVICE_ID  revoke every token and certificate of the device now
      device list [--json]     list registered devices: DEVICE_ID<TAB>TENANT lines, or a JSON array
                               of {"device_id", "tenant_id"}""";

  private DeviceCli() {}

  static int run(List<String> args, FlexconnectConfig config, PrintStream out, PrintStream err) throws Exception {
    if (args.isEmpty()) {
      err.println("usage:\n" + USAGE);
      return 2;
    }
    Args parsed = Args.parse(args.subList(1, args.size()));
    return switch (args.get(0)) {
      case "add" -> {
        if (parsed.positional().size() != 1) {
          err.println("usage: " + USAGE.lines().findFirst().orElseThrow());
          yield 2;
        }
        String deviceId = parsed.positional().get(0);
        String token = parsed.option("token", Tokens.generate(new SecureRandom()));
        String tenant = parsed.option("tenant", "default");
        yield withRegistry(config, (vertx, registry) -> registry.add(deviceId, tenant, token).map(device -> {
          out.println("device_id: " + device.deviceId());
          out.println("tenant_id: " + device.tenantId());
          out.println("token:     " + token);
          out.println("(the token is shown only now; the platform keeps only its hash)");
          return 0;
        }), err);
      }
      case "provision", "rotate" -> {
        if (parsed.positional().size() != 1) {
          err.println("usage:\n" + USAGE);
          yield 2;
        }
        String deviceId = parsed.positional().get(0);
        Path dir = Path.of(parsed.option("out", deviceId));
        boolean printKey = parsed.flag("print-key");
        CertificateAuthority ca = PkiFiles.loadOrCreateCa(config.pki().directory(), new SecureRandom());
        boolean provision = args.get(0).equals("provision");
        yield withRegistry(config, (vertx, registry) -> {
          ProvisioningService service = provisioning(vertx, registry, ca, config);
          Future<ProvisionedDevice> result = provision
              ? service.provision(deviceId, parsed.option("tenant", "default"), parsed.option("token", null))
              : service.rotate(deviceId);
          return result.compose(device -> vertx.executeBlocking(() -> {
            write(device, dir, printKey, out);
            return 0;
          }));
        }, err);
      }
      case "revoke" -> {
        if (parsed.positional().size() != 1) {
          err.println("usage:\n" + USAGE);
          yield 2;
        }
        String deviceId = parsed.positional().get(0);
        yield withRegistry(config, (vertx, registry) -> registry.revoke(deviceId).map(ended -> {
          out.println("revoked every credential of " + deviceId + " (" + ended.size() + " certificates)");
          out.println("a running platform refuses them within pki.revocationRefreshSeconds ("
              + config.pki().revocationRefreshSeconds() + " s)");
          return 0;
        }), err);
      }
      case "list" -> CliDatabase.read(config, err, DeviceRegistry::list, devices -> {
        if (parsed.flag("json")) {
          out.println(CliJson.array(devices, (d, json) -> json.put("device_id", d.deviceId()).put("tenant_id", d.tenantId())));
          return 0;
        }
        for (Device d : devices) {
          out.println(d.deviceId() + "\t" + d.tenantId());
        }
        return 0;
      });
      default -> {
        err.println("unknown device command '" + args.get(0) + "'\nusage:\n" + USAGE);
        yield 2;
      }
    };
  }

  private static ProvisioningService provisioning(Vertx vertx, DeviceRegistry registry, CertificateAuthority ca,
      FlexconnectConfig config) {
    return new ProvisioningService(vertx, registry, ca, new RevokedCertificates(), config.pki().deviceCertValidity(),
        config.pki().rotationGrace(), deviceEndpoint(config));
  }

  /** What devices are told: pki.deviceEndpoint, the external broker, or the embedded TLS listener (advertised host). */
  static String deviceEndpoint(FlexconnectConfig config) {
    return config.pki().deviceEndpointFor(config.mqtt().url(), "mqtts", config.broker().tlsPort());
  }

  /**
   * Writes the bundle to {@code dir} (the private key owner-only, {@code 0600}) and prints the token,
   * endpoint and topics; the files' contents, the private key among them, only with {@code printFiles}.
   * This is the only time the key and token exist outside the device.
   */
  static void write(ProvisionedDevice device, Path dir, boolean printFiles, PrintStream out) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    for (Map.Entry<String, String> file : device.files().entrySet()) {
      Path target = dir.resolve(file.getKey());
      Files.deleteIfExists(target);
      if (file.getKey().equals(ProvisionedDevice.KEY_FILE)) {
        Files.createFile(target, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      }
      Files.writeString(target, file.getValue(), StandardCharsets.US_ASCII);
    }
    Files.writeString(dir.resolve(ProvisionedDevice.INFO_FILE), device.description().encodePrettily());
    out.println("device_id: " + device.deviceId());
    out.println("tenant_id: " + device.tenantId());
    out.println("token:     " + device.token());
    out.println("endpoint:  " + device.endpoint() + "  (host " + device.host() + ", port " + device.port() + ")");
    out.println("topics:    " + device.jsonTopic() + "  " + device.canTopic() + "  alerts: " + device.alertsTopic());
    out.println("certificate serial " + device.certificateSerial().toString(16) + ", valid until "
        + device.certificateNotAfter());
    out.println("files:     " + dir.toAbsolutePath() + "/{" + String.join(",", device.files().keySet()) + ","
        + ProvisionedDevice.INFO_FILE + "}  (" + ProvisionedDevice.KEY_FILE + " owner-only)");
    if (printFiles) {
      for (Map.Entry<String, String> file : device.files().entrySet()) {
        out.println();
        out.println("--- " + file.getKey() + " ---");
        out.print(file.getValue());
      }
    }
    out.println("(the token and the private key are given only now; the platform keeps neither)");
  }

  /** Runs {@code action} against the configured database (migrated first) and returns its exit code. */
  static int withRegistry(FlexconnectConfig config,
      BiFunction<Vertx, DeviceRegistry, Future<Integer>> action, PrintStream err) throws Exception {
    return CliDatabase.change(config, 60, err, registry(action));
  }

  private static BiFunction<Vertx, FlexconnectConfig, Future<Integer>> registry(
      BiFunction<Vertx, DeviceRegistry, Future<Integer>> action) {
    return (vertx, resolved) -> {
      Pool pool = Database.pool(vertx, resolved.db(), 1);
      return action.apply(vertx, new DeviceRegistry(pool)).eventually(pool::close);
    };
  }

}
