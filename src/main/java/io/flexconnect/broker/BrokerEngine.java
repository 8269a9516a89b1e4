package io.flexconnect.broker;

import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttTopicSubscription;
import io.vertx.mqtt.MqttWill;
import io.vertx.mqtt.messages.MqttPublishMessage;
import io.vertx.mqtt.messages.MqttSubscribeMessage;
import io.vertx.mqtt.messages.MqttUnsubscribeMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT 3.1.1 protocol logic of the embedded broker: sessions, routing, ack-through and flow
 * control. Every method runs on the broker verticle's event loop, which is why nothing is locked.
 */
final class BrokerEngine {
  private static final Logger log = LoggerFactory.getLogger(BrokerEngine.class);

  private final BrokerConfig config;
  private final BrokerAuthorizer authorizer;
  private final BrokerCounters counters = new BrokerCounters();
  private final Map<String, Session> sessions = new HashMap<>();
  private final SubscriptionIndex index = new SubscriptionIndex();
  private final RetainedStore retained;
  private final Set<MqttEndpoint> endpoints = new LinkedHashSet<>();
  private boolean retainedFullWarned;

  BrokerEngine(BrokerConfig config, BrokerAuthorizer authorizer) {
    this(config, authorizer, List.of());
  }

  /** {@code reserved}: persistent sessions and subscriptions that exist before their clients connect. */
  BrokerEngine(BrokerConfig config, BrokerAuthorizer authorizer, List<ReservedSubscription> reserved) {
    this.config = config;
    this.authorizer = authorizer;
    this.retained = new RetainedStore(config.maxRetainedMessages());
    for (ReservedSubscription r : reserved) {
      Session session = sessions.computeIfAbsent(r.clientId(), id -> new Session(id, false, config, counters));
      session.reserved = true;
      session.subscriptions.put(r.filter(), MqttQoS.AT_LEAST_ONCE);
      index.add(session, r.filter(), MqttQoS.AT_LEAST_ONCE);
    }
  }

  BrokerStats stats() {
    return counters.snapshot();
  }

