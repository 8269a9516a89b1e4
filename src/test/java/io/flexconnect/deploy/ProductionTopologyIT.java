package io.flexconnect.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.flexconnect.testing.Await;
import io.flexconnect.testing.DeviceFiles;
import io.flexconnect.testing.Http;
import io.flexconnect.testing.ListenPorts;
import io.flexconnect.testing.Mosquitto;
import io.flexconnect.testing.MtlsDevice;
import io.flexconnect.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The production topology of {@code docker/compose.yaml}, without Docker: the built JAR as its own
 * process configured only by the environment compose gives the {@code flexconnect} service (read
 * from the file, {@code ${…}} filled in from a {@code .env} made as README says), a real Mosquitto
 * with {@code docker/mosquitto/mosquitto.conf} and certificates made by README's own commands, and
 * the test database server initialised with {@code docker/initdb}. A device provisioned over REST
 * publishes the guide's examples over mTLS; they are read back over REST and as
 * {@code flexconnect_reader}.
 *
 * <p>What Docker would do is the only thing this test adds, and it is spelt out in {@link Topology}:
 * compose's DNS becomes a hosts file for the platform's JVM (service names stay in the URLs, so TLS
 * checks the broker certificate's {@code mosquitto}), service and published ports become free ports,
 * bind mounts and named volumes become directories, and {@code POSTGRES_DB} becomes a fresh database
 * on the test server.
 */
class ProductionTopologyIT {
  static final Path REPO = Path.of("").toAbsolutePath();
  static final Path JAR = REPO.resolve("target/flexconnect.jar");
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final String GUIDE_TOKEN = "tok_demo-0001-7f3a9c2e5b814d06a1e2c3d4e5f60718";
  /** README's placeholder for the name devices reach the broker by. */
  static final String EXAMPLE_HOST = "mqtt.example.com";

  static Topology topology;
  static Mosquitto mosquitto;
  static Process platform;
  static Vertx vertx;
  static Http http;
  static long startedAt;

  @BeforeAll
  static void start() throws Exception {
    startedAt = System.nanoTime();
    assertThat(JAR).as("run after 'mvn package'").isRegularFile();
    topology = Topology.create();
    topology.makeCertificatesAsReadmeSays();
    topology.initialiseDatabase();
    mosquitto = topology.startMosquitto();
    platform = topology.startPlatform();
    vertx = Vertx.vertx();
    http = new Http(topology.httpPort, topology.createApiKey());
  }

  @AfterAll
  static void stop() throws Exception {
    if (platform != null) {
      platform.destroy();
      if (!platform.waitFor(20, TimeUnit.SECONDS)) {
        platform.destroyForcibly();
      }
    }
    if (mosquitto != null) {
      mosquitto.close();
    }
    if (vertx != null) {
      Await.result(vertx.close());
    }
    System.out.printf("ProductionTopologyIT took %d s%n", Duration.ofNanos(System.nanoTime() - startedAt).toSeconds());
  }

  @Test
  void verifiesThatADeviceProvisionedOverRestPublishesTheGuidesExamplesOverMtlsAndTheyAreReadOverRestAndAsTheReader()
      throws Exception {
    Http.BinaryResponse response = http.post("/api/v1/devices",
        new JsonObject().put("device_id", "demo-0001").put("token", GUIDE_TOKEN).encode(), null);
    assertThat(response.status()).as(response.text()).isEqualTo(201);
    JsonObject device = response.json();
    // What the guide's client needs: configureEndpoint(hostName=…, portNumber=8883).
    assertThat(device.getString("host")).isEqualTo(topology.env.get("FLEXCONNECT_PKI_ADVERTISED_HOST"));
    // The broker's port 8883 (published as itself by compose; here both are the same free port).
    assertThat(device.getInteger("port")).isEqualTo(topology.publishedPort(8883));

    DeviceFiles files = DeviceFiles.of(device);
    // By the advertised name (the broker's certificate must name it) and the port device.json gives.
    try (MtlsDevice client = Await.result(MtlsDevice.connect(vertx, device.getString("host"),
        device.getInteger("port"), "demo-0001", files.caPem(), files.certPem(), files.keyPem()))) {
      for (String[] example : List.of(
          new String[] {"flexconnect/mqtt_topic", "seed-json.json"},
          new String[] {"flexconnect/mqtt_topic", "seed-json-compressed.json"},
          new String[] {"flexconnect/mqtt_topic_binary", "seed-binary.bin"},
          new String[] {"flexconnect/mqtt_topic_binary", "seed-binary-compressed.bin"})) {
        byte[] payload = Files.readAllBytes(REPO.resolve("examples/messages").resolve(example[1]));
        assertThat(client.publish(example[0], payload)).as(example[1]).isTrue();
      }
    }

    JsonArray latest = Await.until("the examples over REST", Duration.ofSeconds(30), () -> {
      JsonArray signals = http.get("/api/v1/devices/demo-0001/latest").json().getJsonArray("signals");
      Set<String> names = new HashSet<>();
      signals.forEach(s -> names.add(((JsonObject) s).getString("signal")));
      return names.containsAll(List.of("temperature", "humidity", "EngineData.EngineSpeed")) ? signals : null;
    });
    assertThat(value(latest, "temperature")).isEqualTo(22.5);
    assertThat(value(latest, "EngineData.EngineSpeed")).isEqualTo(1026.0);

    try (Connection reader = topology.readerConnection(); Statement st = reader.createStatement()) {
      ResultSet rs = st.executeQuery("SELECT value FROM telemetry WHERE device_id = 'demo-0001' AND signal = 'temperature'");
      assertThat(rs.next()).isTrue();
      assertThat(rs.getDouble(1)).isEqualTo(22.5);
      // The platform is logged in as compose's FLEXCONNECT_DB_USER, with FLEXCONNECT_DB_PASSWORD.
      ResultSet users = st.executeQuery("SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = current_database()"
          + " AND pid <> pg_backend_pid()");
      List<String> names = new ArrayList<>();
      while (users.next()) {
        names.add(users.getString(1));
      }
      assertThat(names).contains(topology.env.get("FLEXCONNECT_DB_USER"));
    }
  }

  static double value(JsonArray signals, String name) {
    return signals.stream().map(JsonObject.class::cast).filter(s -> s.getString("signal").equals(name))
        .findFirst().orElseThrow().getDouble("value");
  }

  /**
   * The operator's checkout (README's commands run in it), compose's files read from it, and what
   * Docker would provide, mapped to this machine.
   */
  static final class Topology {
    final Path checkout;
    final Path docker;
    final Path app;
    final JsonNode compose;
    final Map<String, String> dotEnv;
    /** The flexconnect service's environment as compose computes it, mapped to this machine. */
    final Map<String, String> env;
    final int mosquittoPort;
    final int httpPort;
    final URI testDatabase;
    final String database;
    /** compose's DNS: service name → address, for the platform's JVM. */
    final Path hostsFile;
    /** Service host:port inside compose → the same name with the port it listens on here. */
    final Map<String, String> serviceAddresses = new LinkedHashMap<>();
    /** Ports compose publishes on the host → where they are here. */
    final Map<Integer, Integer> publishedPorts = new HashMap<>();

    private Topology(Path checkout) throws Exception {
      this.checkout = checkout;
      this.docker = checkout.resolve("docker");
      this.app = checkout.resolve("app");
      copyTree(REPO.resolve("docker"), docker, Set.of("certs", ".env"));
      // README: "cd docker; cp .env.example .env  # set every password in it" (and the advertised host).
      dotEnv = writeDotEnv();
      compose = YAML.readTree(docker.resolve("compose.yaml").toFile());
      // The image's /app (docker/Dockerfile: WORKDIR /app, COPY conf/flexconnect.json and dbc).
      Files.createDirectories(app.resolve("conf"));
      Files.copy(REPO.resolve("conf/flexconnect.json"), app.resolve("conf/flexconnect.json"));
      copyTree(REPO.resolve("dbc"), app.resolve("dbc"), Set.of());

      mosquittoPort = ListenPorts.free();
      httpPort = ListenPorts.free();
      String url = TestDatabase.newDatabase("topology");
      testDatabase = URI.create(url);
      database = testDatabase.getPath().substring(1);
      serviceAddresses.put("timescaledb:5432", "timescaledb:" + testDatabase.getPort());
      serviceAddresses.put("mosquitto:8883", "mosquitto:" + mosquittoPort);
      hostsFile = checkout.resolve("hosts");
      InetAddress machine = InetAddress.getLocalHost();
      Files.write(hostsFile, List.of(
          InetAddress.getByName(testDatabase.getHost()).getHostAddress() + " timescaledb",
          "127.0.0.1 mosquitto",
          "127.0.0.1 localhost",
          machine.getHostAddress() + " " + machine.getHostName()));
      publishedPorts.put(8883, mosquittoPort);
      publishedPorts.put(8080, httpPort);
      env = platformEnvironment();
    }

    static Topology create() throws Exception {
      return new Topology(Files.createTempDirectory("flexconnect-topology"));
    }

    /** The platform's JVM resolves names with {@link #hostsFile}, as a container resolves compose's services. */
    List<String> platformJvm() {
      return List.of("java", "-Xmx384m", "-Djdk.net.hosts.file=" + hostsFile, "-Dvertx.disableDnsResolver=true");
    }

    int publishedPort(int port) {
      return publishedPorts.get(port);
    }

    private Map<String, String> writeDotEnv() throws IOException {
      SecureRandom random = new SecureRandom();
      String machine = InetAddress.getLocalHost().getHostName();
      List<String> lines = new ArrayList<>();
      for (String line : Files.readAllLines(docker.resolve(".env.example"))) {
        int eq = line.indexOf('=');
        if (!line.startsWith("#") && eq > 0) {
          String key = line.substring(0, eq);
          if (key.contains("PASSWORD") && eq < line.length() - 1) {
            line = key + "=" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36) + "Pw";
          } else if (key.equals("FLEXCONNECT_PKI_ADVERTISED_HOST")) {
            line = key + "=" + machine; // the name devices reach this machine by
          }
        }
        lines.add(line);
      }
      Files.write(docker.resolve(".env"), lines);
      Map<String, String> values = new LinkedHashMap<>();
      for (String line : lines) {
        int eq = line.indexOf('=');
        if (!line.startsWith("#") && eq > 0) {
          values.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
        }
      }
      assertThat(values).as(".env.example names the advertised host").containsKey("FLEXCONNECT_PKI_ADVERTISED_HOST");
      return values;
    }

    JsonNode service(String name) {
      JsonNode s = compose.path("services").path(name);
      assertThat(s.isMissingNode()).as("compose service " + name).isFalse();
      return s;
    }

    /** A service's environment with ${…} filled in as compose does, from .env. */
    Map<String, String> composeEnvironment(String serviceName) {
      Map<String, String> out = new LinkedHashMap<>();
      service(serviceName).path("environment").fields()
          .forEachRemaining(e -> out.put(e.getKey(), interpolate(e.getValue().asText(), dotEnv)));
      return out;
    }

    /** Bind mounts and named volumes of a service: container path → directory or file here. */
    Map<String, Path> mounts(String serviceName) throws IOException {
      Map<String, Path> out = new LinkedHashMap<>();
      for (JsonNode v : service(serviceName).path("volumes")) {
        String[] parts = v.asText().split(":");
        Path host = parts[0].startsWith(".") ? docker.resolve(parts[0]).normalize()
            : Files.createDirectories(checkout.resolve("volumes").resolve(parts[0]));
        out.put(parts[1], host);
      }
      return out;
    }

    static String mapPath(String containerPath, Map<String, Path> mounts) {
      String best = null;
      for (String mount : mounts.keySet()) {
        String m = mount.endsWith("/") ? mount.substring(0, mount.length() - 1) : mount;
        if ((containerPath.equals(m) || containerPath.startsWith(m + "/")) && (best == null || m.length() > best.length())) {
          best = m;
        }
      }
      if (best == null) {
        throw new AssertionError(containerPath + " is on no volume of the service");
      }
      Path host = mounts.containsKey(best) ? mounts.get(best) : mounts.get(best + "/");
      return host + containerPath.substring(best.length());
    }

    private Map<String, String> platformEnvironment() throws IOException {
      Map<String, Path> mounts = mounts("flexconnect");
      mounts.put("/app", app); // the image's WORKDIR, for paths not on a volume
      String composeDb = composeEnvironment("timescaledb").get("POSTGRES_DB");
      Map<String, String> out = new LinkedHashMap<>();
      composeEnvironment("flexconnect").forEach((key, value) -> {
        if (value.startsWith("/")) {
          value = mapPath(value, mounts);
        }
        Matcher url = Pattern.compile("^([a-z]+)://([^/@]+)(/.*)?$").matcher(value);
        if (url.matches() && serviceAddresses.containsKey(url.group(2))) {
          String path = url.group(3) == null ? "" : url.group(3);
          if (url.group(1).startsWith("postgres") && path.equals("/" + composeDb)) {
            path = "/" + database;
          }
          value = url.group(1) + "://" + serviceAddresses.get(url.group(2)) + path;
        }
        out.put(key, value);
      });
      // compose publishes 8080:8080; here a free port.
      out.put("FLEXCONNECT_HTTP_PORT", Integer.toString(httpPort));
      return out;
    }

    /** README's "Production deployment" commands that make certificates, run in the checkout. */
    void makeCertificatesAsReadmeSays() throws Exception {
      String readme = Files.readString(REPO.resolve("README.md"));
      int section = readme.indexOf("## Production deployment");
      int block = readme.indexOf("```sh", section);
      String commands = readme.substring(block + 5, readme.indexOf("```", block + 5));
      List<List<String>> pki = new ArrayList<>();
      for (String line : commands.split("\n")) {
        String command = line.replaceAll("\\s+#.*$", "").trim();
        if (command.startsWith("java -jar target/flexconnect.jar pki ")) {
          List<String> args = new ArrayList<>(Arrays.asList(command.split("\\s+")).subList(3, command.split("\\s+").length));
          args.replaceAll(a -> a.equals(EXAMPLE_HOST) ? dotEnv.get("FLEXCONNECT_PKI_ADVERTISED_HOST") : a);
          pki.add(args);
        }
      }
      assertThat(pki).as("README's pki commands").hasSizeGreaterThanOrEqualTo(2);
      for (List<String> args : pki) {
        assertThat(runJar(checkout, Map.of(), args)).as("pki " + args).contains("wrote");
      }
    }

    /** What the TimescaleDB image does on first start: its superuser and database, then docker/initdb. */
    void initialiseDatabase() throws Exception {
      Map<String, String> db = composeEnvironment("timescaledb");
      String user = db.get("POSTGRES_USER");
      String password = db.get("POSTGRES_PASSWORD");
      TestDatabase.jdbc(TestDatabase.serverUrl("postgres"), conn -> {
        try (Statement st = conn.createStatement()) {
          st.execute("DO $$BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + user + "')"
              + " THEN CREATE ROLE \"" + user + "\"; END IF; END$$");
          st.execute("ALTER ROLE \"" + user + "\" LOGIN SUPERUSER PASSWORD '" + password + "'");
          st.execute("ALTER DATABASE " + database + " OWNER TO \"" + user + "\"");
        }
        return null;
      });
      Map<String, Path> mounts = mounts("timescaledb");
      Path script = Path.of(mapPath(mounts.keySet().stream().filter(m -> m.startsWith("/docker-entrypoint-initdb.d/"))
          .findFirst().orElseThrow(), mounts));
      Map<String, String> scriptEnv = new HashMap<>(db);
      scriptEnv.put("POSTGRES_DB", database);
      // In the container psql reaches the server over its socket; here over TCP with the password.
      scriptEnv.put("PGHOST", testDatabase.getHost());
      scriptEnv.put("PGPORT", Integer.toString(testDatabase.getPort()));
      scriptEnv.put("PGPASSWORD", password);
      String output = run(List.of("sh", script.toString()), checkout, scriptEnv, Duration.ofSeconds(30));
      assertThat(output).doesNotContain("ERROR");
    }

    Mosquitto startMosquitto() throws Exception {
      Map<String, Path> mounts = mounts("mosquitto");
      Path shipped = mounts.get("/mosquitto/config/mosquitto.conf");
      String conf = Files.readString(shipped);
      Matcher paths = Pattern.compile("(?m)(?<=\\s)/mosquitto/\\S*").matcher(conf);
      StringBuilder rewritten = new StringBuilder();
      while (paths.find()) {
        paths.appendReplacement(rewritten, Matcher.quoteReplacement(mapPath(paths.group(), mounts)));
      }
      paths.appendTail(rewritten);
      Path file = checkout.resolve("mosquitto.conf");
      Files.writeString(file, rewritten);
      return Mosquitto.startWithConfigFile(file, Map.of(
          "listener 8883", "listener " + mosquittoPort + " 127.0.0.1",
          // Started as root, Mosquitto would switch to the 'mosquitto' user, which cannot read the keys
          // made here (README chowns server.key to Mosquitto's user in the container).
          "per_listener_settings false", "per_listener_settings false\nuser " + System.getProperty("user.name")),
          mosquittoPort);
    }

    Process startPlatform() throws Exception {
      List<String> command = new ArrayList<>(platformJvm());
      command.addAll(List.of("-jar", JAR.toString()));
      ProcessBuilder builder = new ProcessBuilder(command)
          .directory(app.toFile())
          .redirectErrorStream(true)
          .redirectOutput(checkout.resolve("platform.log").toFile());
      cleanEnvironment(builder.environment()).putAll(env);
      Process process = builder.start();
      Http health = new Http(httpPort);
      try {
        Await.until("the platform's /health", Duration.ofSeconds(90), () -> {
          if (!process.isAlive()) {
            throw new IllegalStateException("the platform exited:\n" + log());
          }
          try {
            return health.get("/health").status() == 200 ? true : null;
          } catch (AssertionError notYet) {
            return null;
          }
        });
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "\nplatform log:\n" + log(), e);
      }
      return process;
    }

    String log() {
      try {
        return Files.readString(checkout.resolve("platform.log"));
      } catch (IOException e) {
        return "(no log)";
      }
    }

    /** README: {@code apikey create --tenant default}, run where the platform runs (docker compose exec). */
    String createApiKey() throws Exception {
      List<String> command = new ArrayList<>(platformJvm());
      command.addAll(List.of("-jar", JAR.toString(), "apikey", "create", "--tenant", "default"));
      String output = run(command, app, env, Duration.ofSeconds(60));
      Matcher key = Pattern.compile("key:\\s+(fxk_\\S+)").matcher(output);
      assertThat(key.find()).as(output).isTrue();
      return key.group(1);
    }

    Connection readerConnection() throws Exception {
      String password = composeEnvironment("timescaledb").get("FLEXCONNECT_READER_PASSWORD");
      return DriverManager.getConnection("jdbc:postgresql://" + testDatabase.getHost() + ":" + testDatabase.getPort()
          + "/" + database, "flexconnect_reader", password);
    }

    static String runJar(Path dir, Map<String, String> environment, List<String> args) throws Exception {
      List<String> command = new ArrayList<>(List.of("java", "-Xmx256m", "-jar", JAR.toString()));
      command.addAll(args);
      return run(command, dir, environment, Duration.ofSeconds(60));
    }

    static String run(List<String> command, Path dir, Map<String, String> environment, Duration timeout)
        throws Exception {
      ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
      cleanEnvironment(builder.environment()).putAll(environment);
      Process process = builder.start();
      byte[] output = process.getInputStream().readAllBytes();
      assertThat(process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
      String text = new String(output, StandardCharsets.UTF_8);
      assertThat(process.exitValue()).as(String.join(" ", command) + "\n" + text).isZero();
      return text;
    }

    /** Only what the test sets: no FLEXCONNECT_* or PG* settings of the machine running it. */
    static Map<String, String> cleanEnvironment(Map<String, String> environment) {
      environment.keySet().removeIf(k -> k.startsWith("FLEXCONNECT_") || k.startsWith("PG") || k.startsWith("POSTGRES_"));
      return environment;
    }

    /** compose's interpolation: ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}, $$. */
    static String interpolate(String value, Map<String, String> vars) {
      Matcher m = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}").matcher(value.replace("$$", "\u0000"));
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        String v = vars.get(m.group(1));
        String op = m.group(2);
        boolean missing = op != null && op.startsWith(":") ? v == null || v.isEmpty() : v == null;
        String replacement;
        if (op == null) {
          replacement = v == null ? "" : v;
        } else if (op.endsWith("-")) {
          replacement = missing ? m.group(3) : v;
        } else {
          assertThat(missing).as("compose refuses to start: " + m.group(3)).isFalse();
          replacement = v;
        }
        m.appendReplacement(out, Matcher.quoteReplacement(replacement));
      }
      m.appendTail(out);
      return out.toString().replace('\u0000', '$');
    }

    static void copyTree(Path from, Path to, Set<String> skip) throws IOException {
      try (Stream<Path> files = Files.walk(from)) {
        for (Path source : (Iterable<Path>) files::iterator) {
          Path relative = from.relativize(source);
          if (relative.getNameCount() > 0 && skip.contains(relative.getName(0).toString())) {
            continue;
          }
          Path target = to.resolve(relative.toString());
          if (Files.isDirectory(source)) {
            Files.createDirectories(target);
          } else {
            try {
              Files.copy(source, target);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }
        }
      }
    }
  }
}
