package io.flexconnect.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flexconnect.can.CanConfig;
import io.flexconnect.common.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  private final ConfigLoader loader = new ConfigLoader();

  @Test
  void verifiesThatNoConfigurationMeansEmbeddedDefaults() {
    FlexconnectConfig c = loader.load(null, Map.of());
    assertThat(c.db().isEmbedded()).isTrue();
    assertThat(c.embeddedBroker()).isTrue();
    assertThat(c.mqtt().topicFilter()).isEqualTo("flexconnect/#");
    assertThat(c.http().port()).isEqualTo(8080);
    assertThat(c.ingest().maxDecompressedBytes()).isEqualTo(16 * 1024 * 1024);
    assertThat(c.ingest().maxTokenBytes()).isEqualTo(1024);
    assertThat(c.ingest().minTimestampMillis()).isEqualTo(946_684_800_000L);
  }

  @Test
  void verifiesThatEnvironmentVariablesOverrideTheFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("flexconnect.json");
    Files.writeString(file, "{\"storage\": {\"batchRows\": 100}, \"mqtt\": {\"url\": \"mqtt://file:1883\"}}");
    FlexconnectConfig c = loader.load(file, Map.of(
        "FLEXCONNECT_DB_URL", "postgresql://db.example:5432/telemetry",
        "FLEXCONNECT_MQTT_URL", "mqtts://broker.example:8883",
        "FLEXCONNECT_STORAGE_BATCH_INTERVAL_MS", "25"));
    assertThat(c.storage().batchRows()).isEqualTo(100);
    assertThat(c.storage().batchIntervalMs()).isEqualTo(25);
    assertThat(c.db().url()).isEqualTo("postgresql://db.example:5432/telemetry");
    assertThat(c.mqtt().url()).isEqualTo("mqtts://broker.example:8883");
    assertThat(c.embeddedBroker()).isFalse();
  }

  @Test
  void verifiesThatAnUnknownKeyInTheFileIsRefused(@TempDir Path dir) throws Exception {
    assertFileRefused(dir, "{\"storage\": {\"batchRowz\": 100}}", "batchRowz");
  }

  @Test
  void verifiesThatANonNumericEnvironmentValueNamesTheVariable() {
    assertThatThrownBy(() -> loader.load(null, Map.of("FLEXCONNECT_HTTP_PORT", "eighty")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("FLEXCONNECT_HTTP_PORT");
  }

  @Test
  void verifiesThatInvalidValuesAreRefusedWithTheSettingName() {
    assertThatThrownBy(() -> loader.load(null, Map.of("FLEXCONNECT_STORAGE_BATCH_ROWS", "0")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("storage.batchRows");
    assertThatThrownBy(() -> loader.load(null, Map.of("FLEXCONNECT_MQTT_URL", "http://x")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("mqtt.url");
  }

  /** The configuration of the file {@code json}, without environment. */
  private FlexconnectConfig loadFile(Path dir, String json) throws Exception {
    Path file = dir.resolve("flexconnect.json");
    Files.writeString(file, json);
    return loader.load(file, Map.of());
  }

  /** Asserts that the configuration file {@code json} is refused with a message holding each of {@code expected}. */
  private void assertFileRefused(Path dir, String json, String... expected) throws Exception {
    Path file = dir.resolve("flexconnect.json");
    Files.writeString(file, json);
    assertThatThrownBy(() -> loader.load(file, Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContainingAll(expected);
  }

  @Test
  void verifiesThatAValueOfTheWrongTypeInTheFileNamesTheSettingPath(@TempDir Path dir) throws Exception {
    assertFileRefused(dir, "{\"broker\": {\"port\": \"eighty\"}}", "broker.port", "eighty");
  }

  @Test
  void verifiesThatNumbersAndFlagsWrittenAsStringsAndStringsWrittenAsNumbersAreTaken(@TempDir Path dir) throws Exception {
    FlexconnectConfig c = loadFile(dir, "{\"http\": {\"port\": \"8081\"}, \"storage\": {\"batchRows\": 2000.0},"
        + " \"broker\": {\"tlsEnabled\": \"false\"}, \"mqtt\": {\"clientId\": 42}}");
    assertThat(c.http().port()).isEqualTo(8081);
    assertThat(c.storage().batchRows()).isEqualTo(2000);
    assertThat(c.broker().tlsEnabled()).isFalse();
    assertThat(c.mqtt().clientId()).isEqualTo("42");
  }

  @Test
  void verifiesThatAFractionForAWholeNumberAndAWordForAFlagAreRefused(@TempDir Path dir) throws Exception {
    assertFileRefused(dir, "{\"storage\": {\"batchRows\": 2000.5}}", "storage.batchRows", "a whole number");
    assertFileRefused(dir, "{\"broker\": {\"tlsEnabled\": \"yes\"}}", "broker.tlsEnabled", "true or false");
    assertFileRefused(dir, "{\"http\": {\"port\": \"8080x\"}}", "http.port", "8080x");
  }

  @Test
  void verifiesThatAnUnknownKeyInsideAListOfObjectsIsRefused(@TempDir Path dir) throws Exception {
    assertFileRefused(dir, "{\"can\": {\"dbcMappings\": [{\"devices\": \"*\", \"file\": \"demo.dbc\", \"buss\": 1}]}}",
        "can.dbcMappings[0].buss");
  }

  @Test
  void verifiesThatANullSettingIsRefusedWithItsPath(@TempDir Path dir) throws Exception {
    assertFileRefused(dir, "{\"mqtt\": {\"url\": null}}", "mqtt.url", "a value is required");
  }

  @Test
  void verifiesThatListsOfObjectsAndOptionalNumbersAreBound(@TempDir Path dir) throws Exception {
    FlexconnectConfig c = loadFile(dir, "{\"can\": {\"dbcMappings\": [{\"devices\": \"truck-*\", \"bus\": 2, \"file\": \"demo.dbc\"},"
        + " {\"devices\": \"*\", \"file\": \"demo.dbc\"}]}, \"http\": {\"corsOrigins\": [\"https://a.example\"]}}");
    assertThat(c.can().dbcMappings()).containsExactly(new CanConfig.DbcMapping("truck-*", 2, "demo.dbc"),
        new CanConfig.DbcMapping("*", null, "demo.dbc"));
    assertThat(c.http().corsOrigins()).containsExactly("https://a.example");
  }

  @Test
  void verifiesThatAWholeNumberOutOfRangeIsRefused() {
    assertThatThrownBy(() -> loader.load(null, Map.of("FLEXCONNECT_HTTP_PORT", "4294967376")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("http.port");
  }

  @Test
  void verifiesThatTheShippedConfFileListsExactlyTheDefaults() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    assertThat(mapper.readValue(Path.of("conf/flexconnect.json").toFile(), Map.class)).isEqualTo(loader.defaults());
  }

  @Test
  void verifiesThatEnvironmentNamesFollowTheKeyPaths() {
    assertThat(loader.environmentNames())
        .contains("FLEXCONNECT_DB_URL", "FLEXCONNECT_MQTT_URL", "FLEXCONNECT_DB_EMBEDDED_DATA_DIR",
            "FLEXCONNECT_STORAGE_BATCH_ROWS", "FLEXCONNECT_HTTP_PORT");
  }
}
