package io.flexconnect.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.flexconnect.app.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docker/compose.yaml and docker/Dockerfile, read (no Docker engine here) for what breaks a
 * deployment silently: floating image tags, misspelt settings, ports that differ from the
 * configuration, mounts of files that do not exist, a root process, a JAR path the build does not
 * produce.
 */
class DeploymentFilesTest {
  static final Path DOCKER = Path.of("docker");
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static JsonNode compose;
  static List<String> dockerfile;
  static JsonNode defaults;

  @BeforeAll
  static void read() throws IOException {
    compose = YAML.readTree(DOCKER.resolve("compose.yaml").toFile());
    dockerfile = Files.readAllLines(DOCKER.resolve("Dockerfile"));
    defaults = YAML.valueToTree(new ConfigLoader().defaults());
  }

  static JsonNode service(String name) {
    JsonNode s = compose.path("services").path(name);
    assertThat(s.isMissingNode()).as("service %s", name).isFalse();
    return s;
  }

  static List<String> instructions(String keyword) {
    return dockerfile.stream().filter(l -> l.startsWith(keyword + " ")).map(l -> l.substring(keyword.length() + 1).trim())
        .toList();
  }

  /** A volume entry {@code host:container[:mode]} as [host, container]. */
  static List<String[]> volumes(String serviceName) {
    List<String[]> out = new ArrayList<>();
    for (JsonNode v : service(serviceName).path("volumes")) {
      String[] parts = v.asText().split(":");
      out.add(new String[] {parts[0], parts[1]});
    }
    return out;
  }

  static void assertPinned(String where, String image) {
    assertThat(image).as(where).contains(":");
    String tag = image.substring(image.lastIndexOf(':') + 1);
    assertThat(tag).as(where + " tag").isNotBlank().isNotEqualTo("latest").doesNotContain("${").matches(".*\\d.*");
  }

  @Test
  void verifiesThatEveryImageIsPinned() {
    for (Iterator<Map.Entry<String, JsonNode>> it = compose.path("services").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> s = it.next();
      if (s.getValue().has("build")) {
        continue; // built here from docker/Dockerfile, whose bases are checked below
      }
      assertPinned("service " + s.getKey(), s.getValue().path("image").asText(""));
    }
    List<String> bases = instructions("FROM");
    assertThat(bases).hasSizeGreaterThanOrEqualTo(2);
    bases.forEach(from -> assertPinned("FROM " + from, from.split("\\s+")[0]));
  }

  @Test
  void verifiesThatThePlatformIsConfiguredOnlyThroughRealSettings() throws IOException {
    Set<String> known = new HashSet<>(new ConfigLoader().environmentNames());
    List<String> names = new ArrayList<>();
    service("flexconnect").path("environment").fieldNames().forEachRemaining(names::add);
    assertThat(names).contains("FLEXCONNECT_DB_URL", "FLEXCONNECT_MQTT_URL");
    assertThat(names).allSatisfy(n -> assertThat(known).as("settings").contains(n));
    // .env.example's platform settings too
    for (String line : Files.readAllLines(DOCKER.resolve(".env.example"))) {
      if (line.startsWith("FLEXCONNECT_STORAGE_") || line.startsWith("FLEXCONNECT_MQTT_")) {
        assertThat(known).contains(line.substring(0, line.indexOf('=')));
      }
    }
  }

