package io.flexconnect.broker;

import io.netty.handler.codec.mqtt.MqttQoS;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who receives a published topic. Filters without wildcards are looked up by hash (typical for
 * per-device command topics); wildcard filters are matched one by one, which is fine for the
 * handful a platform uses.
 */
final class SubscriptionIndex {

  /**
   * A session to deliver to, at the QoS granted for the best of its matching filters; {@code via}
   * is the shared group that chose it, null for plain subscriptions.
   */
  record Target(Session session, MqttQoS qos, SharedGroup via) {
  }

  private final Map<String, Map<Session, MqttQoS>> exact = new HashMap<>();
  private final Map<String, Map<Session, MqttQoS>> wildcard = new LinkedHashMap<>();
  private final Map<String, SharedGroup> shared = new LinkedHashMap<>();

  /** {@code filter} must be valid, plain or shared. */
  void add(Session session, String filter, MqttQoS qos) {
    if (TopicFilter.isShared(filter)) {
      shared.computeIfAbsent(filter, f -> new SharedGroup(TopicFilter.sharedInnerFilter(f))).put(session, qos);
    } else {
      plainMap(filter).computeIfAbsent(filter, f -> new LinkedHashMap<>()).put(session, qos);
    }
  }

  void remove(Session session, String filter) {
    if (TopicFilter.isShared(filter)) {
      SharedGroup group = shared.get(filter);
      if (group != null) {
        group.remove(session);
        if (group.isEmpty()) {
          shared.remove(filter);
        }
      }
      return;
    }
    Map<String, Map<Session, MqttQoS>> map = plainMap(filter);
    Map<Session, MqttQoS> subscribers = map.get(filter);
    if (subscribers != null) {
      subscribers.remove(session);
      if (subscribers.isEmpty()) {
        map.remove(filter);
      }
    }
  }

  void removeAll(Session session) {
    for (String filter : session.subscriptions.keySet()) {
      remove(session, filter);
    }
  }

  /**
   * Targets for one publish. A session matching several plain filters appears once, at the highest
   * granted QoS; each matching shared group adds one member on top.
   */
  List<Target> route(String topic) {
    Map<Session, MqttQoS> plain = new LinkedHashMap<>();
    Map<Session, MqttQoS> direct = exact.get(topic);
    if (direct != null) {
      plain.putAll(direct);
    }
    for (Map.Entry<String, Map<Session, MqttQoS>> entry : wildcard.entrySet()) {
      if (TopicFilter.matches(entry.getKey(), topic)) {
        entry.getValue().forEach((session, qos) -> plain.merge(session, qos, SubscriptionIndex::max));
      }
    }
    List<Target> targets = new ArrayList<>(plain.size() + 1);
    plain.forEach((session, qos) -> targets.add(new Target(session, qos, null)));
    for (SharedGroup group : shared.values()) {
      if (TopicFilter.matches(group.filter, topic)) {
        int i = group.pick();
        targets.add(new Target(group.member(i), group.qos(i), group));
      }
    }
    return targets;
  }

  private Map<String, Map<Session, MqttQoS>> plainMap(String filter) {
    return TopicFilter.hasWildcard(filter) ? wildcard : exact;
  }

  private static MqttQoS max(MqttQoS a, MqttQoS b) {
    return a.value() >= b.value() ? a : b;
  }
}
