package io.flexconnect.bench.faults;

import io.flexconnect.device.DeviceRegistry;
import io.flexconnect.testing.ListenPorts;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Fault-injection suite: devices publish QoS 1 messages while the platform, its database or its
 * broker is killed, crashed, stopped or restarted; afterwards every PUBACKed message must have all
 * its rows, no row may be duplicated or wrong, and {@code latest} must name the newest message.
 * Real parts only: the platform JAR as a process (zero-config mode: its embedded broker and
 * PostgreSQL; external mode: Mosquitto 2 and PostgreSQL 15 of the distribution).
 *
 * <pre>
 * FaultSuite JAR RESULTS_DIR MESSAGES SCENARIO…   (settings: FAULTS_* environment, see bench/faults/run.sh)
 * </pre>
 *
 * Prints one table row per scenario and exits 1 when any scenario failed.
 */
public final class FaultSuite {
  /** Scenario name → what it does and what it requires beyond "nothing lost, nothing duplicated". */
  static final Map<String, String> SCENARIOS = new LinkedHashMap<>();

  static {
    SCENARIOS.put("zc-kill9", "zero-config: kill -9 of the platform mid-stream, restart after the pause; 3 times");
    SCENARIOS.put("zc-kill9-db", "zero-config: JVM and embedded PostgreSQL killed together (SIGKILL), restart");
    SCENARIOS.put("zc-sigterm", "zero-config: SIGTERM with a backlog, restart; committed = acknowledged (no rewrites)");
    SCENARIOS.put("ext-kill9", "Mosquitto + PostgreSQL 15: kill -9 of the platform mid-stream, restart; 3 times");
    SCENARIOS.put("ext-pg-outage", "Mosquitto + PostgreSQL 15: PostgreSQL crash-stopped for the outage, started again");
    SCENARIOS.put("ext-pg-recovery", "PostgreSQL crash-stopped for 30 s: rows written again within 1 s of it being back");
    SCENARIOS.put("ext-sigterm", "Mosquitto + PostgreSQL 15: SIGTERM with a backlog, restart; committed = acknowledged");
    SCENARIOS.put("ext-broker-restart", "Mosquitto stopped mid-stream (SIGTERM, persistence), started after the pause");
    SCENARIOS.put("ext-duplicates", "every 10th message published again (DUP) after newer ones: rows, values, latest unchanged");
    SCENARIOS.put("ext-backlog", "backlog of 4×N in Mosquitto, then the platform starts; PostgreSQL outage mid-drain; "
        + "peak in-flight and RSS within the bounds");
  }

  private final Path jar;
  private final Path work;
  private final int messages;
  private final int devices = intEnv("FAULTS_DEVICES", 20);
  private final int pauseS = intEnv("FAULTS_PAUSE_S", 5);
  private final int outageS = intEnv("FAULTS_OUTAGE_S", 30);
  /** The retry backoff only shows after a long outage: ext-pg-recovery keeps 30 s even in reduced runs. */
  private final int recoveryOutageS = intEnv("FAULTS_RECOVERY_OUTAGE_S", 30);
  private final int kills = intEnv("FAULTS_KILLS", 3);
  private final int settleS = intEnv("FAULTS_SETTLE_S", 45);
  private final int backlogFactor = intEnv("FAULTS_BACKLOG_FACTOR", 4);
  private final String heap = System.getenv().getOrDefault("FAULTS_PLATFORM_HEAP", "256m");
  private final long maxRssMb = intEnv("FAULTS_MAX_RSS_MB", 512);
  /** The platform's intake bound under test (mqtt.maxUnacknowledged). */
  private final int intakeLimit = intEnv("FAULTS_INTAKE_LIMIT", 1000);
  /**
   * Reading stops once the bound is reached, but what the current socket read already holds is
   * taken: at most one 64 KiB read, and this suite's messages are at least 180 bytes on the wire
   * (fixed header, topic, packet id, a ~150-byte JSON document).
   */
  private final long maxInflight = intEnv("FAULTS_MAX_INFLIGHT", intakeLimit + 65_536 / 180);
  private final double maxRecoveryS = Double.parseDouble(System.getenv().getOrDefault("FAULTS_MAX_RECOVERY_S", "1.0"));
  private final Vertx vertx = Vertx.vertx();
  private PostgresCluster cluster;
  private volatile Scenario current;

