package io.flexconnect.broker;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.mqtt.MqttEndpoint;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The broker-side state of one client id: its subscriptions, its outbound flow control (an
 * in-flight window of unacknowledged QoS 1 deliveries, then a bounded FIFO) and its inbound
 * publishes still waiting for ack-through. Outlives the connection when the client asked for a
 * persistent session (clean-session false).
 */
final class Session {
  final String clientId;
  private final BrokerConfig config;
  private final BrokerCounters counters;

  boolean cleanSession;
  /** Created by the broker for a {@link ReservedSubscription}; never ended by a clean-session connect. */
  boolean reserved;
  /** The live connection, null while the client is away. */
  MqttEndpoint endpoint;

  /** Filter (shared ones with their {@code $share/group/} prefix) to granted QoS. */
  final Map<String, MqttQoS> subscriptions = new HashMap<>();

  private final ArrayDeque<Delivery> queue = new ArrayDeque<>();
  /** Payload bytes held by {@link #queue} (payloads are shared between sessions, counted per session). */
  private long queuedBytes;
  /** Packet id to delivery, in send order so that the oldest comes first and redelivery keeps order. */
  private final LinkedHashMap<Integer, Delivery> inflight = new LinkedHashMap<>();
  private int lastPacketId;

  /** Inbound QoS 1/2 publishes by packet id, until ack-through completes. */
  private final Map<Integer, InboundMessage> inboundPending = new HashMap<>();
  /** Inbound QoS 2 packet ids that got PUBREC and wait for PUBREL. */
  private final Set<Integer> awaitingRelease = new HashSet<>();

  /** Limits "queue full" warnings to one per overflow episode. */
  boolean overflowWarned;

  Session(String clientId, boolean cleanSession, BrokerConfig config, BrokerCounters counters) {
    this.clientId = clientId;
    this.cleanSession = cleanSession;
    this.config = config;
    this.counters = counters;
  }

  /** False as soon as the broker closed the connection, before its close handler detached it. */
  boolean isConnected() {
    return endpoint != null && endpoint.isConnected();
  }

  boolean hasRoom() {
    return queue.size() < config.maxQueuedPerSession() && queuedBytes < config.maxQueuedBytesPerSession();
  }

  int queued() {
    return queue.size();
  }

  int inflight() {
    return inflight.size();
  }

  void enqueue(Delivery delivery) {
    queue.addLast(delivery);
    queuedBytes += delivery.payload.length();
    counters.queuedNow++;
  }

  /** Sends queued deliveries while the in-flight window has room. */
  void drain() {
    if (!isConnected()) {
      // Writing to a closing endpoint throws; deliveries wait for the next connection.
      return;
    }
    while (!queue.isEmpty()) {
      Delivery next = queue.peekFirst();
      boolean needsAck = next.qos != MqttQoS.AT_MOST_ONCE;
      if (needsAck && inflight.size() >= config.maxInflightPerSession()) {
        return;
      }
      queue.pollFirst();
      queuedBytes -= next.payload.length();
      counters.queuedNow--;
      if (needsAck) {
        next.packetId = nextPacketId();
        next.sentAtNanos = System.nanoTime();
        inflight.put(next.packetId, next);
        counters.inflightNow++;
        // A failed write needs no handling: the delivery stays in flight and is resent on reconnect.
        endpoint.publish(next.topic, next.payload, MqttQoS.AT_LEAST_ONCE, false, next.retain, next.packetId);
      } else {
        endpoint.publish(next.topic, next.payload, MqttQoS.AT_MOST_ONCE, false, next.retain);
      }
      counters.delivered++;
    }
    if (overflowWarned && queue.size() <= config.maxQueuedPerSession() / 2
        && queuedBytes <= config.maxQueuedBytesPerSession() / 2) {
      overflowWarned = false;
    }
  }

  /** PUBACK from this client for a delivery of ours. */
  boolean acknowledge(int packetId) {
    Delivery delivery = inflight.remove(packetId);
    if (delivery == null) {
      return false;
    }
    counters.inflightNow--;
    counters.acked++;
    delivery.settle();
    drain();
    return true;
  }

  /** A (re)connection: resends unacknowledged deliveries with DUP set, then continues the queue. */
  void attach(MqttEndpoint newEndpoint) {
    endpoint = newEndpoint;
    for (Delivery delivery : inflight.values()) {
      delivery.sentAtNanos = System.nanoTime();
      newEndpoint.publish(delivery.topic, delivery.payload, MqttQoS.AT_LEAST_ONCE, true, delivery.retain,
          delivery.packetId);
      counters.delivered++;
    }
    drain();
  }

  void detach() {
    endpoint = null;
  }

  /**
   * Ends the session: everything still queued or in flight is dropped and counts as settled, so
   * publishers waiting on it get their PUBACK (a clean-session subscriber asked for no more).
   */
  void discard() {
    endpoint = null;
    counters.queuedNow -= queue.size();
    counters.inflightNow -= inflight.size();
    // Settling may complete other sessions' publishes; copy first so nothing here is re-entered.
    Delivery[] dropped = new Delivery[queue.size() + inflight.size()];
    int i = 0;
    for (Delivery delivery : inflight.values()) {
      dropped[i++] = delivery;
    }
    for (Delivery delivery : queue) {
      dropped[i++] = delivery;
    }
    queue.clear();
    queuedBytes = 0;
    inflight.clear();
    for (Delivery delivery : dropped) {
      delivery.settle();
    }
  }

  /**
   * Removes the deliveries that shared subscriptions routed here and that {@code movable} lets go,
   * queued and in flight alike, so that another member of the group can take them over.
   */
  List<Delivery> takeShared(Predicate<SharedGroup> movable) {
    List<Delivery> taken = new ArrayList<>();
    Iterator<Delivery> inflightIt = inflight.values().iterator();
    while (inflightIt.hasNext()) {
      Delivery delivery = inflightIt.next();
      if (delivery.via != null && movable.test(delivery.via)) {
        inflightIt.remove();
        counters.inflightNow--;
        taken.add(delivery);
      }
    }
    int queuedBefore = queue.size();
    queue.removeIf(delivery -> {
      boolean move = delivery.via != null && movable.test(delivery.via);
      if (move) {
        taken.add(delivery);
        queuedBytes -= delivery.payload.length();
      }
      return move;
    });
    counters.queuedNow -= queuedBefore - queue.size();
    return taken;
  }

  /** Nanoseconds the oldest unacknowledged delivery has waited, 0 when none. */
  long oldestInflightAgeNanos(long nowNanos) {
    Iterator<Delivery> it = inflight.values().iterator();
    return it.hasNext() ? nowNanos - it.next().sentAtNanos : 0;
  }

  InboundMessage pendingInbound(int packetId) {
    return inboundPending.get(packetId);
  }

  void inboundStarted(InboundMessage message) {
    inboundPending.put(message.packetId, message);
  }

  void inboundAcknowledged(InboundMessage message) {
    inboundPending.remove(message.packetId, message);
    if (message.qos == MqttQoS.EXACTLY_ONCE) {
      awaitingRelease.add(message.packetId);
    }
  }

  boolean isAwaitingRelease(int packetId) {
    return awaitingRelease.contains(packetId);
  }

  void released(int packetId) {
    awaitingRelease.remove(packetId);
  }

  private int nextPacketId() {
    // The window is at most 65535, so a free id exists whenever we get here.
    do {
      lastPacketId = lastPacketId == BrokerConfig.MAX_PACKET_ID ? 1 : lastPacketId + 1;
    } while (inflight.containsKey(lastPacketId));
    return lastPacketId;
  }
}
