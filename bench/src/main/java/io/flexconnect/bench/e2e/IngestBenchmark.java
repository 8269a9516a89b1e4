package io.flexconnect.bench.e2e;

import io.flexconnect.bench.faults.Mosquitto;
import io.flexconnect.testing.ListenPorts;
import io.flexconnect.device.DeviceRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * End-to-end ingestion benchmark: the same rows stored, in one sequence on one PostgreSQL cluster,
 * by {@code psql \copy} (the ceiling) and by the platform JAR from JSON and from binary CAN
 * messages that devices publish with QoS 1 through a real Mosquitto; each pipeline into a fresh
 * database, its stored rows checked against the COPY table of the same run. Run by
 * {@code bench/e2e/ingest-throughput.sh}, which documents the settings.
 *
 * <pre>
 * IngestBenchmark JAR RESULTS_DIR MESSAGES      (settings: INGEST_* environment variables)
 * </pre>
 */
public final class IngestBenchmark {
  /** The steady-state window: from this share of the rows committed (warm-up excluded) … */
  static final double STEADY_FROM = 0.25;
  /** … to this share (the drain of the last messages excluded). */
  static final double STEADY_TO = 0.90;
  private static final String COPY_ROWS_SQL = "SELECT device_id, name, time, value FROM telemetry";
  private static final long SAMPLE_MS = 200;
  private static final Pattern GC_FLAG = Pattern.compile("-XX:\\+Use(\\w+)GC\\b");