  @Test
  void verifiesThatPortsMatchTheConfigurationDefaults() {
    int httpPort = defaults.path("http").path("port").asInt();
    JsonNode env = service("flexconnect").path("environment");
    assertThat(env.has("FLEXCONNECT_HTTP_PORT")).as("the image's EXPOSE and HEALTHCHECK assume the default").isFalse();
    assertThat(service("flexconnect").path("ports").get(0).asText()).endsWith(":" + httpPort);
    assertThat(instructions("EXPOSE")).contains(Integer.toString(httpPort));
    String health = String.join(" ", dockerfile.subList(indexOf("HEALTHCHECK"), indexOf("HEALTHCHECK") + 2));
    assertThat(health).contains("127.0.0.1:" + httpPort + "/health");
    // The platform reaches the database and the broker at the ports they listen on in compose.
    assertThat(env.path("FLEXCONNECT_DB_URL").asText()).startsWith("postgresql://timescaledb:5432/");
    assertThat(env.path("FLEXCONNECT_MQTT_URL").asText()).endsWith("mqtts://mosquitto:8883}");
    assertThat(service("mosquitto").path("ports").get(0).asText()).isEqualTo("8883:8883");
    // The broker listens only with mutual TLS: the platform must bring a client certificate that is mounted.
    try {
      assertThat(java.nio.file.Files.readAllLines(DOCKER.resolve("mosquitto/mosquitto.conf")))
          .contains("listener 8883").doesNotContain("listener 1883");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    for (String file : List.of("FLEXCONNECT_MQTT_CA_FILE", "FLEXCONNECT_MQTT_CERT_FILE", "FLEXCONNECT_MQTT_KEY_FILE")) {
      assertThat(env.path(file).asText()).as(file).startsWith("/app/certs/platform/");
    }
    assertThat(volumes("flexconnect")).anyMatch(v -> v[1].equals("/app/certs/platform"));
  }

  @Test
  void verifiesThatGrafanaMountsProvisioningThatExists() throws IOException {
    Map<String, String> mounts = new java.util.HashMap<>();
    for (String[] v : volumes("grafana")) {
      mounts.put(v[1], v[0]);
      if (v[0].startsWith(".")) {
        assertThat(DOCKER.resolve(v[0]).normalize()).as(v[0]).isDirectory();
      }
    }
    assertThat(mounts).containsEntry("/etc/grafana/provisioning", "../grafana/provisioning");
    assertThat(DOCKER.resolve("../grafana/provisioning/datasources")).isDirectory();
    assertThat(DOCKER.resolve("../grafana/provisioning/dashboards")).isDirectory();
    JsonNode provider = YAML.readTree(Path.of("grafana/provisioning/dashboards/flexconnect.yaml").toFile())
        .path("providers").get(0);
    String dashboardsPath = provider.path("options").path("path").asText();
    assertThat(mounts).containsEntry(dashboardsPath, "../grafana/dashboards");
    // Every ${VAR} the data source file needs is in Grafana's environment.
    JsonNode env = service("grafana").path("environment");
    Matcher m = Pattern.compile("\\$\\{([A-Z_]+)}")
        .matcher(Files.readString(Path.of("grafana/provisioning/datasources/flexconnect.yaml")));
    int found = 0;
    while (m.find()) {
      found++;
      assertThat(env.has(m.group(1))).as("Grafana environment has " + m.group(1)).isTrue();
    }
    assertThat(found).isGreaterThanOrEqualTo(3);
    String home = env.path("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH").asText();
    assertThat(Path.of("grafana/dashboards").resolve(Path.of(home).getFileName())).exists();
  }

  @Test
  void verifiesThatTheImageRunsAsNonRootFromTheBuiltJar() throws IOException {
    int runtime = lastIndexOf("FROM");
    int user = lastIndexOf("USER");
    assertThat(user).as("USER in the runtime stage").isGreaterThan(runtime);
    String userName = instructions("USER").get(instructions("USER").size() - 1);
    assertThat(userName).isNotIn("root", "0", "0:0");
    // The shade plugin writes target/flexconnect.jar; the image copies exactly that.
    assertThat(Files.readString(Path.of("pom.xml"))).contains("<outputFile>${project.build.directory}/flexconnect.jar</outputFile>");
    assertThat(instructions("COPY")).anySatisfy(c -> assertThat(c).matches("--from=\\S+ /src/target/flexconnect.jar /app/flexconnect.jar"));
    assertThat(instructions("WORKDIR").get(0)).isEqualTo("/src");
    assertThat(instructions("ENTRYPOINT")).containsExactly("[\"java\", \"-jar\", \"/app/flexconnect.jar\"]");
    // Files copied from the build context exist (the context is the repository root).
    for (String copy : instructions("COPY")) {
      if (!copy.startsWith("--from")) {
        assertThat(Path.of(copy.split("\\s+")[0])).as(copy).exists();
      }
    }
  }

  @Test
  void verifiesThatEveryServiceHasAHealthCheck() {
    for (Iterator<Map.Entry<String, JsonNode>> it = compose.path("services").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> s = it.next();
      boolean own = s.getValue().has("healthcheck");
      boolean fromImage = s.getValue().has("build") && indexOf("HEALTHCHECK") >= 0;
      assertThat(own || fromImage).as("health check of " + s.getKey()).isTrue();
    }
    assertThat(service("grafana").path("depends_on").path("flexconnect").path("condition").asText())
        .isEqualTo("service_healthy");
  }

  @Test
  void verifiesThatDataLivesInNamedVolumes() {
    Set<String> declared = new HashSet<>();
    compose.path("volumes").fieldNames().forEachRemaining(declared::add);
    Map<String, String> dataDirs = Map.of("timescaledb", "/var/lib/postgresql/data", "mosquitto", "/mosquitto/data",
        "grafana", "/var/lib/grafana");
    dataDirs.forEach((svc, dir) -> assertThat(volumes(svc))
        .as("%s keeps %s in a named volume", svc, dir)
        .anySatisfy(v -> {
          assertThat(v[1]).isEqualTo(dir);
          assertThat(declared).contains(v[0]);
        }));
  }

  @Test
  void verifiesThatTheReaderRoleScriptIsMountedAsOneInitFile() {
    // Mounting the directory would hide the image's own TimescaleDB set-up scripts.
    List<String[]> init = volumes("timescaledb").stream().filter(v -> v[1].startsWith("/docker-entrypoint-initdb.d")).toList();
    assertThat(init).hasSize(1);
    assertThat(init.get(0)[1]).matches("/docker-entrypoint-initdb.d/[^/]+\\.sh");
    assertThat(DOCKER.resolve(init.get(0)[0])).isRegularFile();
    assertThat(service("timescaledb").path("environment").has("FLEXCONNECT_READER_PASSWORD")).isTrue();
  }

  @Test
  void verifiesThatMosquittoConfigurationFilesExist() {
    // Written on the broker branch; compose mounts them read-only.
    List<String[]> mounts = volumes("mosquitto");
    assertThat(mounts).anySatisfy(v -> assertThat(v[1]).isEqualTo("/mosquitto/config/mosquitto.conf"));
    assertThat(mounts).anySatisfy(v -> assertThat(v[1]).isEqualTo("/mosquitto/config/acl"));
    assertThat(mounts).anySatisfy(v -> assertThat(v[1]).isEqualTo("/mosquitto/certs"));
    for (String[] v : mounts) {
      if (v[0].startsWith("./mosquitto/")) {
        assertThat(DOCKER.resolve(v[0])).as(v[0]).isRegularFile();
      }
    }
  }

  private static int indexOf(String keyword) {
    for (int i = 0; i < dockerfile.size(); i++) {
      if (dockerfile.get(i).startsWith(keyword + " ")) {
        return i;
      }
    }
    return -1;
  }

  private static int lastIndexOf(String keyword) {
    int found = -1;
    for (int i = 0; i < dockerfile.size(); i++) {
      if (dockerfile.get(i).startsWith(keyword + " ")) {
        found = i;
      }
    }
    return found;
  }
}
