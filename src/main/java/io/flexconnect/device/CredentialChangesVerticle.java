package io.flexconnect.device;

import io.flexconnect.storage.Database;
import io.flexconnect.storage.DatabaseConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices credential changes made by another process (the CLI, another instance) and announces each
 * changed device on {@link DeviceAddresses#CREDENTIALS_CHANGED}, so this JVM's credential caches
 * drop it within {@code refreshMs}: a revocation is refused, a new token or device accepted, and a
 * rotated-out token refused once its grace ends, without waiting for the cache time.
 *
 * <p>Each poll asks for credentials created, or whose revocation took effect, since the previous
 * poll's database time less one interval: a change committed by a transaction that began before
 * the previous poll is still seen, and a device announced twice costs one extra lookup.
 */
public final class CredentialChangesVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(CredentialChangesVerticle.class);
  private static final String CHANGED = """
      SELECT now() AS polled_at, ARRAY(SELECT DISTINCT c.device_id FROM device_credentials c
        WHERE c.created_at > $1 OR (c.revoked_at > $1 AND c.revoked_at <= now())) AS devices
      """;

  private final DatabaseConfig database;
  private final long refreshMs;
  private Pool pool;
  private OffsetDateTime since;
  private boolean failing;

  public CredentialChangesVerticle(DatabaseConfig database, long refreshMs) {
    this.database = database;
    this.refreshMs = refreshMs;
  }

  @Override
  public Future<?> start() {
    pool = Database.pool(vertx, database, 1);
    // The first poll only fixes the starting point: the caches are empty before the platform starts.
    return pool.query("SELECT now()").execute().onSuccess(rows -> {
      since = rows.iterator().next().getOffsetDateTime(0);
      vertx.setPeriodic(refreshMs, id -> poll());
    });
  }

  @Override
  public Future<?> stop() {
    return pool.close();
  }

  private void poll() {
    pool.preparedQuery(CHANGED).execute(Tuple.of(since))
        .onSuccess(rows -> {
          Row row = rows.iterator().next();
          since = row.getOffsetDateTime("polled_at").minusNanos(refreshMs * 1_000_000L);
          String[] devices = row.getArrayOfStrings("devices");
          for (String deviceId : devices) {
            vertx.eventBus().publish(DeviceAddresses.CREDENTIALS_CHANGED, deviceId);
          }
          if (devices.length > 0) {
            log.debug("Credentials changed elsewhere for {} devices", devices.length);
          }
          if (failing) {
            log.info("Credential changes are noticed again");
            failing = false;
          }
        })
        .onFailure(err -> {
          if (!failing) {
            log.warn("Cannot poll credential changes ({}); cached credentials apply for up to "
                + "ingest.deviceCacheSeconds", err.getMessage());
            failing = true;
          }
        });
  }
}
