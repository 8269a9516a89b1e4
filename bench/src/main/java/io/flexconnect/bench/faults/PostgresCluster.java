package io.flexconnect.bench.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL 15 cluster of Debian's packages ({@code /usr/lib/postgresql/15/bin}), run as
 * user {@code postgres} with {@code initdb}/{@code pg_ctl}, on loopback, trust authentication.
 * {@link #crash()} is {@code pg_ctl stop -m immediate}: no checkpoint, recovery from WAL at the next start.
 */
final class PostgresCluster implements AutoCloseable {
  static final Path BIN = Path.of(System.getenv().getOrDefault("FAULTS_PG_BIN", "/usr/lib/postgresql/15/bin"));

  private final Path dir;
  private final int port;

  PostgresCluster(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  int port() {
    return port;
  }

  String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres";
  }

  /** {@code postgresql://} URL as the platform takes it. */
  String url(String database) {
    return "postgresql://postgres@127.0.0.1:" + port + "/" + database;
  }

  void init() throws IOException, InterruptedException {
    Files.createDirectories(dir);
    // user postgres must reach its data directory and write its log and socket beside it
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    asPostgres(List.of(BIN.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", "postgres",
        "-A", "trust", "--no-sync", "-E", "UTF8"));
    start();
  }

  void start() throws IOException, InterruptedException {
    asPostgres(List.of(BIN.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l",
        dir.resolve("postgres.log").toString(), "-w", "-t", "60", "-o",
        "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c max_connections=200", "start"));
  }

  /** Crash-stop: every server process ends at once, nothing is flushed beyond what was committed. */
  void crash() throws IOException, InterruptedException {
    asPostgres(List.of(BIN.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate",
        "-w", "stop"));
  }

  void stop() throws IOException, InterruptedException {
    asPostgres(List.of(BIN.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "fast", "-w",
        "stop"));
  }

  void createDatabase(String name) throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl("postgres")); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
  }

  private void asPostgres(List<String> command) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>();
    if ("root".equals(System.getProperty("user.name"))) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(command);
    Process p = new ProcessBuilder(full).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("pg_ctl.log").toFile())).start();
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " failed; see " + dir.resolve("pg_ctl.log"));
    }
  }

  @Override
  public void close() {
    try {
      stop();
    } catch (Exception e) {
      // already down
    }
  }
}
