package io.flexconnect.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flexconnect.storage.DatabaseConfig.EmbeddedDatabaseConfig;
import io.flexconnect.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Which login the platform uses against an external server, on a PostgreSQL that checks passwords
 * (SCRAM for every role but the administrator), as production servers do: the user and password in
 * {@code db.url} win, else {@code db.user}/{@code db.password}, else {@code postgres} without one.
 */
class DatabaseLoginTest {
  static final String ROLE = "fx_login";
  static final String PASSWORD = "s3cret-Pass";
  static EmbeddedPostgres server;
  static Vertx vertx;

  @BeforeAll
  static void start() throws Exception {
    Path dir = Files.createTempDirectory("flexconnect-pg-scram");
    Path hba = dir.resolve("pg_hba.conf");
    Files.writeString(hba, String.join("\n",
        "local all all trust",
        "host all postgres 127.0.0.1/32 trust",
        "host all all 127.0.0.1/32 scram-sha-256", ""));
    server = EmbeddedPostgres.builder()
        .setDataDirectory(dir.resolve("data"))
        .setServerConfig("listen_addresses", "127.0.0.1")
        .setServerConfig("hba_file", hba.toString())
        .setServerConfig("password_encryption", "scram-sha-256")
        .setPGStartupWait(Duration.ofSeconds(60))
        .start();
    try (Connection conn = server.getPostgresDatabase().getConnection(); Statement st = conn.createStatement()) {
      st.execute("CREATE ROLE " + ROLE + " LOGIN PASSWORD '" + PASSWORD + "'");
    }
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    Await.result(vertx.close());
    server.close();
  }

  static DatabaseConfig config(String url, String user, String password) {
    return new DatabaseConfig(url, user, password, 1, 120, new EmbeddedDatabaseConfig("unused", 15432));
  }

  static String currentUser(DatabaseConfig config) {
    Pool pool = Database.pool(vertx, config, 1);
    try {
      return Await.result(pool.query("SELECT current_user").execute()).iterator().next().getString(0);
    } finally {
      Await.result(pool.close());
    }
  }

  String hostUrl() {
    return "postgresql://127.0.0.1:" + server.getPort() + "/postgres";
  }

  @Test
  void verifiesThatDbUserAndPasswordLogInWhenTheUrlNamesNoUser() {
    assertThat(currentUser(config(hostUrl(), ROLE, PASSWORD))).isEqualTo(ROLE);
  }

  @Test
  void verifiesThatTheUrlsUserAndPasswordWinOverDbUserAndPassword() {
    String url = "postgresql://" + ROLE + ":" + PASSWORD + "@127.0.0.1:" + server.getPort() + "/postgres";

    assertThat(currentUser(config(url, "postgres", "not-this-one"))).isEqualTo(ROLE);
  }

  @Test
  void verifiesThatDbPasswordCompletesAUrlThatNamesOnlyTheUser() {
    String url = "postgresql://" + ROLE + "@127.0.0.1:" + server.getPort() + "/postgres";

    assertThat(currentUser(config(url, "postgres", PASSWORD))).isEqualTo(ROLE);
  }

  @Test
  void verifiesThatTheServerRefusesAWrongPassword() {
    assertThatThrownBy(() -> currentUser(config(hostUrl(), ROLE, "wrong")))
        .hasStackTraceContaining("password authentication failed for user \"" + ROLE + "\"");
  }

  @Test
  void verifiesThatWithoutAnyUserThePlatformLogsInAsPostgres() {
    assertThat(currentUser(config(hostUrl(), "", ""))).isEqualTo("postgres");
  }
}
