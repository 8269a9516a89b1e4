package io.flexconnect.device;

import io.flexconnect.pki.RevokedCertificates;
import io.flexconnect.storage.Database;
import io.flexconnect.storage.DatabaseConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the in-memory revocation list in step with the registry, so revocations made by another
 * process (the CLI, another instance) reach this JVM's broker within {@code refreshMs}. Revocations
 * made here through {@link ProvisioningService} need no refresh: they apply at once.
 */
public final class RevocationSyncVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(RevocationSyncVerticle.class);

  private final DatabaseConfig database;
  private final RevokedCertificates revoked;
  private final long refreshMs;
  private Pool pool;
  private DeviceRegistry registry;
  private boolean failing;

  public RevocationSyncVerticle(DatabaseConfig database, RevokedCertificates revoked, long refreshMs) {
    this.database = database;
    this.revoked = revoked;
    this.refreshMs = refreshMs;
  }

  @Override
  public Future<?> start() {
    pool = Database.pool(vertx, database, 1);
    registry = new DeviceRegistry(pool);
    // The first load completes before the platform accepts devices: no revoked certificate slips through a restart.
    return refresh().onSuccess(v -> vertx.setPeriodic(refreshMs, id -> refresh()));
  }

  @Override
  public Future<?> stop() {
    return pool.close();
  }

  private Future<Void> refresh() {
    return registry.revokedCertificates()
        .onSuccess(list -> {
          list.forEach(r -> revoked.revoke(r.serial(), r.from()));
          if (failing) {
            log.info("Revocation list refreshed again ({} entries)", revoked.size());
            failing = false;
          }
        })
        .onFailure(err -> {
          if (!failing) {
            log.warn("Cannot refresh the revocation list ({}); keeping the last one", err.getMessage());
            failing = true;
          }
        })
        .mapEmpty();
  }
}
