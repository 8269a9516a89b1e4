package io.flexconnect.app;

import io.flexconnect.storage.EmbeddedDatabase;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;

/**
 * Resolves the database the configuration names: the external one, or the embedded server
 * (started here when it is not already running, e.g. by the platform while the CLI is used).
 */
public final class Infrastructure implements AutoCloseable {
  private final FlexconnectConfig config;
  private final EmbeddedDatabase embedded;

  private Infrastructure(FlexconnectConfig config, EmbeddedDatabase embedded) {
    this.config = config;
    this.embedded = embedded;
  }

  /** Starts the embedded database if the configuration asks for it. Blocking: call off event loops. */
  public static Infrastructure database(FlexconnectConfig config) throws IOException {
    if (!config.db().isEmbedded()) {
      return new Infrastructure(config, null);
    }
    int port = config.db().embedded().port();
    String url = "postgresql://postgres@127.0.0.1:" + port + "/postgres";
    Path dataDir = Path.of(config.db().embedded().dataDir());
    if (port > 0 && EmbeddedDatabase.inUse(dataDir) && listening(port)) {
      // Served by a running platform (this is a CLI call beside it): share it. A server nobody owns
      // (its platform was killed) is not adopted: start() replaces it with one of this configuration.
      return new Infrastructure(withDb(config, url), null);
    }
    EmbeddedDatabase db = EmbeddedDatabase.start(dataDir, port);
    return new Infrastructure(withDb(config, db.url()), db);
  }

  /** The configuration with {@code db.url} set to the database actually in use. */
  public FlexconnectConfig config() {
    return config;
  }

  public boolean startedEmbeddedDatabase() {
    return embedded != null;
  }

  private static FlexconnectConfig withDb(FlexconnectConfig c, String url) {
    return c.withDb(c.db().withUrl(url));
  }

  static boolean listening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 300);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() throws IOException {
    if (embedded != null) {
      embedded.close();
    }
  }
}
