package io.flexconnect.testing;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;

/** A device stand-in: publishes QoS 1 messages and waits for the broker's PUBACK. */
public final class TestPublisher implements AutoCloseable {
  private final MqttClient client;

  public TestPublisher(Vertx vertx, int port, String clientId) {
    client = MqttClient.create(vertx, new MqttClientOptions().setClientId(clientId).setMaxMessageSize(64 * 1024 * 1024));
    Await.result(client.connect(port, "127.0.0.1"));
  }

  public void publish(String topic, byte[] payload) {
    Await.result(client.publish(topic, Buffer.buffer(payload), MqttQoS.AT_LEAST_ONCE, false, false));
  }

  @Override
  public void close() {
    if (client.isConnected()) {
      Await.result(client.disconnect());
    }
  }
}
