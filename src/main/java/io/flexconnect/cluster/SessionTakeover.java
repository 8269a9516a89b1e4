package io.flexconnect.cluster;

import io.vertx.core.Context;
import io.vertx.core.Future;
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
 * <p>Used on its verticle's context only.
 */
final class SessionTakeover {
  private static final Logger log = LoggerFactory.getLogger(SessionTakeover.class);
  /** Sessions of departed instances are spread over the members by the partition of this + name. */
  private static final String SESSION_KEY = "mqtt-session:";

  private final Context context;
  private final ClusterNode node;
  private final ClusterVerticle.SessionAdopter adopter;
  /** Instance names of the members, by node id, learnt while they are members. */
  private final Map<String, String> instances = new HashMap<>();
  /** Instances that left and have not come back: the broker holds their sessions' messages. */
  private final Set<String> departed = new TreeSet<>();
  /** The departed instances whose session this member has taken over: their subscriptions' deployments. */
  private final Map<String, Future<String>> adopted = new HashMap<>();
  private PartitionTable table;

  SessionTakeover(Context context, ClusterNode node, ClusterVerticle.SessionAdopter adopter) {
    this.context = context;
    this.node = node;
    this.adopter = adopter;
  }

  /**
   * The members changed from {@code previous} (null at start) to {@code next}: the instances of the
   * members gone have departed, and sessions move to their owners by the new table.
   */
  void membersChanged(PartitionTable previous, PartitionTable next) {
    if (previous != null) {
      for (String member : previous.members()) {
        String name = next.members().contains(member) ? null : instances.remove(member);
        if (name != null && !name.equals(node.instance())) {
          departed.add(name);
        }
      }
    }
    table = next;
    learnInstances();
    adoptSessions();
  }

  /**
   * The members are the same: a member's name may not be readable yet when it joins, so names not
   * known are asked again; a member without a known name would leave its session unclaimed when it goes.
   */
  void membersUnchanged() {
    learnInstances();
  }

  /** A member's instance name, null while not known. */
  String instanceOf(String member) {
    return instances.get(member);
  }

  /** The departed instances whose session this member serves now. */
  List<String> taken() {
    return List.copyOf(adopted.keySet());
  }

  /** Learns the instance names of new members; a departed instance that is back has its session again. */
  private void learnInstances() {
    instances.put(node.self(), node.instance());
    for (String member : table.members()) {
      if (instances.containsKey(member)) {
        continue;
      }
      node.instanceOf(member).onComplete(ar -> context.runOnContext(v -> {
        if (ar.succeeded() && ar.result() != null && table.members().contains(member)) {
          instances.put(member, ar.result());
          departed.remove(ar.result());
          adoptSessions();
        }
      }));
    }
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
