package io.flexconnect.cluster;

import io.flexconnect.common.Checks;
import io.flexconnect.common.ConfigException;
import java.util.List;

/**
 * Scale-out: several instances as one platform. Off by default; the single JAR then starts no
 * cluster manager at all.
 *
 * @param enabled join a cluster: a clustered event bus on Hazelcast, a shared MQTT subscription
 *     ({@code $share/{group}/{mqtt.topicFilter}}) and devices partitioned among the members
 * @param instance this instance's stable name, appended to {@code mqtt.clientId} so every instance
 *     has its own persistent MQTT session; a replacement of a dead instance takes its name and so
 *     the messages the broker still holds for it. Empty: this machine's host name (a Kubernetes
 *     StatefulSet pod, a compose container)
 * @param members where the other members are found: {@code host} or {@code host:port}, TCP/IP join
 *     (multicast stays off); a DNS name resolving to every member works too (a Kubernetes headless
 *     service). Empty: only this machine's loopback
 * @param host the address this instance binds and announces to the others (Hazelcast and the event
 *     bus); empty: Hazelcast picks one
 * @param port Hazelcast's membership port
 * @param eventBusPort the clustered event bus's TCP port; 0 picks a free one
 * @param group the cluster's name and the shared-subscription group
 * @param partitions how many parts the device space is cut into; every instance must agree
 * @param forwardTimeoutMs how long a message forwarded to its device's owner may take to commit
 *     before it is sent again (a departed owner's forwards are routed again at once, without it)
 */
public record ClusterConfig(
    boolean enabled,
    String instance,
    List<String> members,
    String host,
    int port,
    int eventBusPort,
    String group,
    int partitions,
    int forwardTimeoutMs) {

  public ClusterConfig {
    members = List.copyOf(members);
  }

  public void validate() {
    Checks.port("cluster.port", port);
    Checks.port("cluster.eventBusPort", eventBusPort);
    Checks.notBlank("cluster.group", group);
    if (!group.matches("[A-Za-z0-9_.-]+")) {
      throw new ConfigException("cluster.group must be letters, digits, '_', '.' or '-' (it is an MQTT topic level), got "
          + group);
    }
    Checks.positive("cluster.partitions", partitions);
    Checks.atMost("cluster.partitions", partitions, 4096);
    Checks.positive("cluster.forwardTimeoutMs", forwardTimeoutMs);
  }

  /** The shared subscription of {@code topicFilter} for this cluster's group (kept when already shared). */
  public String sharedFilter(String topicFilter) {
    return topicFilter.startsWith("$share/") ? topicFilter : "$share/" + group + "/" + topicFilter;
  }

  /** The per-instance MQTT client id: {@code base-instance}. */
  public String clientId(String base, String instanceName) {
    return base + "-" + instanceName;
  }

  /**
   * Another instance's client id, given this instance's ({@code ownClientId}, built by
   * {@link #clientId} from {@code ownInstance}): the same base with the other name.
   */
  public String clientIdOfPeer(String ownClientId, String ownInstance, String peerInstance) {
    return clientId(ownClientId.substring(0, ownClientId.length() - ownInstance.length() - 1), peerInstance);
  }
}
