package io.flexconnect.testing;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A device stand-in: publishes QoS 1 messages and waits for the broker's PUBACK (Vert.x's publish
 * future completes when the packet is sent, not when it is acknowledged).
 */
public final class TestPublisher implements AutoCloseable {
  private final MqttClient client;
  // Touched only on the client's event loop.
  private final Map<Integer, Promise<Void>> waiting = new HashMap<>();
  private final Set<Integer> ackedEarly = new HashSet<>();

  public TestPublisher(Vertx vertx, int port, String clientId) {
    client = MqttClient.create(vertx, new MqttClientOptions().setClientId(clientId)
        .setMaxMessageSize(64 * 1024 * 1024).setMaxInflightQueue(1000));
    client.publishCompletionHandler(id -> {
      Promise<Void> p = waiting.remove(id);
      if (p != null) {
        p.complete();
      } else {
        ackedEarly.add(id);
      }
    });
    Await.result(client.connect(port, "127.0.0.1"));
  }

  /** Publishes at QoS 1 and returns once the broker acknowledged the message. */
  public void publish(String topic, byte[] payload) {
    Await.result(publishAsync(topic, payload));
  }

  public Future<Void> publishAsync(String topic, byte[] payload) {
    return client.publish(topic, Buffer.buffer(payload), MqttQoS.AT_LEAST_ONCE, false, false)
        .compose(id -> {
          if (ackedEarly.remove(id)) {
            return Future.succeededFuture();
          }
          Promise<Void> p = Promise.promise();
          waiting.put(id, p);
          return p.future();
        });
  }

  @Override
  public void close() {
    if (client.isConnected()) {
      Await.result(client.disconnect());
    }
  }
}
