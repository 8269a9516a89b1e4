package io.flexconnect.broker;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.mqtt.MqttEndpoint;

/**
 * A QoS 1 or 2 publish waiting for its deliveries to settle before the publisher gets its PUBACK
 * (or PUBREC for QoS 2): the "ack-through" that keeps the message on the device until every
 * subscriber has it.
 */
final class InboundMessage {
  final int packetId;
  final MqttQoS qos;
  private final Session publisherSession;
  /** Rebound when the publisher reconnects and retransmits the same packet id. */
  MqttEndpoint publisher;
  private int unsettled;
  private boolean acknowledged;

  InboundMessage(Session publisherSession, MqttEndpoint publisher, int packetId, MqttQoS qos) {
    this.publisherSession = publisherSession;
    this.publisher = publisher;
    this.packetId = packetId;
    this.qos = qos;
  }

  void expectOne() {
    unsettled++;
  }

  void settleOne() {
    if (--unsettled == 0) {
      acknowledge();
    }
  }

  /** Completes the publish now if nothing is pending (no QoS 1 subscriber matched). */
  void acknowledgeIfSettled() {
    if (unsettled == 0) {
      acknowledge();
    }
  }

  private void acknowledge() {
    if (acknowledged) {
      return;
    }
    acknowledged = true;
    publisherSession.inboundAcknowledged(this);
    // A closed connection gets no PUBACK: the device retransmits after reconnecting, which may
    // duplicate the message downstream (at least once) but never loses it.
    if (publisher.isConnected()) {
      if (qos == MqttQoS.EXACTLY_ONCE) {
        publisher.publishReceived(packetId);
      } else {
        publisher.publishAcknowledge(packetId);
      }
    }
  }
}
