package io.flexconnect.broker;

import io.vertx.mqtt.MqttAuth;

/**
 * The seam through which the platform decides who may connect, publish and subscribe.
 * Called on the broker's event loop for every packet concerned, so implementations must be
 * fast and must not block (look decisions up in memory, refresh them elsewhere).
 */
public interface BrokerAuthorizer {

  /** Lets everybody do everything: the zero-config default on a loopback listener. */
  BrokerAuthorizer ALLOW_ALL = new BrokerAuthorizer() { };

  /**
   * @param clientId client identifier from CONNECT
   * @param auth     user name and password, {@code null} when the client sent none
   * @param tls      whether the connection came in over TLS (the certificate is in {@link BrokerClient})
   */
  default boolean mayConnect(String clientId, MqttAuth auth, boolean tls) {
    return true;
  }

  /**
   * The decision the broker asks for: by default the client-id based one below. Implement this
   * one to see the connection's client certificate.
   */
  default boolean mayConnect(BrokerClient client) {
    return mayConnect(client.clientId(), client.auth(), client.tls());
  }

  /** Asked for every PUBLISH of the connection; by default the client-id based decision below. */
  default boolean mayPublish(BrokerClient client, String topic) {
    return mayPublish(client.clientId(), topic);
  }

  /** Asked for every filter of a SUBSCRIBE; by default the client-id based decision below. */
  default boolean maySubscribe(BrokerClient client, String topicFilter) {
    return maySubscribe(client.clientId(), topicFilter);
  }

  /** A refused publish disconnects the client: MQTT 3.1.1 has no negative PUBACK. */
  default boolean mayPublish(String clientId, String topic) {
    return true;
  }

  /** A refused subscription gets the failure return code 0x80 in SUBACK. */
  default boolean maySubscribe(String clientId, String topicFilter) {
    return true;
  }
}
