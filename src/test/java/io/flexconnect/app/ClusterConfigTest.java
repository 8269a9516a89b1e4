package io.flexconnect.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flexconnect.common.ConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterConfigTest {
  private final ConfigLoader loader = new ConfigLoader();
  private final Map<String, String> external = Map.of(
      "FLEXCONNECT_DB_URL", "postgresql://db:5432/telemetry",
      "FLEXCONNECT_MQTT_URL", "mqtt://broker:1883");

  @Test
  void verifiesThatClusteringIsOffByDefaultAndTheSubscriptionStaysAsConfigured() {
    FlexconnectConfig c = PlatformRunner.clustered(loader.load(null, Map.of()));
    assertThat(c.cluster().enabled()).isFalse();
    assertThat(c.mqtt().clientId()).isEqualTo("flexconnect-ingest");
    assertThat(c.mqtt().topicFilter()).isEqualTo("flexconnect/#");
  }

  @Test
  void verifiesThatTheClusterIsConfiguredFromTheEnvironment() {
    Map<String, String> env = new java.util.HashMap<>(external);
    env.putAll(Map.of("FLEXCONNECT_CLUSTER_ENABLED", "true",
        "FLEXCONNECT_CLUSTER_MEMBERS", "platform-0.flexconnect:5701, platform-1.flexconnect:5701",
        "FLEXCONNECT_CLUSTER_PARTITIONS", "128",
        "FLEXCONNECT_CLUSTER_GROUP", "fleet"));
    FlexconnectConfig c = loader.load(null, env);
    assertThat(c.cluster().enabled()).isTrue();
    assertThat(c.cluster().members()).containsExactly("platform-0.flexconnect:5701", "platform-1.flexconnect:5701");
    assertThat(c.cluster().partitions()).isEqualTo(128);
    assertThat(c.cluster().group()).isEqualTo("fleet");
  }

  @Test
  void verifiesThatEachMemberSubscribesSharedUnderItsOwnClientId() {
    Map<String, String> env = new java.util.HashMap<>(external);
    env.putAll(Map.of("FLEXCONNECT_CLUSTER_ENABLED", "true", "FLEXCONNECT_CLUSTER_INSTANCE", "p2"));
    FlexconnectConfig c = PlatformRunner.clustered(loader.load(null, env));
    assertThat(c.mqtt().clientId()).isEqualTo("flexconnect-ingest-p2");
    assertThat(c.mqtt().topicFilter()).isEqualTo("$share/flexconnect/flexconnect/#");
    // the session a member takes over when another leaves
    assertThat(c.cluster().clientIdOfPeer(c.mqtt().clientId(), "p2", "p10")).isEqualTo("flexconnect-ingest-p10");
  }

  @Test
  void verifiesThatAClusterNeedsAnExternalBrokerAndDatabase() {
    assertThatThrownBy(() -> loader.load(null, Map.of("FLEXCONNECT_CLUSTER_ENABLED", "true")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("mqtt.url and db.url");
  }

  @Test
  void verifiesThatAGroupThatIsNoTopicLevelIsRefused() {
    Map<String, String> env = new java.util.HashMap<>(external);
    env.put("FLEXCONNECT_CLUSTER_GROUP", "a/b");
    assertThatThrownBy(() -> loader.load(null, env)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("cluster.group");
  }
}
