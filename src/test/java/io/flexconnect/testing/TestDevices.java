package io.flexconnect.testing;

import io.flexconnect.device.DeviceRegistry;
import io.flexconnect.storage.Database;
import io.flexconnect.storage.DatabaseConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Devices for tests, registered through the service the CLI and REST API use. */
public final class TestDevices {
  private TestDevices() {}

  /** Registers each device of {@code tokensById} (device id → token) in tenant {@code default}. */
  public static void register(Vertx vertx, DatabaseConfig db, Map<String, String> tokensById) {
    register(vertx, db, "default", tokensById);
  }

  /** Registers each device of {@code tokensById} (device id → token) in {@code tenantId}. */
  public static void register(Vertx vertx, DatabaseConfig db, String tenantId, Map<String, String> tokensById) {
    Pool pool = Database.pool(vertx, db, 2);
    try {
      DeviceRegistry registry = new DeviceRegistry(pool);
      List<Future<?>> added = new ArrayList<>();
      tokensById.forEach((device, token) -> added.add(registry.add(device, tenantId, token)));
      Await.result(Future.all(added));
    } finally {
      Await.result(pool.close());
    }
  }
}
