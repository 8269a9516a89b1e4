package io.flexconnect.testing;

import io.flexconnect.storage.EmbeddedDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL server for the whole test JVM, and a fresh database per test class so tests
 * never see each other's rows.
 *
 * <p>The server is the embedded PostgreSQL (started on first use, on a free loopback port, in a
 * temporary directory) unless the system property {@code flexconnect.test.db} (or the environment
 * variable {@code FLEXCONNECT_TEST_DB}) names an external one, e.g. a TimescaleDB:
 * {@code mvn -B verify -Dflexconnect.test.db=postgresql://postgres@127.0.0.1:5432/postgres}. Its
 * user must be allowed to create databases; every test database gets a unique name.
 */
public final class TestDatabase {
  public static final String PROPERTY = "flexconnect.test.db";
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static final String RUN = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
  private static Server server;

  private TestDatabase() {}

  /** Where the test databases live: host, port and an administrative login. */
  private record Server(String host, int port, String user, String password, EmbeddedDatabase embedded) {
    String url(String database) {
      String auth = password.isEmpty() ? user : user + ":" + password;
      return "postgresql://" + auth + "@" + host + ":" + port + "/" + database;
    }
  }

  /** The external server named by {@code flexconnect.test.db}, or null for the embedded one. */
  public static String externalUrl() {
    String url = System.getProperty(PROPERTY);
    if (url == null || url.isBlank()) {
      url = System.getenv("FLEXCONNECT_TEST_DB");
    }
    return url == null || url.isBlank() ? null : url.trim();
  }

  private static synchronized Server server() {
    if (server == null) {
      String external = externalUrl();
      server = external != null ? external(external) : embedded();
    }
    return server;
  }

  private static Server external(String url) {
    URI uri = URI.create(url.replaceFirst("^postgres(ql)?://", "postgresql://"));
    String user = "postgres";
    String password = "";
    if (uri.getUserInfo() != null) {
      String[] parts = uri.getUserInfo().split(":", 2);
      user = parts[0];
      password = parts.length > 1 ? parts[1] : "";
    }
    return new Server(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 5432, user, password, null);
  }

  private static Server embedded() {
    try {
      Path dir = Files.createTempDirectory("flexconnect-test-pg");
      EmbeddedDatabase db = EmbeddedDatabase.start(dir, 0);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          db.close();
        } catch (IOException ignored) {
          // the JVM is exiting
        }
      }));
      return new Server("127.0.0.1", db.port(), "postgres", "", db);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Creates a new empty database and returns its {@code postgresql://} URL. */
  public static String newDatabase(String prefix) {
    Server s = server();
    String name = (prefix + "_" + RUN + "_" + COUNTER.incrementAndGet()).toLowerCase().replaceAll("[^a-z0-9_]", "_");
    try (Connection conn = DriverManager.getConnection(
            "jdbc:postgresql://" + s.host() + ":" + s.port() + "/postgres", s.user(), s.password());
        Statement st = conn.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database " + name, e);
    }
    return s.url(name);
  }

  /** The server's administrative URL for a database (e.g. to connect as another role). */
  public static String serverUrl(String database) {
    return server().url(database);
  }

  /** Whether the test server can enable TimescaleDB (an external TimescaleDB, never the embedded one). */
  public static boolean timescaleAvailable() {
    return jdbc(serverUrl("postgres"), conn -> {
      try (ResultSet rs = conn.createStatement()
          .executeQuery("SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'")) {
        return rs.next();
      }
    });
  }

  /** Runs SQL over JDBC against a test database (for assertions that bypass the platform). */
  public static <T> T jdbc(String url, SqlFunction<T> action) {
    Server s = server();
    URI uri = URI.create(url);
    String jdbcUrl = "jdbc:postgresql://" + uri.getHost() + ":" + uri.getPort() + uri.getPath();
    try (Connection conn = DriverManager.getConnection(jdbcUrl, s.user(), s.password())) {
      return action.apply(conn);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Stores telemetry rows given as a query of the old wide columns (device_id, signal, ts, value,
   * value_text, tags, received_at) in the narrow tables, in bulk: the {@code telemetry} view is
   * read-only. Fast enough for millions of seeded rows.
   */
  public static void insertTelemetry(String url, String wideRows) {
    jdbc(url, conn -> {
      conn.setAutoCommit(false);
      try (var st = conn.createStatement()) {
        st.execute("CREATE TEMP TABLE seed ON COMMIT DROP AS SELECT device_id, signal, ts, value, value_text, tags, "
            + "received_at FROM (" + wideRows + ") AS w");
        st.execute("INSERT INTO series (device_id, signal) SELECT DISTINCT device_id, signal FROM seed "
            + "ON CONFLICT DO NOTHING");
        st.execute("INSERT INTO tag_sets (tags) SELECT DISTINCT tags FROM seed WHERE tags IS NOT NULL "
            + "ON CONFLICT DO NOTHING");
        st.execute("INSERT INTO telemetry_points (series_id, ts, value, value_text, tag_set_id, received_at) "
            + "SELECT s.series_id, w.ts, w.value, w.value_text, g.tag_set_id, w.received_at FROM seed w "
            + "JOIN series s ON s.device_id = w.device_id AND s.signal = w.signal "
            + "LEFT JOIN tag_sets g ON g.tags = w.tags");
      }
      conn.commit();
      return null;
    });
  }

  /** JDBC work that may throw. */
  @FunctionalInterface
  public interface SqlFunction<T> {
    T apply(Connection conn) throws SQLException;
  }
}
