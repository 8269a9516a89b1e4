package io.flexconnect.testing;

import io.flexconnect.auth.ApiKeyStore;
import io.flexconnect.storage.Database;
import io.flexconnect.storage.DatabaseConfig;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;

/** API keys for tests, through the service the CLI uses. */
public final class TestApiKeys {
  private TestApiKeys() {}

  /** A new key of {@code tenantId} in the database of {@code db}. */
  public static String create(Vertx vertx, DatabaseConfig db, String tenantId) {
    return create(vertx, db, tenantId, false);
  }

  /** A new key of {@code tenantId}; {@code operator}: one that also sees rejections of no tenant. */
  public static String create(Vertx vertx, DatabaseConfig db, String tenantId, boolean operator) {
    Pool pool = Database.pool(vertx, db, 1);
    try {
      return Await.result(new ApiKeyStore(pool).create(tenantId, "test", operator)).key();
    } finally {
      Await.result(pool.close());
    }
  }

  /** Revokes {@code key}. */
  public static void revoke(Vertx vertx, DatabaseConfig db, String key) {
    Pool pool = Database.pool(vertx, db, 1);
    try {
      Await.result(new ApiKeyStore(pool).revoke(io.flexconnect.auth.ApiKeys.idOf(key).orElseThrow()));
    } finally {
      Await.result(pool.close());
    }
  }
}
