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
  /** The shared subscription that chose this session, null for a plain subscription. */
  final SharedGroup via;
  int packetId;
  long sentAtNanos;

  Delivery(String topic, Buffer payload, MqttQoS qos, boolean retain, InboundMessage origin, SharedGroup via) {
    this.topic = topic;
    this.payload = payload;
    this.qos = qos;
    this.retain = retain;
    this.origin = origin;
    this.via = via;
  }

  /** The same message for another member of the shared group, still counted by the same publish. */
  Delivery reroutedAs(MqttQoS memberQos) {
    return new Delivery(topic, payload, memberQos, retain, memberQos == MqttQoS.AT_MOST_ONCE ? null : origin, via);
  }

  /** Acknowledged by the subscriber or dropped with a clean session: done for the publisher's PUBACK. */
  void settle() {
    if (origin != null) {
      origin.settleOne();
    }
  }
}
