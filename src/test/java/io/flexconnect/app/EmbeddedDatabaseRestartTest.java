package io.flexconnect.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexconnect.storage.EmbeddedDatabase;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The zero-config database: a real PostgreSQL whose data survives a restart, and a kill -9. */
class EmbeddedDatabaseRestartTest {

  @Test
  void verifiesThatTheEmbeddedDatabaseKeepsItsDataAcrossRestarts(@TempDir Path dir) throws Exception {
    FlexconnectConfig config = config(dir);
    try (Infrastructure first = Infrastructure.database(config)) {
      assertThat(first.startedEmbeddedDatabase()).isTrue();
      sql(first.config().db().url(), "CREATE TABLE kept (v int); INSERT INTO kept VALUES (42)");
    }
    try (Infrastructure second = Infrastructure.database(config)) {
      assertThat(query(second.config().db().url(), "SELECT v FROM kept")).isEqualTo("42");
    }
  }

  @Test
  void verifiesThatTheEmbeddedDatabaseCommitsDurably(@TempDir Path dir) throws Exception {
    try (Infrastructure db = Infrastructure.database(config(dir))) {
      String url = db.config().db().url();
      assertThat(query(url, "SHOW synchronous_commit")).as("synchronous_commit").isEqualTo("on");
      assertThat(query(url, "SHOW fsync")).as("fsync").isEqualTo("on");
      assertThat(query(url, "SHOW full_page_writes")).as("full_page_writes").isEqualTo("on");
    }
  }

  @Test
  void verifiesThatAStartAfterTheJvmWasKilledReplacesTheServerItLeftRunning(@TempDir Path dir) throws Exception {
    Path dataDir = dir.resolve("pg");
    Process killed = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), KilledPlatform.class.getName(), dataDir.toString())
        .redirectErrorStream(true).start();
    String output = new String(killed.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(killed.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(output).contains("kept 7");
    ProcessHandle orphan = postmaster(dataDir).orElseThrow(() -> new AssertionError("no orphan: " + output));
    assertThat(EmbeddedDatabase.inUse(dataDir)).as("data dir owned by a live process").isFalse();

    try (Infrastructure restarted = Infrastructure.database(config(dir))) {
      assertThat(restarted.startedEmbeddedDatabase()).isTrue();
      assertThat(query(restarted.config().db().url(), "SELECT v FROM kept")).isEqualTo("7");
      assertThat(postmaster(dataDir).map(ProcessHandle::pid)).as("server of the data dir").isPresent()
          .get().isNotEqualTo(orphan.pid());
      assertThat(EmbeddedDatabase.inUse(dataDir)).isTrue();
    } finally {
      orphan.destroy();
    }
  }

  /** A platform killed with kill -9 right after a commit: halt() skips every shutdown hook. */
  public static final class KilledPlatform {
    public static void main(String[] args) throws Exception {
      EmbeddedDatabase db = EmbeddedDatabase.start(Path.of(args[0]), 0);
      sql(db.url(), "CREATE TABLE kept (v int); INSERT INTO kept VALUES (7)");
      System.out.println("kept " + query(db.url(), "SELECT v FROM kept"));
      System.out.flush();
      Runtime.getRuntime().halt(137);
    }
  }

  private static FlexconnectConfig config(Path dir) {
    return new ConfigLoader().load(null, Map.of(
        "FLEXCONNECT_DB_EMBEDDED_DATA_DIR", dir.resolve("pg").toString(),
        "FLEXCONNECT_DB_EMBEDDED_PORT", "0"));
  }

  private static Optional<ProcessHandle> postmaster(Path dataDir) throws Exception {
    long pid = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
    return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
  }

  private static void sql(String url, String statements) throws SQLException {
    try (Connection conn = connect(url)) {
      conn.createStatement().execute(statements);
    }
  }

  private static String query(String url, String select) throws SQLException {
    try (Connection conn = connect(url); ResultSet rs = conn.createStatement().executeQuery(select)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static Connection connect(String url) throws SQLException {
    URI uri = URI.create(url);
    return DriverManager.getConnection("jdbc:postgresql://" + uri.getHost() + ":" + uri.getPort() + uri.getPath(),
        "postgres", "");
  }
}
