package io.flexconnect.device;

import io.flexconnect.pki.CertificateAuthority;
import io.flexconnect.pki.Issued;
import io.flexconnect.pki.RevokedCertificates;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provisions, rotates and revokes device credentials: a token (stored as a hash) and a client
 * certificate from the platform CA (whose private key is returned once and never stored).
 * Key generation and signing run on a worker thread, never on an event loop. Revocations take
 * effect in this JVM at once (broker and ingest caches); elsewhere within the refresh interval.
 */
public final class ProvisioningService {
  private static final Logger log = LoggerFactory.getLogger(ProvisioningService.class);

  private final Vertx vertx;
  private final DeviceRegistry registry;
  private final CertificateAuthority ca;
  private final RevokedCertificates revoked;
  private final Duration certValidity;
  private final Duration grace;
  private final String endpoint;
  private final SecureRandom random = new SecureRandom();

  public ProvisioningService(Vertx vertx, DeviceRegistry registry, CertificateAuthority ca, RevokedCertificates revoked,
      Duration certValidity, Duration grace, String endpoint) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.ca = Objects.requireNonNull(ca, "ca");
    this.revoked = Objects.requireNonNull(revoked, "revoked");
    this.certValidity = certValidity;
    this.grace = grace;
    this.endpoint = endpoint;
  }

  /**
   * Registers a device with a new certificate and the given token (a random one when {@code null}).
   * Fails with {@link DeviceRegistry.DeviceException} for an invalid or taken id or token.
   */
  public Future<ProvisionedDevice> provision(String deviceId, String tenantId, String token) {
    if (!DeviceRegistry.isValidId(deviceId)) {
      // Checked before signing: the CN must never carry an id the registry would refuse.
      return Future.failedFuture(new DeviceRegistry.DeviceException(
          "invalid device id '" + deviceId + "': use 1-128 letters, digits, '.', '_', ':' or '-'"));
    }
    String tenant = tenantId == null || tenantId.isBlank() ? "default" : tenantId;
    String secret = token == null || token.isEmpty() ? Tokens.generate(random) : token;
    return issue(deviceId).compose(issued -> registry.add(deviceId, tenant, secret, issued.serial(), issued.notAfter())
        .map(device -> bundle(deviceId, tenant, secret, issued)))
        .onSuccess(p -> log.info("Provisioned device {} (tenant {}, certificate {})", deviceId, tenant,
            p.certificateSerial().toString(16)));
  }

  /** New token and certificate; the current ones stay valid for the grace period. */
  public Future<ProvisionedDevice> rotate(String deviceId) {
    String secret = Tokens.generate(random);
    return registry.findById(deviceId).compose(found -> found.isEmpty()
        ? Future.failedFuture(new DeviceRegistry.DeviceException(DeviceRegistry.DeviceException.Kind.NOT_FOUND,
            "no device '" + deviceId + "' is registered"))
        : issue(deviceId).compose(issued -> registry.rotate(deviceId, secret, issued.serial(), issued.notAfter(), grace)
            .map(ended -> {
              ended.forEach(r -> revoked.revoke(r.serial(), r.from()));
              changed(deviceId);
              log.info("Rotated the credentials of device {}; the previous ones end after {}", deviceId, grace);
              return bundle(deviceId, found.get().tenantId(), secret, issued);
            })));
  }

  /** Revokes every token and certificate of the device, effective now. */
  public Future<List<CertificateRevocation>> revoke(String deviceId) {
    return registry.revoke(deviceId).onSuccess(ended -> {
      ended.forEach(r -> revoked.revoke(r.serial(), r.from()));
      changed(deviceId);
      log.info("Revoked all credentials of device {} ({} certificates)", deviceId, ended.size());
    });
  }

  /** Every credential of the device with its state now (see {@link DeviceRegistry#credentials}). */
  public Future<List<DeviceRegistry.CredentialState>> credentials(String deviceId) {
    return registry.credentials(deviceId);
  }

  private Future<Issued> issue(String deviceId) {
    return vertx.executeBlocking(() -> ca.issueDevice(deviceId, certValidity), false);
  }

  private void changed(String deviceId) {
    vertx.eventBus().publish(DeviceAddresses.CREDENTIALS_CHANGED, deviceId);
  }

  private ProvisionedDevice bundle(String deviceId, String tenantId, String token, Issued issued) {
    return new ProvisionedDevice(deviceId, tenantId, token, ca.certificatePem(), issued.certificatePem(),
        issued.privateKeyPem(), issued.serial(), issued.notAfter(), endpoint);
  }
}
