package io.flexconnect.bench.e2e;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * The devices of the benchmark: one MQTT connection per device, each publishing its prepared
 * payloads with QoS 1 and at most {@code window} messages waiting for their PUBACK (the next message
 * goes out as each PUBACK comes back). Payloads are built before the clock starts, so the load
 * generator spends its CPU on MQTT only.
 */
public final class DevicePublishers {
  private DevicePublishers() {}

  /** Publishes {@code payloads[d]} for device {@code d} on {@code flexconnect/{device}/{format}}; completes when all are PUBACKed. */
  public static Future<Void> publish(Vertx vertx, int port, String format, byte[][][] payloads, int window) {
    List<Future<Void>> devices = new ArrayList<>();
    for (int d = 0; d < payloads.length; d++) {
      int device = d;
      Promise<Void> done = Promise.promise();
      // each device on its own context, so the devices spread over the event loops
      vertx.getOrCreateContext().runOnContext(v -> new Device(vertx, port,
          "flexconnect/" + IngestDataset.deviceId(device) + "/" + format, payloads[device], window, done).connect());
      devices.add(done.future());
    }
    return Future.all(devices).mapEmpty();
  }

  private static final class Device {
    private final MqttClient client;
    private final int port;
    private final String topic;
    private final byte[][] payloads;
    private final int window;
    private final Promise<Void> done;
    private int next;
    private int acked;

    Device(Vertx vertx, int port, String topic, byte[][] payloads, int window, Promise<Void> done) {
      this.client = MqttClient.create(vertx, new MqttClientOptions().setClientId(topic.split("/")[1])
          .setCleanSession(true).setMaxInflightQueue(window + 1).setKeepAliveInterval(60));
      this.port = port;
      this.topic = topic;
      this.payloads = payloads;
      this.window = window;
      this.done = done;
    }

    void connect() {
      client.publishCompletionHandler(id -> {
        acked++;
        if (acked == payloads.length) {
          client.disconnect().onComplete(r -> done.tryComplete());
        } else {
          send();
        }
      });
      client.connect(port, "127.0.0.1").onSuccess(ack -> {
        for (int i = 0; i < window; i++) {
          send();
        }
      }).onFailure(done::tryFail);
    }

    private void send() {
      if (next < payloads.length) {
        client.publish(topic, Buffer.buffer(payloads[next++]), MqttQoS.AT_LEAST_ONCE, false, false)
            .onFailure(done::tryFail);
      }
    }
  }
}
