package io.flexconnect.storage;

import io.flexconnect.common.Checks;

/**
 * Where the platform stores data. An empty {@code url} starts the embedded PostgreSQL, keeping its
 * files in {@code embedded.dataDir} across restarts.
 *
 * @param url {@code postgresql://host:port/database} of an external server, or empty
 * @param socketTimeoutSeconds how long a JDBC connection (the telemetry writer's, the CLI's) waits
 *     for the server to answer before it is given up as broken, 0 for no limit: a server that
 *     falls silent without closing the connection otherwise holds it for the operating system's
 *     TCP timeout (15 minutes and more)
 */
public record DatabaseConfig(String url, String user, String password, int poolSize, int socketTimeoutSeconds,
    EmbeddedDatabaseConfig embedded) {

  public void validate() {
    Checks.positive("db.poolSize", poolSize);
    Checks.nonNegative("db.socketTimeoutSeconds", socketTimeoutSeconds);
    Checks.port("db.embedded.port", embedded.port());
    Checks.notBlank("db.embedded.dataDir", embedded.dataDir());
  }

  public boolean isEmbedded() {
    return url == null || url.isBlank();
  }

  /** Same settings pointed at another URL (used once the embedded server runs). */
  public DatabaseConfig withUrl(String newUrl) {
    return new DatabaseConfig(newUrl, user, password, poolSize, socketTimeoutSeconds, embedded);
  }

  /** The embedded server's data directory and loopback port. */
  public record EmbeddedDatabaseConfig(String dataDir, int port) {}
}
