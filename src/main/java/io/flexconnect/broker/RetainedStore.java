package io.flexconnect.broker;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The last retained message per topic, bounded by a count of topics. */
final class RetainedStore {

  record Retained(String topic, Buffer payload, MqttQoS qos) {
  }

  private final Map<String, Retained> byTopic = new HashMap<>();
  private final int maxTopics;

  RetainedStore(int maxTopics) {
    this.maxTopics = maxTopics;
  }

  /**
   * Stores or, for an empty payload, clears the retained message of a topic.
   *
   * @return false when a new topic was not stored because the store is full
   */
  boolean put(String topic, Buffer payload, MqttQoS qos) {
    if (payload.length() == 0) {
      byTopic.remove(topic);
      return true;
    }
    if (byTopic.size() >= maxTopics && !byTopic.containsKey(topic)) {
      return false;
    }
    byTopic.put(topic, new Retained(topic, payload, qos));
    return true;
  }

  List<Retained> matching(String filter) {
    List<Retained> result = new ArrayList<>();
    if (!TopicFilter.hasWildcard(filter)) {
      Retained one = byTopic.get(filter);
      if (one != null) {
        result.add(one);
      }
      return result;
    }
    for (Retained retained : byTopic.values()) {
      if (TopicFilter.matches(filter, retained.topic())) {
        result.add(retained);
      }
    }
    return result;
  }
}
