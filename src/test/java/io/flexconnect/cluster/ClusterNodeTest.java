package io.flexconnect.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterNodeTest {
  private static ClusterConfig config(List<String> members) {
    return new ClusterConfig(true, "p1", members, "", 5701, 0, "fleet", 64, 10_000);
  }

  @Test
  void verifiesThatMembersJoinOverTcpIpOnlyWithMulticastOff() {
    Config hz = ClusterNode.hazelcastConfig(config(List.of("127.0.0.1:5802")));
    assertThat(hz.getClusterName()).isEqualTo("fleet");
    assertThat(hz.getNetworkConfig().getJoin().getMulticastConfig().isEnabled()).isFalse();
    assertThat(hz.getNetworkConfig().getJoin().getAutoDetectionConfig().isEnabled()).isFalse();
    assertThat(hz.getNetworkConfig().getJoin().getTcpIpConfig().isEnabled()).isTrue();
    assertThat(hz.getNetworkConfig().getJoin().getTcpIpConfig().getMembers()).containsExactly("127.0.0.1:5802");
  }

  @Test
  void verifiesThatAMemberNameStandsForEveryAddressItResolvesToWithTheDefaultPort() {
    assertThat(ClusterNode.memberAddresses(config(List.of("localhost")))).contains("127.0.0.1:5701");
    assertThat(ClusterNode.memberAddresses(config(List.of()))).containsExactly("127.0.0.1:5701");
    assertThat(ClusterNode.memberAddresses(config(List.of("no-such-host.invalid:5705"))))
        .containsExactly("no-such-host.invalid:5705");
  }
}
