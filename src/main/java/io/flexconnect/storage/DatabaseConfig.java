package io.flexconnect.storage;

import io.flexconnect.common.Checks;

/**
 * Where the platform stores data. An empty {@code url} starts the embedded PostgreSQL, keeping its
 * files in {@code embedded.dataDir} across restarts.
 *
 * @param url {@code postgresql://host:port/database} of an external server, or empty
 */
public record DatabaseConfig(
    String url, String user, String password, int poolSize, EmbeddedDatabaseConfig embedded) {

  public void validate() {
    Checks.positive("db.poolSize", poolSize);
    Checks.port("db.embedded.port", embedded.port());
    Checks.notBlank("db.embedded.dataDir", embedded.dataDir());
  }

  public boolean isEmbedded() {
    return url == null || url.isBlank();
  }

  /** Same settings pointed at another URL (used once the embedded server runs). */
  public DatabaseConfig withUrl(String newUrl) {
    return new DatabaseConfig(newUrl, user, password, poolSize, embedded);
  }

  /** The embedded server's data directory and loopback port. */
  public record EmbeddedDatabaseConfig(String dataDir, int port) {}
}