  /** CONNECT from a new connection. */
  void onEndpoint(MqttEndpoint endpoint) {
    String clientId = endpoint.clientIdentifier();
    if (clientId == null || clientId.isEmpty()) {
      // MQTT 3.1.1 3.1.3.1: an empty id is only for clean sessions; a persistent session under a
      // made-up id could never be resumed and would only hold memory.
      if (!endpoint.isCleanSession()) {
        log.debug("Refusing a persistent session without client id from {}", endpoint.remoteAddress());
        endpoint.reject(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED);
        return;
      }
      clientId = "auto-" + UUID.randomUUID();
      endpoint.setClientIdentifier(clientId);
    }
    BrokerClient client = BrokerClient.of(clientId, endpoint);
    if (!authorizer.mayConnect(client)) {
      counters.denied++;
      log.warn("Connection of client {} from {} refused by the authorizer", clientId, endpoint.remoteAddress());
      endpoint.reject(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
      return;
    }
    boolean clean = endpoint.isCleanSession();
    Session session = sessions.get(clientId);
    if (clean && session != null && session.reserved) {
      // A clean session would discard what waits for the reserved subscriber, and with it settle the
      // devices' publishes as if they had been processed.
      log.warn("Client {} from {} asked for a clean session, but its session is reserved; refusing it", clientId,
          endpoint.remoteAddress());
      endpoint.reject(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED);
      return;
    }
    if (session != null && session.isConnected()) {
      // MQTT 3.1.1 3.1.4: the newer connection wins. Detach first so the old close is a no-op here.
      MqttEndpoint old = session.endpoint;
      session.detach();
      log.info("Client {} connected again from {}; closing its previous connection", clientId,
          endpoint.remoteAddress());
      close(old);
    }
    if (session != null && (clean || session.cleanSession)) {
      end(session);
      session = null;
    }
    boolean sessionPresent = session != null;
    if (session == null) {
      session = new Session(clientId, clean, config, counters);
      sessions.put(clientId, session);
    }
    wire(session, endpoint, client);
    endpoints.add(endpoint);
    counters.connectionsNow++;
    counters.connectionsTotal++;
    endpoint.accept(sessionPresent);
    log.debug("Client {} connected, clean session {}, session present {}", clientId, clean, sessionPresent);
    session.attach(endpoint);
  }

  private void wire(Session session, MqttEndpoint endpoint, BrokerClient client) {
    // Acks are ours to send: PUBACK waits for the subscribers (ack-through).
    endpoint.publishAutoAck(false);
    boolean[] graceful = {false};
    endpoint.publishHandler(message -> onPublish(session, endpoint, client, message));
    endpoint.publishAcknowledgeHandler(packetId -> {
      if (session.endpoint == endpoint && !session.acknowledge(packetId)) {
        log.debug("Client {} acknowledged unknown packet id {}", session.clientId, packetId);
      }
    });
    endpoint.publishReleaseHandler(packetId -> {
      session.released(packetId);
      endpoint.publishComplete(packetId);
    });
    endpoint.subscribeHandler(message -> onSubscribe(session, endpoint, client, message));
    endpoint.unsubscribeHandler(message -> onUnsubscribe(session, endpoint, message));
    // vertx-mqtt closes the connection itself right after a DISCONNECT.
    endpoint.disconnectHandler(v -> graceful[0] = true);
    endpoint.exceptionHandler(error -> onException(session, endpoint, error));
    endpoint.closeHandler(v -> onClose(session, endpoint, graceful[0]));
  }

  private void onClose(Session session, MqttEndpoint endpoint, boolean graceful) {
    if (!endpoints.remove(endpoint)) {
      return;
    }
    counters.connectionsNow--;
    log.debug("Client {} disconnected (graceful {})", session.clientId, graceful);
    if (session.endpoint == endpoint) {
      session.detach();
      handOverShared(session);
      if (session.cleanSession) {
        end(session);
      }
    }
    MqttWill will = endpoint.will();
    if (!graceful && will != null && will.isWillFlag() && TopicFilter.isValidTopicName(will.getWillTopic())) {
      publishWill(will);
    }
  }

  private void onException(Session session, MqttEndpoint endpoint, Throwable error) {
    if (error instanceof TooLongFrameException || error.getCause() instanceof TooLongFrameException) {
      counters.oversize++;
      log.warn("Client {} sent a packet beyond the size limit; disconnecting it: {}", session.clientId,
          error.getMessage());
    } else {
      log.debug("Connection error of client {}; closing it", session.clientId, error);
    }
    close(endpoint);
  }

  /**
   * Gives the deliveries a shared subscription routed to a departed member to connected members
   * of the same group, so that one platform instance going away neither loses nor stalls them
   * (MQTT 5, 4.8.2, allows this; the departed one may have processed some: at least once).
   */
  private void handOverShared(Session departed) {
    List<Delivery> orphans = departed.takeShared(group -> group.pickConnectedExcept(departed) >= 0);
    if (orphans.isEmpty()) {
      return;
    }
    log.info("Handing {} shared-subscription deliveries of departed client {} to other members",
        orphans.size(), departed.clientId);
    Set<Session> receivers = new LinkedHashSet<>();
    for (Delivery orphan : orphans) {
      int i = orphan.via.pickConnectedExcept(departed);
      Session member = orphan.via.member(i);
      MqttQoS qos = orphan.qos == MqttQoS.AT_MOST_ONCE ? MqttQoS.AT_MOST_ONCE : orphan.via.qos(i);
      // Bounded by what the departed member held; may overshoot the receiver's queue bound once.
      member.enqueue(orphan.reroutedAs(qos));
      if (qos == MqttQoS.AT_MOST_ONCE && orphan.qos != MqttQoS.AT_MOST_ONCE) {
        orphan.settle();
      }
      receivers.add(member);
    }
    receivers.forEach(Session::drain);
  }

  /** Ends a session for good: subscriptions go, pending deliveries settle (see {@link Session#discard}). */
  private void end(Session session) {
    index.removeAll(session);
    handOverShared(session);
    session.subscriptions.clear();
    sessions.remove(session.clientId, session);
    session.discard();
  }

  private void onPublish(Session session, MqttEndpoint endpoint, BrokerClient client, MqttPublishMessage message) {
    if (session.endpoint != endpoint) {
      return;
    }
    String topic = message.topicName();
    Buffer payload = message.payload();
    MqttQoS qos = message.qosLevel();
    int packetId = message.messageId();
    if (payload.length() > config.maxMessageBytes()) {
      counters.oversize++;
      log.warn("Client {} published {} bytes to {}, over the limit of {}; disconnecting it", session.clientId,
          payload.length(), topic, config.maxMessageBytes());
      close(endpoint);
      return;
    }
    if (!TopicFilter.isValidTopicName(topic)) {
      log.warn("Client {} published to invalid topic '{}'; disconnecting it", session.clientId, topic);
      close(endpoint);
      return;
    }
    if (!authorizer.mayPublish(client, topic)) {
      counters.denied++;
      log.warn("Client {} may not publish to {}; disconnecting it", session.clientId, topic);
      close(endpoint);
      return;
    }
    if (qos != MqttQoS.AT_MOST_ONCE) {
      InboundMessage inProgress = session.pendingInbound(packetId);
      if (inProgress != null) {
        // A retransmission after reconnect of a publish still waiting for its subscribers:
        // acknowledge it on the new connection when they are done, instead of routing it twice.
        inProgress.publisher = endpoint;
        return;
      }
      if (qos == MqttQoS.EXACTLY_ONCE && session.isAwaitingRelease(packetId)) {
        endpoint.publishReceived(packetId);
        return;
      }
    }
    List<SubscriptionIndex.Target> targets = index.route(topic);
    for (SubscriptionIndex.Target target : targets) {
      if (!target.session().hasRoom()) {
        overflow(session, endpoint, target.session());
        return;
      }
    }
    counters.messagesIn++;
    if (message.isRetain()) {
      retain(topic, payload, qos);
    }
    InboundMessage inbound = null;
    if (qos != MqttQoS.AT_MOST_ONCE) {
      inbound = new InboundMessage(session, endpoint, packetId, qos);
      session.inboundStarted(inbound);
    }
    enqueue(targets, topic, payload, qos, inbound);
    if (inbound != null) {
      inbound.acknowledgeIfSettled();
    }
  }

  /** Queues one delivery per target, all before any is sent, so that no early ack completes the publish. */
  private void enqueue(List<SubscriptionIndex.Target> targets, String topic, Buffer payload, MqttQoS qos,
      InboundMessage origin) {
    for (SubscriptionIndex.Target target : targets) {
      // QoS 2 is delivered as QoS 1: at least once, which the platform deduplicates anyway.
      boolean atLeastOnce = qos != MqttQoS.AT_MOST_ONCE && target.qos() != MqttQoS.AT_MOST_ONCE;
      InboundMessage tracked = atLeastOnce ? origin : null;
      if (tracked != null) {
        tracked.expectOne();
      }
      MqttQoS deliveryQos = atLeastOnce ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE;
      target.session().enqueue(new Delivery(topic, payload, deliveryQos, false, tracked, target.via()));
    }
    for (SubscriptionIndex.Target target : targets) {
      target.session().drain();
    }
  }

  private void overflow(Session publisher, MqttEndpoint endpoint, Session full) {
    counters.overflows++;
    if (!full.overflowWarned) {
      full.overflowWarned = true;
      log.warn("Queue of subscriber {} is full ({} messages); disconnecting publishers such as {} "
          + "until it drains, so that they keep and retry their messages", full.clientId, full.queued(),
          publisher.clientId);
    } else {
      log.debug("Queue of subscriber {} still full; disconnecting publisher {}", full.clientId, publisher.clientId);
    }
    close(endpoint);
  }

  private void retain(String topic, Buffer payload, MqttQoS qos) {
    MqttQoS stored = qos == MqttQoS.AT_MOST_ONCE ? MqttQoS.AT_MOST_ONCE : MqttQoS.AT_LEAST_ONCE;
    if (!retained.put(topic, payload, stored) && !retainedFullWarned) {
      retainedFullWarned = true;
      log.warn("Retained store is full ({} topics); new retained topics are routed but not kept",
          config.maxRetainedMessages());
    }
  }

  private void publishWill(MqttWill will) {
    MqttQoS qos = will.getWillQos() == 0 ? MqttQoS.AT_MOST_ONCE : MqttQoS.AT_LEAST_ONCE;
    Buffer payload = will.getWillMessage() == null ? Buffer.buffer() : will.getWillMessage();
    if (will.isWillRetain()) {
      retain(will.getWillTopic(), payload, qos);
    }
    // No publisher waits for a will, and it is one message: it may exceed a full queue by one.
    enqueue(index.route(will.getWillTopic()), will.getWillTopic(), payload, qos, null);
  }

  private void onSubscribe(Session session, MqttEndpoint endpoint, BrokerClient client, MqttSubscribeMessage message) {
    List<MqttQoS> granted = new ArrayList<>();
    List<String> plainFilters = new ArrayList<>();
    for (MqttTopicSubscription subscription : message.topicSubscriptions()) {
      String filter = subscription.topicName();
      boolean shared = TopicFilter.isShared(filter);
      boolean valid = shared ? TopicFilter.isValidSharedFilter(filter) : TopicFilter.isValidFilter(filter);
      if (!valid) {
        log.debug("Client {} subscribed to invalid filter '{}'", session.clientId, filter);
        granted.add(MqttQoS.FAILURE);
        continue;
      }
      if (!authorizer.maySubscribe(client, filter)) {
        counters.denied++;
        log.warn("Client {} may not subscribe to {}", session.clientId, filter);
        granted.add(MqttQoS.FAILURE);
        continue;
      }
      MqttQoS qos = subscription.qualityOfService() == MqttQoS.AT_MOST_ONCE
          ? MqttQoS.AT_MOST_ONCE : MqttQoS.AT_LEAST_ONCE;
      session.subscriptions.put(filter, qos);
      index.add(session, filter, qos);
      granted.add(qos);
      if (!shared) {
        plainFilters.add(filter);
      }
    }
    endpoint.subscribeAcknowledge(message.messageId(), granted);
    // Retained messages follow the SUBACK; shared subscriptions get none (as in MQTT 5).
    for (String filter : plainFilters) {
      MqttQoS subscribed = session.subscriptions.get(filter);
      for (RetainedStore.Retained kept : retained.matching(filter)) {
        MqttQoS qos = subscribed == MqttQoS.AT_MOST_ONCE ? MqttQoS.AT_MOST_ONCE : kept.qos();
        session.enqueue(new Delivery(kept.topic(), kept.payload(), qos, true, null, null));
      }
    }
    session.drain();
  }

  private void onUnsubscribe(Session session, MqttEndpoint endpoint, MqttUnsubscribeMessage message) {
    for (String filter : message.topics()) {
      if (session.subscriptions.remove(filter) != null) {
        index.remove(session, filter);
      }
    }
    // Deliveries already queued or in flight still complete (MQTT 3.1.1 3.10.4).
    endpoint.unsubscribeAcknowledge(message.messageId());
  }

  /** Disconnects subscribers whose oldest unacknowledged delivery is older than the ack timeout. */
  void checkAckTimeouts() {
    long timeoutNanos = config.ackTimeout().toNanos();
    long now = System.nanoTime();
    List<Session> late = new ArrayList<>();
    for (Session session : sessions.values()) {
      if (session.isConnected() && session.oldestInflightAgeNanos(now) > timeoutNanos) {
        late.add(session);
      }
    }
    for (Session session : late) {
      counters.ackTimeouts++;
      log.warn("Client {} left {} deliveries unacknowledged for over {}; disconnecting it", session.clientId,
          session.inflight(), config.ackTimeout());
      close(session.endpoint);
    }
  }

  /** Closes every connection, for shutdown. */
  void closeAll() {
    for (MqttEndpoint endpoint : new ArrayList<>(endpoints)) {
      close(endpoint);
    }
  }

  /** vertx-mqtt throws when closing twice, which happens when several reasons meet on one connection. */
  private static void close(MqttEndpoint endpoint) {
    try {
      endpoint.close();
    } catch (IllegalArgumentException | IllegalStateException alreadyClosed) {
      log.trace("Connection of {} was already closed", endpoint.clientIdentifier());
    }
  }
}
