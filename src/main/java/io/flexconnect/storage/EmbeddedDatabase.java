package io.flexconnect.storage;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server run from the JAR's bundled binaries, for the zero-configuration mode.
 * Its data directory survives restarts; it listens on loopback only. Starting it blocks, so it is
 * started before Vert.x, never on an event loop.
 *
 * <p>Durability is the production one: {@code fsync=on} and {@code synchronous_commit=on} (the
 * library defaults to off), so a committed row survives the server being killed and the platform's
 * PUBACK-after-commit means what it says.
 *
 * <p>The server is a separate process. When the platform's JVM is killed (kill -9), the server
 * lives on as an orphan with its {@code postmaster.pid}; the next start stops it
 * and starts a server of its own, with this configuration, instead of failing or adopting it.
 */
public final class EmbeddedDatabase implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);
  /** The file the library locks while a JVM runs a server on the data directory. */
  private static final String LOCK_FILE = "epg-lock";
  private static final String PID_FILE = "postmaster.pid";
  private static final Duration ORPHAN_STOP_WAIT = Duration.ofSeconds(60);

  private final EmbeddedPostgres postgres;

  private EmbeddedDatabase(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /**
   * Starts (or restarts on an existing data directory) the embedded server.
   *
   * @param port the loopback port, or 0 for any free port
   * @throws IOException also when another running process owns the data directory
   */
  public static EmbeddedDatabase start(Path dataDir, int port) throws IOException {
    Files.createDirectories(dataDir);
    stopOrphan(dataDir);
    log.info("Starting embedded PostgreSQL (data in {})", dataDir.toAbsolutePath());
    EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
        .setDataDirectory(dataDir)
        .setCleanDataDirectory(false)
        .setServerConfig("listen_addresses", "127.0.0.1")
        .setServerConfig("max_connections", "200")
        // The library passes -F (fsync off) and synchronous_commit=off; these -c settings come later and win.
        .setServerConfig("fsync", "on")
        .setServerConfig("synchronous_commit", "on")
        .setServerConfig("full_page_writes", "on")
        .setPGStartupWait(Duration.ofSeconds(60));
    if (port > 0) {
      builder.setPort(port);
    }
    return new EmbeddedDatabase(builder.start());
  }

  /** Whether a running process (a platform, or a CLI command) serves this data directory now. */
  public static boolean inUse(Path dataDir) {
    Path lockFile = dataDir.resolve(LOCK_FILE);
    if (!Files.exists(lockFile)) {
      return false;
    }
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
      FileLock lock = channel.tryLock();
      if (lock == null) {
        return true;
      }
      lock.release();
      return false;
    } catch (OverlappingFileLockException ownedByThisJvm) {
      return true;
    } catch (IOException unreadable) {
      return false;
    }
  }

  /**
   * Stops a server that runs on {@code dataDir} though no process owns it: the platform that
   * started it was killed. A pid file naming no PostgreSQL (the pid was reused) is removed, since
   * the server would refuse to start beside it.
   */
  private static void stopOrphan(Path dataDir) throws IOException {
    Path pidFile = dataDir.resolve(PID_FILE);
    Optional<Long> pid = pid(pidFile);
    if (pid.isEmpty()) {
      return;
    }
    if (inUse(dataDir)) {
      throw new IOException("the embedded database in " + dataDir.toAbsolutePath()
          + " is in use by another running Flexconnect process");
    }
    Optional<ProcessHandle> server = ProcessHandle.of(pid.get()).filter(EmbeddedDatabase::running);
    if (server.isEmpty()) {
      log.info("Embedded PostgreSQL was not shut down cleanly (stale {}); it recovers from its WAL", PID_FILE);
      return;
    }
    Optional<String> command = server.get().info().command();
    if (command.isPresent() && !command.get().endsWith("/postgres")) {
      log.warn("{} names pid {}, which is not PostgreSQL but {}; removing the stale file", PID_FILE, pid.get(),
          command.get());
      Files.deleteIfExists(pidFile);
      return;
    }
    log.warn("Embedded PostgreSQL of a previous run (pid {}) still serves {}: its platform was killed. "
        + "Stopping it to start afresh", pid.get(), dataDir.toAbsolutePath());
    stop(server.get(), dataDir);
  }

  /** Alive and not a zombie: a killed server's parent may be an init that reaps late, if ever. */
  private static boolean running(ProcessHandle process) {
    if (!process.isAlive()) {
      return false;
    }
    try {
      String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
      // "pid (comm) S ...": the state follows the last parenthesis.
      return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
    } catch (IOException | RuntimeException noProcfs) {
      return true;
    }
  }

  /**
   * SIGTERM, PostgreSQL's smart shutdown: it waits for sessions to end, and the killed platform's
   * are gone with its sockets. (pg_ctl would do the same but refuses to run as root, as in
   * containers.) Should it hang, SIGKILL: fsync and synchronous commit make that crash-safe, and the
   * next start recovers from the WAL.
   */
  private static void stop(ProcessHandle server, Path dataDir) throws IOException {
    try {
      server.destroy();
      if (!awaitExit(server, dataDir, ORPHAN_STOP_WAIT)) {
        log.warn("Orphaned embedded PostgreSQL (pid {}) ignored SIGTERM for {}; killing it", server.pid(),
            ORPHAN_STOP_WAIT);
        server.descendants().forEach(ProcessHandle::destroyForcibly);
        server.destroyForcibly();
        if (!awaitExit(server, dataDir, Duration.ofSeconds(10))) {
          throw new IOException("could not stop the orphaned embedded PostgreSQL (pid " + server.pid() + ")");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while stopping the orphaned embedded PostgreSQL", e);
    }
  }

  /** The server removes its pid file as it exits; its process may linger as a zombie. */
  private static boolean awaitExit(ProcessHandle server, Path dataDir, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (running(server) && Files.exists(dataDir.resolve(PID_FILE))) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(100);
    }
    return true;
  }

  private static Optional<Long> pid(Path pidFile) {
    try {
      return Optional.of(Long.parseLong(Files.readAllLines(pidFile).get(0).trim()));
    } catch (IOException | RuntimeException none) {
      return Optional.empty();
    }
  }

  public int port() {
    return postgres.getPort();
  }

  /** A {@code postgresql://} URL for the {@code postgres} database as superuser {@code postgres}. */
  public String url() {
    return url("postgres");
  }

  public String url(String database) {
    return "postgresql://postgres@127.0.0.1:" + port() + "/" + database;
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }
}
