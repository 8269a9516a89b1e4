package io.flexconnect.storage;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.impl.PgConnectionUriParser;
import io.vertx.sqlclient.ClientBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.slf4j.LoggerFactory;

/** Creates connection pools (and the telemetry writer's JDBC connections) from a {@link DatabaseConfig}. */
public final class Database {
  /** The login when neither the URL nor {@code db.user} names one (the server's administrator). */
  static final String DEFAULT_USER = "postgres";

  /**
   * TimescaleDB refuses a transaction that decompresses more than this many rows of compressed
   * chunks (default 100,000, SQLSTATE 53400). Late data upserted into a compressed day and a
   * re-decode of a compressed range must decompress what they touch, however much that is; writers
   * lift the limit for their sessions. On plain PostgreSQL the setting is an inert placeholder.
   */
  static final String LIFT_DECOMPRESSION_LIMIT = "SET timescaledb.max_tuples_decompressed_per_dml_transaction = 0";

  private Database() {}

  /**
   * Connect options for an external URL ({@code postgresql://[user[:pw]@]host:port/db}). The login
   * is the URL's user and password where it names them, else {@code db.user}/{@code db.password},
   * else {@code postgres} without a password.
   */
  public static PgConnectOptions connectOptions(DatabaseConfig config) {
    PgConnectOptions options = PgConnectOptions.fromUri(config.url());
    // fromUri fills in Vert.x's placeholders ("user"/"pass") for what the URL leaves out, so what the
    // URL itself names is read from the parse that fromUri is built on.
    JsonObject named = PgConnectionUriParser.parse(config.url());
    if (!hasText(named.getString("user"))) {
      options.setUser(hasText(config.user()) ? config.user() : DEFAULT_USER);
    }
    if (!hasText(named.getString("password"))) {
      options.setPassword(hasText(config.password()) ? config.password() : "");
    }
    return options.setCachePreparedStatements(true).setPipeliningLimit(16);
  }

  private static boolean hasText(String s) {
    return s != null && !s.isBlank();
  }

  /** A pool of {@code config.poolSize()} connections, or {@code size} when given (> 0). */
  public static Pool pool(Vertx vertx, DatabaseConfig config, int size) {
    return builder(config, size).using(vertx).build();
  }

  private static ClientBuilder<Pool> builder(DatabaseConfig config, int size) {
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(size > 0 ? size : config.poolSize()))
        .connectingTo(connectOptions(config));
  }

  /**
   * A pool for connections that write telemetry, which may land in compressed TimescaleDB chunks:
   * like {@link #pool}, with the per-transaction decompression limit lifted on every connection.
   */
  public static Pool writerPool(Vertx vertx, DatabaseConfig config, int size) {
    return builder(config, size)
        .withConnectHandler(conn -> conn.query(LIFT_DECOMPRESSION_LIMIT).execute().onComplete(ar -> {
          if (ar.failed()) {
            limitNotLifted(ar.cause());
          }
          conn.close(); // hands the connection to the pool
        }))
        .using(vertx)
        .build();
  }

  /**
   * A JDBC connection for the telemetry writer's COPY, with the same login as {@link #connectOptions},
   * the decompression limit lifted like {@link #writerPool}, and auto-commit off. Blocking: call it
   * on a worker thread.
   */
  static Connection openWriterConnection(DatabaseConfig config) throws SQLException {
    Connection conn = openConnection(config, "flexconnect-writer");
    try (Statement st = conn.createStatement()) {
      st.execute(LIFT_DECOMPRESSION_LIMIT);
    } catch (SQLException e) {
      limitNotLifted(e);
    }
    conn.setAutoCommit(false);
    return conn;
  }

  /**
   * A plain JDBC connection with the same login as {@link #connectOptions}, for callers that run a
   * few statements without a Vert.x instance (the CLI's read-only commands). Blocking.
   */
  public static Connection openConnection(DatabaseConfig config, String applicationName) throws SQLException {
    PgConnectOptions options = connectOptions(config);
    Properties props = new Properties();
    props.setProperty("user", options.getUser());
    props.setProperty("password", options.getPassword());
    props.setProperty("ApplicationName", applicationName);
    props.setProperty("connectTimeout", "10");
    props.setProperty("tcpKeepAlive", "true");
    props.setProperty("socketTimeout", Integer.toString(config.socketTimeoutSeconds()));
    props.setProperty("sslmode", options.getSslMode().value);
    return DriverManager.getConnection(
        "jdbc:postgresql://" + options.getHost() + ":" + options.getPort() + "/" + options.getDatabase(), props);
  }

  /**
   * The JDBC form of a statement written for the Vert.x client: {@code $1, $2, …} become {@code ?}.
   * Valid for statements that use each parameter once, in order, and no {@code $n} in literals.
   */
  public static String jdbcSql(String pgSql) {
    return pgSql.replaceAll("\\$[0-9]+", "?");
  }

  private static void limitNotLifted(Throwable cause) {
    // The logger is looked up here, not in a static field: the CLI's read-only commands use this class
    // for one connection, log nothing, and would otherwise set up logging (about 60 classes) for it.
    LoggerFactory.getLogger(Database.class).warn(
        "Cannot lift the TimescaleDB decompression limit ({}); late data into compressed chunks may be refused",
        cause.getMessage());
  }
}