  private FaultSuite(Path jar, Path work, int messages) {
    this.jar = jar;
    this.work = work;
    this.messages = messages;
  }

  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args[0]).toAbsolutePath();
    Path results = Path.of(args[1]);
    int messages = Integer.parseInt(args[2]);
    List<String> names = args.length > 3 ? List.of(args).subList(3, args.length) : List.copyOf(SCENARIOS.keySet());
    for (String name : names) {
      if (!SCENARIOS.containsKey(name)) {
        System.err.println("unknown scenario " + name + "; known: " + String.join(" ", SCENARIOS.keySet()));
        System.exit(2);
      }
    }
    Path work = Files.createTempDirectory(Path.of("/tmp"), "faults-");
    // user postgres runs the external cluster below this directory
    Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
    FaultSuite suite = new FaultSuite(jar, work, messages);
    // Interrupted (Ctrl-C, CI timeout): leave no platform, broker or database behind.
    Thread cleanup = new Thread(suite::abort, "faults-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    List<Result> rows = new ArrayList<>();
    long start = System.nanoTime();
    try {
      for (String name : names) {
        System.err.printf("== %s %s (%s)%n", Instant.now().toString().substring(11, 19), name, SCENARIOS.get(name));
        Result r = suite.run(name);
        System.err.println("   " + r.line());
        rows.add(r);
      }
    } finally {
      suite.shutdown();
      Runtime.getRuntime().removeShutdownHook(cleanup);
    }
    double minutes = (System.nanoTime() - start) / 60e9;
    Files.createDirectories(results);
    String header = "# " + Instant.now().toString().substring(0, 19) + "Z, " + Runtime.getRuntime().availableProcessors()
        + " cores, N=" + messages + " messages per scenario (ext-backlog: " + suite.backlogFactor + "×N), "
        + suite.devices + " devices, QoS 1, pause " + suite.pauseS + " s, outage " + suite.outageS + " s, platform -Xmx"
        + suite.heap + "; bounds: RSS ≤ " + suite.maxRssMb + " MB, in-flight ≤ " + suite.maxInflight
        + ", recovery ≤ " + suite.maxRecoveryS + " s after a " + suite.recoveryOutageS + " s outage (ext-pg-recovery); took " + String.format("%.1f", minutes) + " min";
    StringBuilder table = new StringBuilder(header).append('\n').append(Result.HEADER).append('\n');
    rows.forEach(r -> table.append(r.line()).append('\n'));
    long failed = rows.stream().filter(r -> !r.pass()).count();
    table.append(failed == 0 ? "all " + rows.size() + " scenarios passed" : failed + " of " + rows.size() + " scenarios FAILED")
        .append('\n');
    System.out.print(table);
    Files.writeString(results.resolve("faults.txt"), table);
    StringBuilder csv = new StringBuilder(Result.CSV_HEADER).append('\n');
    rows.forEach(r -> csv.append(r.csv()).append('\n'));
    Files.writeString(results.resolve("faults.csv"), csv);
    if (System.getenv("FAULTS_KEEP") == null) {
      deleteTree(work);
    } else {
      System.err.println("work directory kept: " + work);
    }
    System.exit(failed == 0 ? 0 : 1);
  }

  private Result run(String name) throws Exception {
    Path dir = work.resolve(name);
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Scenario s = new Scenario(name, dir);
    current = s;
    long start = System.nanoTime();
    try {
      s.execute();
    } catch (Exception | AssertionError e) {
      s.failures.add("aborted: " + e.getMessage());
      System.err.println("   " + name + " aborted: " + e);
    } finally {
      s.close();
    }
    return s.result((System.nanoTime() - start) / 1e9);
  }

  private void abort() {
    Scenario s = current;
    if (s != null) {
      s.close();
    }
    shutdown();
  }

  private void shutdown() {
    if (cluster != null) {
      cluster.close();
    }
    vertx.close();
  }

  /** The external PostgreSQL 15, one cluster for the suite, a fresh database per scenario. */
  private PostgresCluster cluster() throws IOException, InterruptedException {
    if (cluster == null) {
      cluster = new PostgresCluster(work.resolve("postgres"), ListenPorts.free());
      cluster.init();
    }
    return cluster;
  }

  /** One scenario's run: its parts, its fleet, its findings. */
  private final class Scenario implements AutoCloseable {
    final String name;
    final Path dir;
    final boolean zeroConfig;
    final List<String> failures = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    int total;
    Fleet fleet;
    PlatformUnderTest platform;
    Mosquitto mosquitto;
    String jdbcUrl;
    String dbUrl;
    int brokerPort;
    Path embeddedData;
    double worstRecovery = -1;
    Verification verification;

    Scenario(String name, Path dir) {
      this.name = name;
      this.dir = dir;
      this.zeroConfig = name.startsWith("zc-");
    }

    void execute() throws Exception {
      int n = name.equals("ext-backlog") ? messages * backlogFactor : messages;
      int perDevice = Math.max(1, n / devices);
      total = perDevice * devices;
      fleet = new Fleet(vertx, devices, perDevice, name + "-" + ProcessHandle.current().pid());
      int httpPort = ListenPorts.free();
      Map<String, String> env = new HashMap<>();
      env.put("FLEXCONNECT_HTTP_HOST", "127.0.0.1");
      env.put("FLEXCONNECT_HTTP_PORT", Integer.toString(httpPort));
      env.put("FLEXCONNECT_PKI_DIR", dir.resolve("pki").toString());
      env.put("FLEXCONNECT_CAN_DBC_DIR", Path.of("dbc").toAbsolutePath().toString()); // the checkout's
      if (zeroConfig) {
        brokerPort = ListenPorts.free();
        int dbPort = ListenPorts.free();
        embeddedData = dir.resolve("pg");
        env.put("FLEXCONNECT_BROKER_HOST", "127.0.0.1");
        env.put("FLEXCONNECT_BROKER_PORT", Integer.toString(brokerPort));
        env.put("FLEXCONNECT_BROKER_TLS_HOST", "127.0.0.1");
        env.put("FLEXCONNECT_BROKER_TLS_PORT", Integer.toString(ListenPorts.free()));
        env.put("FLEXCONNECT_DB_EMBEDDED_PORT", Integer.toString(dbPort));
        env.put("FLEXCONNECT_DB_EMBEDDED_DATA_DIR", embeddedData.toString());
        dbUrl = "postgresql://postgres@127.0.0.1:" + dbPort + "/postgres";
        jdbcUrl = "jdbc:postgresql://127.0.0.1:" + dbPort + "/postgres?user=postgres";
      } else {
        String db = name.replace('-', '_');
        cluster().createDatabase(db);
        mosquitto = new Mosquitto(dir.resolve("mosquitto"), ListenPorts.free());
        mosquitto.start();
        brokerPort = mosquitto.port();
        dbUrl = cluster.url(db);
        jdbcUrl = cluster.jdbcUrl(db);
        env.put("FLEXCONNECT_MQTT_URL", "mqtt://127.0.0.1:" + brokerPort);
        env.put("FLEXCONNECT_MQTT_CLIENT_ID", "flexconnect-faults");
        env.put("FLEXCONNECT_DB_URL", dbUrl);
      }
      env.put("FLEXCONNECT_MQTT_MAX_UNACKNOWLEDGED", Integer.toString(intakeLimit));
      // settings a run adds to every platform it starts, e.g. a bound under test
      for (String kv : System.getenv().getOrDefault("FAULTS_PLATFORM_ENV", "").trim().split("\\s+")) {
        if (kv.contains("=")) {
          env.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
        }
      }
      platform = new PlatformUnderTest(jar, dir, env, heap, httpPort);
      platform.start();
      platform.awaitSubscribed(Duration.ofMinutes(3));
      registerDevices();

      switch (name) {
        case "zc-kill9", "ext-kill9" -> {
          fleet.start("127.0.0.1", brokerPort);
          for (int k = 1; k <= kills; k++) {
            awaitProgress(kills + 1);
            platform.kill();
            restartAfterPause();
          }
        }
        case "zc-kill9-db" -> {
          fleet.start("127.0.0.1", brokerPort);
          awaitProgress(2);
          List<ProcessHandle> database = embeddedDatabaseProcesses();
          if (database.isEmpty()) {
            failures.add("no embedded PostgreSQL process found to kill");
          }
          platform.killTogetherWith(database);
          awaitGone(database);
          restartAfterPause();
        }
        case "zc-sigterm", "ext-sigterm" -> {
          fleet.start("127.0.0.1", brokerPort);
          awaitProgress(2);
          notes.add(String.format("exit %.1f s", platform.terminate(Duration.ofSeconds(60))));
          restartAfterPause();
        }
        case "ext-pg-outage", "ext-pg-recovery" -> {
          // the second half is published during the outage: the platform has work when the database is back
          fleet.hold(0.5);
          fleet.start("127.0.0.1", brokerPort);
          awaitProgress(2);
          cluster.crash();
          fleet.release();
          databaseOutage();
        }
        case "ext-broker-restart" -> {
          fleet.start("127.0.0.1", brokerPort);
          awaitProgress(2);
          mosquitto.stop();
          Thread.sleep(pauseS * 1000L);
          double before = platform.rowsWritten();
          mosquitto.start();
          recovered(platform.awaitFirstRows(System.nanoTime(), before, Duration.ofMinutes(3)));
        }
        case "ext-duplicates" -> fleet.start("127.0.0.1", brokerPort);
        case "ext-backlog" -> {
          // the platform's persistent session exists; now it is away while the backlog builds up
          platform.terminate(Duration.ofSeconds(60));
          fleet.start("127.0.0.1", brokerPort);
          awaitAllAcked();
          notes.add("backlog " + total);
          platform.start();
          platform.awaitSubscribed(Duration.ofMinutes(3));
          awaitProgress(4);
          cluster.crash();
          databaseOutage();
        }
        default -> throw new IllegalArgumentException(name);
      }
      awaitAllAcked();
      if (name.equals("ext-duplicates")) {
        fleet.publishDuplicates(10);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (fleet.duplicatesAcked.get() < fleet.duplicates(10)) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("duplicates not PUBACKed");
          }
          Thread.sleep(50);
        }
        notes.add(fleet.duplicates(10) + " published twice");
      }
      awaitSettled();
      if (!platform.alive()) {
        failures.add("the platform died; see " + platform.lastLog());
      }
      verification = Verification.check(jdbcUrl, fleet);
    }

    private void registerDevices() {
      Pool pool = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(dbUrl)).using(vertx).build();
      try {
        DeviceRegistry registry = new DeviceRegistry(pool);
        for (Fleet.Device d : fleet.devices()) {
          Fleet.await(registry.add(d.id, "default", d.token));
        }
      } finally {
        pool.close();
      }
    }

    /**
     * Waits until the current life committed its share (1/{@code parts} of all rows), or until it
     * has nothing more to do (no new rows for 3 s while devices have nothing left to send).
     */
    private void awaitProgress(int parts) throws InterruptedException {
      platform.awaitSubscribed(Duration.ofMinutes(3));
      double target = (double) total * Fleet.FIELDS.length / parts;
      double last = -1;
      long lastChange = System.nanoTime();
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      while (platform.rowsWritten() < target && System.nanoTime() < deadline) {
        if (!platform.alive()) {
          throw new IllegalStateException("the platform exited; see " + platform.lastLog());
        }
        double rows = platform.rowsWritten();
        if (rows != last) {
          last = rows;
          lastChange = System.nanoTime();
        } else if ((rows > 0 || fleet.acked.get() == total) && System.nanoTime() - lastChange > TimeUnit.SECONDS.toNanos(3)) {
          notes.add("fault while idle");
          return;
        }
        Thread.sleep(20);
      }
    }

    /** The pause, a new life, and the seconds from its start to its first commit. */
    private void restartAfterPause() throws InterruptedException {
      Thread.sleep(pauseS * 1000L);
      long t0 = System.nanoTime();
      platform.start();
      platform.awaitSubscribed(Duration.ofMinutes(3));
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
      long idleSince = System.nanoTime();
      while (platform.rowsWritten() <= 0) {
        if (fleet.acked.get() < total) {
          idleSince = System.nanoTime(); // devices still sending: rows must come
        } else if (System.nanoTime() - idleSince > TimeUnit.SECONDS.toNanos(10)) {
          notes.add("nothing left to write after a restart");
          return;
        }
        if (System.nanoTime() > deadline) {
          recovered(-1);
          return;
        }
        Thread.sleep(10);
      }
      recovered((System.nanoTime() - t0) / 1e9);
    }

    /** The database, crash-stopped by the caller, stays down for the outage, then starts. */
    private void databaseOutage() throws Exception {
      Thread.sleep((name.equals("ext-pg-recovery") ? recoveryOutageS : outageS) * 1000L);
      double before = platform.rowsWritten();
      cluster.start(); // returns once the server accepts connections
      long back = System.nanoTime();
      double recovery = platform.awaitFirstRows(back, before, Duration.ofMinutes(3));
      recovered(recovery);
      if (name.equals("ext-pg-recovery") && (recovery < 0 || recovery > maxRecoveryS)) {
        failures.add(recovery < 0
            ? String.format("no rows written within 3 min of the database being back (required ≤ %.1f s)", maxRecoveryS)
            : String.format("writing again %.1f s after the database was back (required ≤ %.1f s)", recovery, maxRecoveryS));
      }
    }

    private void recovered(double seconds) {
      if (seconds < 0) {
        notes.add("no rows after the fault within 3 min");
      }
      worstRecovery = seconds < 0 ? Double.POSITIVE_INFINITY : Math.max(worstRecovery, seconds);
    }

    private void awaitAllAcked() throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
      while (fleet.acked.get() < total) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("devices got PUBACKs for only " + fleet.acked.get() + " of " + total);
        }
        Thread.sleep(50);
      }
    }

    /** Until every message is stored, or nothing more arrived for the settle time. */
    private void awaitSettled() throws InterruptedException {
      long last = -1;
      long lastChange = System.nanoTime();
      while (true) {
        long stored = Verification.stored(jdbcUrl);
        if (stored >= total) {
          return;
        }
        if (stored != last) {
          last = stored;
          lastChange = System.nanoTime();
        } else if (System.nanoTime() - lastChange > TimeUnit.SECONDS.toNanos(settleS)) {
          notes.add("settled at " + stored + " stored");
          return;
        }
        Thread.sleep(250);
      }
    }

    /** The embedded server's postmaster (from its pid file) and every process it started. */
    private List<ProcessHandle> embeddedDatabaseProcesses() {
      try {
        long pid = Long.parseLong(Files.readAllLines(embeddedData.resolve("postmaster.pid")).get(0).trim());
        Optional<ProcessHandle> postmaster = ProcessHandle.of(pid);
        if (postmaster.isEmpty()) {
          return List.of();
        }
        return Stream.concat(Stream.of(postmaster.get()), postmaster.get().descendants()).toList();
      } catch (IOException | RuntimeException e) {
        return List.of();
      }
    }

    private void awaitGone(List<ProcessHandle> processes) throws InterruptedException {
      for (ProcessHandle p : processes) {
        for (int i = 0; i < 100 && p.isAlive(); i++) {
          Thread.sleep(50);
        }
      }
    }

    @Override
    public void close() {
      if (fleet != null) {
        fleet.stop();
      }
      try {
        if (platform != null) {
          platform.close();
        }
        if (zeroConfig && embeddedData != null) {
          // a database left behind by a killed platform
          List<ProcessHandle> left = embeddedDatabaseProcesses();
          left.stream().limit(1).forEach(ProcessHandle::destroy);
          awaitGone(left);
          left.forEach(ProcessHandle::destroyForcibly);
        }
        if (mosquitto != null) {
          mosquitto.close();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    Result result(double seconds) {
      Verification v = verification;
      long acked = fleet == null ? 0 : fleet.acked.get();
      if (v != null) {
        if (v.lost() > 0) {
          failures.add(v.lost() + " PUBACKed messages lost");
        }
        if (v.duplicateRows() + v.unexpectedRows() > 0) {
          failures.add((v.duplicateRows() + v.unexpectedRows()) + " duplicated or unexpected rows");
        }
        if (v.wrongValues() > 0) {
          failures.add(v.wrongValues() + " rows with wrong values");
        }
        if (v.wrongLatest() > 0) {
          failures.add(v.wrongLatest() + " devices with a wrong latest value");
        }
        if (name.endsWith("sigterm") && v.rewritten() > fleet.resent.get()) {
          failures.add((v.rewritten() - fleet.resent.get()) + " committed messages not acknowledged before exit "
              + "(stored again)");
        }
      } else if (failures.isEmpty()) {
        failures.add("not verified");
      }
      if (name.equals("ext-backlog") && platform != null) {
        if (platform.peakRssMb() > maxRssMb) {
          failures.add("peak RSS " + platform.peakRssMb() + " MB > " + maxRssMb + " MB");
        }
        if (platform.peakInflight() > maxInflight) {
          failures.add(String.format("peak in-flight %.0f > %d", platform.peakInflight(), maxInflight));
        }
      }
      return new Result(name, zeroConfig ? "zero-config" : "external", total, acked,
          v == null ? -1 : v.found(), v == null ? -1 : v.lost(),
          v == null ? -1 : v.duplicateRows() + v.unexpectedRows(), fleet == null ? 0 : fleet.resent.get(),
          v == null ? -1 : v.rewritten(), worstRecovery, platform == null ? 0 : platform.peakRssMb(),
          platform == null ? 0 : (long) platform.peakInflight(), seconds, failures.isEmpty(),
          String.join("; ", failures.isEmpty() ? notes : failures));
    }
  }

  private static int intEnv(String name, int fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : Integer.parseInt(v.trim());
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
    }
  }

  /** One row of the table. */
  record Result(String scenario, String mode, long messages, long acked, long found, long lost, long duplicated,
                long resent, long rewritten, double recoveryS, long peakRssMb, long peakInflight, double seconds,
                boolean pass, String detail) {
    static final String HEADER = String.format("%-19s %-11s %8s %8s %8s %6s %5s %7s %9s %8s %7s %8s %6s  %s",
        "scenario", "mode", "N", "PUBACKed", "found", "lost", "dup", "resent", "rewritten", "recovery", "RSS MB",
        "inflight", "time s", "result");
    static final String CSV_HEADER = "scenario,mode,messages,pubacked,found,lost,duplicated_rows,resent,rewritten,"
        + "recovery_s,peak_rss_mb,peak_inflight,seconds,pass,detail";

    String line() {
      return String.format("%-19s %-11s %8d %8d %8d %6d %5d %7d %9d %8s %7d %8d %6.0f  %s%s", scenario, mode, messages,
          acked, found, lost, duplicated, resent, rewritten, recovery(), peakRssMb, peakInflight, seconds,
          pass ? "PASS" : "FAIL", detail.isEmpty() ? "" : " (" + detail + ")");
    }

    String csv() {
      return String.join(",", scenario, mode, Long.toString(messages), Long.toString(acked), Long.toString(found),
          Long.toString(lost), Long.toString(duplicated), Long.toString(resent), Long.toString(rewritten), recovery(),
          Long.toString(peakRssMb), Long.toString(peakInflight), String.format("%.1f", seconds), Boolean.toString(pass),
          "\"" + detail.replace("\"", "'") + "\"");
    }

    private String recovery() {
      return recoveryS < 0 ? "-" : Double.isInfinite(recoveryS) ? "never" : String.format("%.1f s", recoveryS);
    }
  }
}
