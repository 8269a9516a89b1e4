package io.flexconnect.cluster;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.shareddata.AsyncMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the MQTT sessions of departed instances served. A member killed (or stopped for good)
 * leaves a persistent MQTT session behind, and Mosquitto keeps giving that session its share of the
 * group's messages while nobody is connected: they would wait until an instance of that name comes
 * back. So one live member (chosen by the partition table, the same on every member) subscribes as
 * that session meanwhile, and lets it go when the instance joins again.
 *
 * <p>Which instances have departed is read from a cluster-wide registry (a Hazelcast map through
 * Vert.x's shared data: instance name → node id of its latest member) rather than remembered by
 * each member: a member that joined after an instance died, or after the member holding its
 * session died too, still knows that session is waiting.
 *
 * <p>Used on its verticle's context only.
 */
final class SessionTakeover {
  private static final Logger log = LoggerFactory.getLogger(SessionTakeover.class);
  /** Sessions of departed instances are spread over the members by the partition of this + name. */
  private static final String SESSION_KEY = "mqtt-session:";
  /** The cluster-wide map of instance name → node id of the member it last joined as. */
  private static final String REGISTRY = "flexconnect.cluster.instances";

  private final Context context;
  private final ClusterNode node;
  private final ClusterVerticle.SessionAdopter adopter;
  /** Instance names of the members, by node id, learnt while they are members. */
  private final Map<String, String> instances = new HashMap<>();
  /** Instances that left and have not come back: the broker holds their sessions' messages. */
  private final Set<String> departed = new TreeSet<>();
  /** The departed instances whose session this member has taken over: their subscriptions' deployments. */
  private final Map<String, Future<String>> adopted = new HashMap<>();
  private AsyncMap<String, String> registry;
  private PartitionTable table;

  SessionTakeover(Context context, ClusterNode node, ClusterVerticle.SessionAdopter adopter) {
    this.context = context;
    this.node = node;
    this.adopter = adopter;
  }

  /** Enters this instance in the registry as this member: its session is its own again. */
  Future<Void> register() {
    return context.owner().sharedData().<String, String>getAsyncMap(REGISTRY)
        .compose(map -> map.put(node.instance(), node.self()).onSuccess(v -> {
          registry = map;
          refresh();
        }));
  }

  /** The members are {@code next} now (also when unchanged: the registry is read again). */
  void membersAre(PartitionTable next) {
    table = next;
    refresh();
  }

  /** A member's instance name, null while not known. */
  String instanceOf(String member) {
    return instances.get(member);
  }

  /** The departed instances whose session this member serves now. */
  List<String> taken() {
    return List.copyOf(adopted.keySet());
  }

  /**
   * Reads the registry: instances whose latest member is live are named, the others have departed
   * (a departed instance that is back has its session again), and sessions move to their owners.
   */
  private void refresh() {
    if (registry == null || table == null) {
      return;
    }
    registry.entries().onComplete(ar -> context.runOnContext(v -> {
      if (ar.failed()) {
        log.debug("Reading the cluster's instance registry failed: {}", ar.cause().getMessage());
        return;
      }
      instances.clear();
      departed.clear();
      ar.result().forEach((name, member) -> {
        if (table.members().contains(member)) {
          instances.put(member, name);
        } else if (!name.equals(node.instance())) {
          departed.add(name);
        }
      });
      adoptSessions();
    }));
  }

  private void adoptSessions() {
    String self = node.self();
    for (String name : departed) {
      if (self.equals(table.ownerOf(SESSION_KEY + name)) && !adopted.containsKey(name)) {
        log.info("Instance '{}' left the cluster: this member takes over its MQTT session until it is back", name);
        adopted.put(name, context.owner().deployVerticle(adopter.subscriptionOf(name))
            .onFailure(err -> log.warn("Cannot take over the MQTT session of '{}': {}", name, err.getMessage())));
      }
    }
    adopted.entrySet().removeIf(e -> {
      if (departed.contains(e.getKey()) && self.equals(table.ownerOf(SESSION_KEY + e.getKey()))) {
        return false;
      }
      log.info("Giving the MQTT session of instance '{}' back", e.getKey());
      e.getValue().onSuccess(id -> context.owner().undeploy(id));
      return true;
    });
  }
}