  private final Path jar;
  private final Path work;
  private final IngestDataset dataset;
  private final int runs;
  private final int window;
  private final String heap;
  private final String smallHeap;
  private final URI dbUrl;
  private final String platformRowsSql;
  private final String psql;
  private final Map<String, String> platformEnv;
  private final List<String> javaOptions;
  private final List<String> formats;
  private final int mqttPort;
  private final int httpPort;
  private final ProcStats proc = new ProcStats(ProcStats.clockTicksPerSecond());
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1))
      .version(HttpClient.Version.HTTP_1_1).build();
  private final Vertx vertx = Vertx.vertx();
  private long postmasterPid;

  private IngestBenchmark(Path jar, int messages, Map<String, String> env) throws IOException {
    this.jar = jar.toAbsolutePath();
    this.work = env.containsKey("INGEST_WORK") ? Path.of(env.get("INGEST_WORK")) : Files.createTempDirectory("ingest-bench");
    this.dataset = new IngestDataset(Integer.parseInt(env.getOrDefault("INGEST_DEVICES", "20")), messages);
    this.runs = Integer.parseInt(env.getOrDefault("INGEST_RUNS", "3"));
    this.window = Integer.parseInt(env.getOrDefault("INGEST_WINDOW", "50"));
    this.heap = env.getOrDefault("INGEST_HEAP", "");
    this.smallHeap = env.getOrDefault("INGEST_SMALL_HEAP", "256m");
    this.dbUrl = URI.create(required(env, "INGEST_DB_URL"));
    this.platformRowsSql = env.getOrDefault("INGEST_ROWS_SQL",
        "SELECT device_id, signal AS name, ts AS time, value FROM telemetry");
    this.psql = env.getOrDefault("INGEST_PSQL", "/usr/lib/postgresql/15/bin/psql");
    this.platformEnv = keyValues(env.getOrDefault("INGEST_PLATFORM_ENV", ""));
    this.javaOptions = words(env.getOrDefault("INGEST_JAVA_OPTS", ""));
    this.formats = words(env.getOrDefault("INGEST_FORMATS", "json can"));
    this.mqttPort = port(env, "INGEST_MQTT_PORT");
    this.httpPort = port(env, "INGEST_HTTP_PORT");
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: IngestBenchmark JAR RESULTS_DIR MESSAGES");
      System.exit(2);
    }
    IngestBenchmark bench = new IngestBenchmark(Path.of(args[0]), Integer.parseInt(args[2]), System.getenv());
    try {
      bench.run(Path.of(args[1]));
    } finally {
      bench.vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private void run(Path results) throws Exception {
    Files.createDirectories(work);
    Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
    postmasterPid = postmasterPid();
    String header = header();
    System.out.print(header);
    Path csv = work.resolve("rows.csv");
    dataset.writeCsv(csv);
    writePlatformConfig();

    List<Measurement> measurements = new ArrayList<>();
    for (int r = 1; r <= runs; r++) {
      String copyDb = "ingest_copy_" + r;
      Measurement copy = copy(r, copyDb, csv);
      Checksum reference = checksum(copyDb, COPY_ROWS_SQL);
      report(measurements, copy, results, header);
      for (String format : formats) {
        report(measurements, platform(r, format, heap, copy.rowsPerS(), reference), results, header);
      }
      if (r == 1 && !smallHeap.isEmpty()) {
        // right after the first run, compared with its COPY: a run cut short still has it
        for (String format : formats) {
          report(measurements, platform(r, format, smallHeap, copy.rowsPerS(), reference), results, header);
        }
      }
      dropDatabase(copyDb);
    }
    Files.deleteIfExists(csv);
    System.out.println();
    System.out.print(new IngestReport(measurements).table());
  }

  /** Prints the run and rewrites the result files, so that a sequence cut short leaves what it measured. */
  private void report(List<Measurement> measurements, Measurement m, Path results, String header) throws IOException {
    measurements.add(m);
    System.out.println(IngestReport.line(m));
    new IngestReport(measurements).write(results, header);
  }

  // ---- COPY ceiling ----

  private Measurement copy(int run, String db, Path csv) throws Exception {
    createDatabase(db);
    try (Connection c = connect(db); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE telemetry (time timestamptz NOT NULL, device_id text NOT NULL, name text NOT NULL,"
          + " value float8, tags jsonb)");
      s.execute("CREATE UNIQUE INDEX telemetry_key ON telemetry (device_id, name, time)");
      s.execute("CHECKPOINT");
    }
    List<String> command = new ArrayList<>(List.of(psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", dbUrl.getHost(),
        "-p", Integer.toString(dbUrl.getPort()), "-U", user(), "-d", db, "-c",
        "\\copy telemetry FROM '" + csv + "' WITH (FORMAT csv)"));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(work.resolve("psql-" + run + ".log").toFile());
    password().ifPresent(pw -> builder.environment().put("PGPASSWORD", pw));
    long pg0 = settledClusterTicks();
    long t0 = System.nanoTime();
    Process p = builder.start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException("psql \\copy failed; see " + work.resolve("psql-" + run + ".log"));
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    String load = load();
    // psql's backend ends after psql: its time counts once the postmaster has reaped it
    long pg = settledClusterTicks() - pg0;
    long rows = dataset.rows();
    return new Measurement("copy", "", run, rows, seconds, rows / seconds, Double.NaN, proc.micros(pg) / rows, 0, 0,
        Double.NaN, Double.NaN, Double.NaN, "", true, load);
  }

  // ---- the platform ----

  private Measurement platform(int run, String format, String platformHeap, double copyRowsPerS, Checksum reference)
      throws Exception {
    String label = format + "-" + (platformHeap.isEmpty() ? "default" : platformHeap) + "-" + run;
    String db = "ingest_" + format + "_" + run + (platformHeap.isEmpty() ? "" : "_" + platformHeap);
    Path dir = work.resolve(label);
    Files.createDirectories(dir);
    createDatabase(db);
    byte[][][] payloads = payloads(format);
    // the shipped no-loss settings (docker/mosquitto/mosquitto.conf) on a plain loopback listener
    Mosquitto mosquitto = new Mosquitto(dir.resolve("mosquitto"), mqttPort);
    mosquitto.start();
    Process platform = null;
    try {
      platform = startPlatform(dir, db, platformHeap);
      awaitSubscribed(platform, dir);
      registerDevices(db);
      try (Connection c = connect(db); Statement s = c.createStatement()) {
        s.execute("CHECKPOINT");
      }
      long expected = dataset.rows();
      List<long[]> samples = new ArrayList<>();
      long pid = platform.pid();
      long clusterStart = settledClusterTicks();
      long t0 = System.nanoTime();
      long[] start = {0, 0, ProcStats.processTicks(pid), clusterStart};
      Future<Void> published = DevicePublishers.publish(vertx, mqttPort, format, payloads, window);
      // the devices share the CPUs with the platform: when they are done shows when it has them alone
      AtomicLong publishedAt = new AtomicLong(-1);
      published.onSuccess(v -> publishedAt.set(System.nanoTime() - t0));
      long[] end = awaitCommitted(platform, dir, db, published, t0, expected, samples);
      double seconds = end[0] / 1e9;
      String load = load();
      Map<String, Double> metrics = metrics();
      // every message decoded once: a refused or retried delivery is counted by the pipeline again
      long decodedAgain = Math.round(metrics.getOrDefault("flexconnect_messages_total", 0.0)) - messages(payloads);
      long rssMb = ProcStats.peakRssKb(pid) / 1024;
      String gc = gc(pid);
      published.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      Checksum stored = checksum(db, platformRowsSql);
      boolean verified = stored.equals(reference);
      String note = load + (verified ? "" : " stored " + stored + " vs COPY " + reference);
      double[] steady = steady(samples, expected);
      // where the window lies shows how long warm-up and drain took
      note += String.format(Locale.ROOT, " steady=%.1f..%.1fs published=%.1fs", steady[3], steady[4],
          publishedAt.get() / 1e9);
      return new Measurement(format, platformHeap.isEmpty() ? "default" : platformHeap, run, expected, seconds,
          copyRowsPerS, proc.micros(end[2] - start[2]) / expected, proc.micros(end[3] - start[3]) / expected, rssMb,
          decodedAgain, steady[0], steady[1], steady[2], gc, verified, note);
    } finally {
      stop(platform);
      mosquitto.stop();
      dropDatabase(db);
    }
  }

  /**
   * The cluster's CPU once it stopped changing for 300 ms (at most 5 s): a backend that just ended
   * is invisible in {@code /proc} until the postmaster reaps it and adds its time to its own
   * {@code cutime}, so reading at once would miss it.
   */
  private long settledClusterTicks() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    long last = ProcStats.clusterTicks(postmasterPid);
    int quiet = 0;
    while (quiet < 3 && System.nanoTime() < deadline) {
      Thread.sleep(100);
      long now = ProcStats.clusterTicks(postmasterPid);
      quiet = now == last ? quiet + 1 : 0;
      last = now;
    }
    return last;
  }

  /** The 1-minute load average when a measurement ends: how much else wanted the CPUs. */
  private static String load() {
    try {
      return "load1=" + Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException e) {
      return "";
    }
  }

  private static long messages(byte[][][] payloads) {
    long n = 0;
    for (byte[][] device : payloads) {
      n += device.length;
    }
    return n;
  }

  private byte[][][] payloads(String format) {
    byte[][][] payloads = new byte[dataset.devices()][][];
    for (int d = 0; d < payloads.length; d++) {
      payloads[d] = new byte[dataset.messagesOf(d)][];
      for (int i = 0; i < payloads[d].length; i++) {
        payloads[d][i] = format.equals("json") ? dataset.json(d, i) : dataset.can(d, i);
      }
    }
    return payloads;
  }

  /**
   * Samples (elapsed ns, rows committed, platform ticks, cluster ticks) every {@value #SAMPLE_MS} ms
   * until the platform's counter says every row is committed and the database agrees; returns that
   * sample. The confirming {@code count(*)} runs after the sample, outside the measured window.
   */
  private long[] awaitCommitted(Process platform, Path dir, String db, Future<Void> published, long t0, long expected,
      List<long[]> samples) throws Exception {
    long lastRows = -1;
    long lastProgress = System.nanoTime();
    while (true) {
      Thread.sleep(SAMPLE_MS);
      long rows = Math.round(metrics().getOrDefault("flexconnect_storage_rows_written_total", 0.0));
      long[] sample = {System.nanoTime() - t0, rows, ProcStats.processTicks(platform.pid()),
          ProcStats.clusterTicks(postmasterPid)};
      samples.add(sample);
      if (!platform.isAlive()) {
        throw new IllegalStateException("the platform exited; see " + dir.resolve("platform.log"));
      }
      if (published.failed()) {
        throw new IllegalStateException("publishing failed", published.cause());
      }
      if (rows >= expected && count(db) >= expected) {
        return sample;
      }
      if (rows != lastRows) {
        lastRows = rows;
        lastProgress = System.nanoTime();
      } else if (System.nanoTime() - lastProgress > TimeUnit.SECONDS.toNanos(120)) {
        throw new IllegalStateException("no progress for 120 s at " + rows + " of " + expected + " rows; see "
            + dir.resolve("platform.log"));
      }
    }
  }

  /** Rows/s, platform and cluster µs per row between {@link #STEADY_FROM} and {@link #STEADY_TO} of the rows. */
  private double[] steady(List<long[]> samples, long expected) {
    long[] from = null;
    long[] to = null;
    for (long[] s : samples) {
      if (from == null && s[1] >= STEADY_FROM * expected) {
        from = s;
      }
      if (to == null && s[1] >= STEADY_TO * expected) {
        to = s;
      }
    }
    if (from == null || to == null || to[1] <= from[1]) {
      return new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN};
    }
    double rows = to[1] - from[1];
    return new double[] {rows / ((to[0] - from[0]) / 1e9), proc.micros(to[2] - from[2]) / rows,
        proc.micros(to[3] - from[3]) / rows, from[0] / 1e9, to[0] / 1e9};
  }

  private Process startPlatform(Path dir, String db, String platformHeap) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (!platformHeap.isEmpty()) {
      command.add("-Xmx" + platformHeap);
    }
    command.addAll(javaOptions);
    command.addAll(List.of("-jar", jar.toString()));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("platform.log").toFile());
    Map<String, String> env = builder.environment();
    env.put("FLEXCONNECT_CONFIG", work.resolve("platform.json").toString());
    env.put("FLEXCONNECT_DB_URL", database(db).toString());
    env.put("FLEXCONNECT_MQTT_URL", "mqtt://127.0.0.1:" + mqttPort);
    env.put("FLEXCONNECT_MQTT_CLIENT_ID", "flexconnect-bench");
    env.put("FLEXCONNECT_HTTP_HOST", "127.0.0.1");
    env.put("FLEXCONNECT_HTTP_PORT", Integer.toString(httpPort));
    env.put("FLEXCONNECT_PKI_DIR", dir.resolve("pki").toString());
    env.putAll(platformEnv);
    return builder.start();
  }

  /** The bench DBC for every device (binary CAN), beside the platform's shipped defaults. */
  private void writePlatformConfig() throws IOException {
    Path dbcDir = Path.of("bench/e2e/dbc").toAbsolutePath();
    Files.writeString(work.resolve("platform.json"), """
        {"can": {"dbcDir": "%s", "dbcMappings": [{"devices": "*", "file": "bench.dbc"}]}}
        """.formatted(dbcDir));
  }

  private void awaitSubscribed(Process platform, Path dir) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (metrics().getOrDefault("flexconnect_mqtt_subscribed", 0.0) < 1) {
      if (!platform.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("the platform did not subscribe; see " + dir.resolve("platform.log"));
      }
      Thread.sleep(100);
    }
  }

  private void registerDevices(String db) throws Exception {
    Pool pool = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(database(db).toString())).using(vertx).build();
    try {
      DeviceRegistry registry = new DeviceRegistry(pool);
      List<Future<?>> added = new ArrayList<>();
      for (int d = 0; d < dataset.devices(); d++) {
        added.add(registry.add(IngestDataset.deviceId(d), "default", IngestDataset.token(d)));
      }
      Future.all(added).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } finally {
      pool.close();
    }
  }

  /** Sums every sample of each metric of the platform's Prometheus text ({@code name{labels} value}). */
  private Map<String, Double> metrics() {
    Map<String, Double> values = new HashMap<>();
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics"))
          .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 200) {
        for (String line : r.body().split("\n")) {
          if (line.isEmpty() || line.startsWith("#")) {
            continue;
          }
          int nameEnd = line.indexOf('{') >= 0 ? line.indexOf('{') : line.indexOf(' ');
          double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
          values.merge(line.substring(0, nameEnd), value, Double::sum);
        }
      }
    } catch (IOException e) {
      // not listening yet
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return values;
  }

  private static String gc(long pid) {
    try {
      Process p = new ProcessBuilder("jcmd", Long.toString(pid), "VM.flags").redirectErrorStream(true).start();
      Matcher m = GC_FLAG.matcher(new String(p.getInputStream().readAllBytes()));
      p.waitFor(30, TimeUnit.SECONDS);
      return m.find() ? m.group(1) : "unknown";
    } catch (IOException e) {
      return "unknown (no jcmd)";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  private static void stop(Process p) throws InterruptedException {
    if (p != null && p.isAlive()) {
      p.destroy();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
      }
    }
  }

  // ---- the database ----

  /** Row count and an order-independent checksum over (device, name, epoch ms, value as text). */
  record Checksum(long rows, String sum) {
    @Override
    public String toString() {
      return rows + " rows, sum " + sum;
    }
  }

  private Checksum checksum(String db, String rowsSql) throws SQLException {
    try (Connection c = connect(db); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*), coalesce(sum(hashtextextended(device_id || '|' || name || '|'"
            + " || (extract(epoch FROM time) * 1000)::bigint || '|' || value::text, 0)::numeric), 0)::text"
            + " FROM (" + rowsSql + ") AS stored")) {
      r.next();
      return new Checksum(r.getLong(1), r.getString(2));
    }
  }

  private long count(String db) throws SQLException {
    try (Connection c = connect(db); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) FROM (" + platformRowsSql + ") AS stored")) {
      r.next();
      return r.getLong(1);
    }
  }

  private void createDatabase(String db) throws SQLException {
    dropDatabase(db);
    try (Connection c = connect(adminDatabase()); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + db);
    }
  }

  private void dropDatabase(String db) throws SQLException {
    try (Connection c = connect(adminDatabase()); Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
    }
  }

  /** The server's postmaster: the parent of this session's backend (the server must run on this machine). */
  private long postmasterPid() throws SQLException {
    try (Connection c = connect(adminDatabase()); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT pg_backend_pid()")) {
      r.next();
      return ProcStats.parentPid(r.getLong(1));
    }
  }

  private String header() throws SQLException, IOException, InterruptedException {
    String version;
    try (Connection c = connect(adminDatabase()); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT current_setting('server_version'), current_setting('shared_preload_libraries')")) {
      r.next();
      version = "PostgreSQL " + r.getString(1) + " (preloaded: " + r.getString(2) + ")";
    }
    return String.format("# %s, %d cores, platform %s: %d messages × 100 rows (%d rows) from %d devices, QoS 1,"
            + " window %d per device, %d run(s), median reported%n# %s, Mosquitto %s, CPU from /proc (%d ticks/s),"
            + " steady state = %.0f%%..%.0f%% of the rows committed, platform JVM options: %s%n",
        Instant.now().toString().substring(0, 19) + "Z", Runtime.getRuntime().availableProcessors(),
        System.getenv().getOrDefault("INGEST_PLATFORM_VERSION", "?"), dataset.messages(), dataset.rows(),
        dataset.devices(), window, runs, version, mosquittoVersion(),
        Math.round(1e6 / proc.micros(1)), STEADY_FROM * 100, STEADY_TO * 100,
        javaOptions.isEmpty() ? "(none)" : String.join(" ", javaOptions));
  }

  private static String mosquittoVersion() throws IOException, InterruptedException {
    Process p = new ProcessBuilder(Mosquitto.binary(), "-h").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    Matcher m = Pattern.compile("version (\\S+)").matcher(out);
    return m.find() ? m.group(1) : "?";
  }

  private Connection connect(String db) throws SQLException {
    String pw = password().orElse(null);
    return DriverManager.getConnection("jdbc:postgresql://" + dbUrl.getHost() + ":" + dbUrl.getPort() + "/" + db,
        user(), pw);
  }

  /** The server URL with another database. */
  private URI database(String db) {
    return URI.create(dbUrl.getScheme() + "://" + dbUrl.getRawUserInfo() + "@" + dbUrl.getHost() + ":"
        + dbUrl.getPort() + "/" + db);
  }

  private String adminDatabase() {
    String path = dbUrl.getPath();
    return path == null || path.length() <= 1 ? "postgres" : path.substring(1);
  }

  private String user() {
    String info = dbUrl.getUserInfo();
    return info == null ? "postgres" : info.split(":", 2)[0];
  }

  private Optional<String> password() {
    String info = dbUrl.getUserInfo();
    return info != null && info.contains(":") ? Optional.of(info.split(":", 2)[1]) : Optional.empty();
  }

  private static String required(Map<String, String> env, String name) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException(name + " is not set");
    }
    return v;
  }

  private static int port(Map<String, String> env, String name) throws IOException {
    String v = env.getOrDefault(name, "");
    if (!v.isBlank()) {
      return Integer.parseInt(v);
    }
    return ListenPorts.free();
  }

  private static List<String> words(String spaceSeparated) {
    return spaceSeparated.isBlank() ? List.of() : List.of(spaceSeparated.trim().split("\\s+"));
  }

  private static Map<String, String> keyValues(String spaceSeparated) {
    Map<String, String> map = new HashMap<>();
    for (String kv : spaceSeparated.trim().split("\\s+")) {
      if (kv.contains("=")) {
        map.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
      }
    }
    return map;
  }
}
