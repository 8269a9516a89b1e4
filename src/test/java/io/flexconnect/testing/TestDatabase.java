package io.flexconnect.testing;

import io.flexconnect.storage.EmbeddedDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL server for the whole test JVM (started on first use, on a free loopback
 * port, in a temporary directory), and a fresh database per test class so tests never see each
 * other's rows.
 */
public final class TestDatabase {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static EmbeddedDatabase server;

  private TestDatabase() {}

  private static synchronized EmbeddedDatabase server() {
    if (server == null) {
      try {
        Path dir = Files.createTempDirectory("flexconnect-test-pg");
        server = EmbeddedDatabase.start(dir, 0);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          try {
            server.close();
          } catch (IOException ignored) {
            // the JVM is exiting
          }
        }));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return server;
  }

  /** Creates a new empty database and returns its {@code postgresql://} URL. */
  public static String newDatabase(String prefix) {
    EmbeddedDatabase db = server();
    String name = (prefix + "_" + COUNTER.incrementAndGet()).toLowerCase().replaceAll("[^a-z0-9_]", "_");
    try (Connection conn = DriverManager.getConnection(
            "jdbc:postgresql://127.0.0.1:" + db.port() + "/postgres", "postgres", "");
        Statement st = conn.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database " + name, e);
    }
    return db.url(name);
  }

  /** Runs SQL over JDBC against a test database (for assertions that bypass the platform). */
  public static <T> T jdbc(String url, SqlFunction<T> action) {
    String jdbcUrl = "jdbc:" + url.replace("postgresql://postgres@", "postgresql://");
    try (Connection conn = DriverManager.getConnection(jdbcUrl, "postgres", "")) {
      return action.apply(conn);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** JDBC work that may throw. */
  @FunctionalInterface
  public interface SqlFunction<T> {
    T apply(Connection conn) throws SQLException;
  }
}
