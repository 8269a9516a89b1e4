package io.flexconnect.broker;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.buffer.Buffer;

/**
 * One message on its way to one subscriber session. The payload is shared, read-only, between the
 * deliveries of one publish.
 */
final class Delivery {
  final String topic;
  final Buffer payload;
  final MqttQoS qos;
  final boolean retain;
  /** The publish to acknowledge once every QoS 1 delivery of it settled; null for QoS 0 and retained. */
  private final InboundMessage origin;
  int packetId;
  long sentAtNanos;

  Delivery(String topic, Buffer payload, MqttQoS qos, boolean retain, InboundMessage origin) {
    this.topic = topic;
    this.payload = payload;
    this.qos = qos;
    this.retain = retain;
    this.origin = origin;
  }

  /** Acknowledged by the subscriber or dropped with a clean session: done for the publisher's PUBACK. */
  void settle() {
    if (origin != null) {
      origin.settleOne();
    }
  }
}
