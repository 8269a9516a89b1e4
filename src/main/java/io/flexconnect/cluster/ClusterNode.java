package io.flexconnect.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.spi.cluster.NodeListener;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A clustered Vert.x on Hazelcast, configured in code from {@link ClusterConfig}: TCP/IP join with
 * the configured members, multicast and auto-detection off, fast failure detection (a member killed
 * with {@code kill -9} is gone within a few seconds, so its partitions move on).
 */
public final class ClusterNode {
  private final Vertx vertx;
  private final MembershipManager manager;
  private final String instance;

  private ClusterNode(Vertx vertx, MembershipManager manager, String instance) {
    this.vertx = vertx;
    this.manager = manager;
    this.instance = instance;
  }

  /**
   * Joins the cluster (or founds it) and returns the clustered Vert.x. Resolves member names: not on
   * an event loop.
   *
   * @param instance this instance's stable name ({@code cluster.instance} or the host name); the
   *     other members learn it from the instance registry ({@link SessionTakeover})
   */
  public static Future<ClusterNode> join(ClusterConfig config, String instance) {
    MembershipManager manager = new MembershipManager(hazelcastConfig(config));
    EventBusOptions bus = new EventBusOptions().setPort(config.eventBusPort());
    if (!config.host().isBlank()) {
      bus.setHost(config.host());
    }
    return Vertx.builder().with(new VertxOptions().setEventBusOptions(bus)).withClusterManager(manager)
        .buildClustered().map(v -> {
          // Vert.x sets a node listener only with HA on; without one, Hazelcast's membership events
          // are not passed on at all.
          if (!manager.listening) {
            manager.nodeListener(new NodeListener() {
              @Override
              public void nodeAdded(String nodeID) {}

              @Override
              public void nodeLeft(String nodeID) {}
            });
          }
          return new ClusterNode(v, manager, instance);
        });
  }

  static Config hazelcastConfig(ClusterConfig c) {
    Config hz = new Config();
    hz.setClusterName(c.group());
    hz.setProperty("hazelcast.logging.type", "slf4j");
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    // The platform leaves the cluster itself when it stops (after draining its subscription).
    hz.setProperty("hazelcast.shutdownhook.enabled", "false");
    hz.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    hz.setProperty("hazelcast.max.no.heartbeat.seconds", "6");
    hz.setProperty("hazelcast.wait.seconds.before.join", "1");
    if (!c.host().isBlank()) {
      hz.setProperty("hazelcast.local.localAddress", c.host());
    }
    NetworkConfig network = hz.getNetworkConfig().setPort(c.port()).setPortAutoIncrement(false);
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(memberAddresses(c));
    // The structures Vert.x's cluster manager expects (its default-cluster.xml).
    hz.addMultiMapConfig(new MultiMapConfig("__vertx.subs").setBackupCount(1)
        .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
    hz.addMapConfig(new MapConfig("__vertx.haInfo").setBackupCount(1));
    hz.addMapConfig(new MapConfig("__vertx.nodeInfo").setBackupCount(1));
    return hz;
  }

  /**
   * The configured members as addresses to try, each name resolved to all its addresses: a compose
   * service name or a Kubernetes headless service stands for every instance behind it. A name that
   * does not resolve yet is passed on as it is (Hazelcast tries it again).
   */
  static List<String> memberAddresses(ClusterConfig c) {
    List<String> out = new ArrayList<>();
    for (String member : c.members().isEmpty() ? List.of("127.0.0.1") : c.members()) {
      int colon = member.lastIndexOf(':');
      boolean hasPort = colon > 0 && member.indexOf(':') == colon;
      String host = hasPort ? member.substring(0, colon) : member;
      String port = hasPort ? member.substring(colon + 1) : Integer.toString(c.port());
      try {
        for (InetAddress address : InetAddress.getAllByName(host)) {
          String ip = address.getHostAddress();
          String entry = (address instanceof java.net.Inet6Address ? "[" + ip + "]" : ip) + ":" + port;
          if (!out.contains(entry)) {
            out.add(entry);
          }
        }
      } catch (UnknownHostException e) {
        out.add(host + ":" + port);
      }
    }
    return out;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** This member's node id. */
  public String self() {
    return manager.getNodeId();
  }

  /** This instance's stable name (its MQTT session is {@code mqtt.clientId-instance}). */
  public String instance() {
    return instance;
  }

  /** The live members' node ids (this one included). */
  public List<String> members() {
    return manager.getNodes();
  }

  /** Called (on a Hazelcast thread) whenever a member joins or leaves. */
  public void onMembershipChange(Runnable listener) {
    manager.listeners.add(listener);
  }

  /**
   * Hazelcast's cluster manager with a second membership listener: Vert.x may hold the manager's
   * only {@link NodeListener} slot for its own bookkeeping (HA), so ours is chained behind it.
   */
  static final class MembershipManager extends HazelcastClusterManager {
    final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    volatile boolean listening;

    MembershipManager(Config config) {
      super(config);
    }

    @Override
    public void nodeListener(NodeListener vertxListener) {
      listening = true;
      super.nodeListener(new NodeListener() {
        @Override
        public void nodeAdded(String nodeID) {
          vertxListener.nodeAdded(nodeID);
          listeners.forEach(Runnable::run);
        }

        @Override
        public void nodeLeft(String nodeID) {
          vertxListener.nodeLeft(nodeID);
          listeners.forEach(Runnable::run);
        }
      });
    }
  }
}
