package io.flexconnect.device;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexconnect.app.ConfigLoader;
import io.flexconnect.app.FlexconnectConfig;
import io.flexconnect.storage.Database;
import io.flexconnect.storage.SchemaMigrator;
import io.flexconnect.testing.Await;
import io.flexconnect.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A database created before device credentials existed keeps its devices' tokens working. */
class DeviceCredentialsMigrationTest {

  @Test
  void verifiesThatTokensRegisteredBeforeTheCredentialsTableStillAuthenticateAfterMigrating() throws Exception {
    String url = TestDatabase.newDatabase("credentials_migration");
    TestDatabase.jdbc(url, conn -> {
      try (var st = conn.createStatement()) {
        st.execute(resource("V1__core_schema.sql"));
        st.execute(resource("V2__can_messages.sql"));
        st.execute("CREATE TABLE schema_version (version integer PRIMARY KEY, name text NOT NULL,"
            + " applied_at timestamptz NOT NULL DEFAULT now())");
        st.execute("INSERT INTO schema_version (version, name) VALUES (1, 'V1__core_schema.sql'), (2, 'V2__can_messages.sql')");
        st.execute("INSERT INTO devices (device_id, tenant_id, token_hash) VALUES ('old-0001', 'default', "
            + "decode('" + java.util.HexFormat.of().formatHex(Tokens.hash("tok_old-0001-secret")) + "', 'hex'))");
      }
      return null;
    });
    FlexconnectConfig config = new ConfigLoader().load(null, Map.of("FLEXCONNECT_DB_URL", url));
    Vertx vertx = Vertx.vertx();
    try {
      Pool pool = Database.pool(vertx, config.db(), 1);
      Await.result(new SchemaMigrator(pool).migrate());

      Device device = Await.result(new DeviceRegistry(pool).findById("old-0001")).orElseThrow();

      assertThat(device.acceptsToken("tok_old-0001-secret", Instant.now())).isTrue();
      assertThat(Await.result(new DeviceRegistry(pool).findByTokenHash(Tokens.hash("tok_old-0001-secret")))).isPresent();
      Await.result(pool.close());
    } finally {
      Await.result(vertx.close());
    }
  }

  private static String resource(String name) {
    try (InputStream in = DeviceCredentialsMigrationTest.class.getResourceAsStream("/db/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
