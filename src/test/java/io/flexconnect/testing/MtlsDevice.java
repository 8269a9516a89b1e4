package io.flexconnect.testing;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.util.concurrent.TimeUnit;

/**
 * A device on the TLS listener with a client certificate (PEM text as provisioned), publishing at
 * QoS 1 and telling an acknowledged publish from one the broker answered by closing the connection.
 */
public final class MtlsDevice implements AutoCloseable {
  private final MqttClient client;
  private final Promise<Void> closed = Promise.promise();
  private Promise<Void> acked;

  private MtlsDevice(MqttClient client) {
    this.client = client;
  }

  /**
   * Connects; fails (the returned future) when the handshake or CONNECT is refused.
   *
   * @param certPem the client certificate, or {@code null} to present none
   */
  public static Future<MtlsDevice> connect(Vertx vertx, int port, String clientId, String caPem, String certPem,
      String keyPem) {
    return connect(vertx, "127.0.0.1", port, clientId, caPem, certPem, keyPem);
  }

  /** Connects to {@code host} by name, verifying that the broker's certificate names it. */
  public static Future<MtlsDevice> connect(Vertx vertx, String host, int port, String clientId, String caPem,
      String certPem, String keyPem) {
    MqttClientOptions options = new MqttClientOptions().setClientId(clientId);
    options.setConnectTimeout(5000);
    options.setSsl(true);
    options.setHostnameVerificationAlgorithm("HTTPS");
    options.setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(caPem)));
    if (certPem != null) {
      options.setKeyCertOptions(new PemKeyCertOptions().addCertValue(Buffer.buffer(certPem)).addKeyValue(Buffer.buffer(keyPem)));
    }
    MqttClient client = MqttClient.create(vertx, options);
    MtlsDevice device = new MtlsDevice(client);
    client.closeHandler(v -> device.closed.tryComplete());
    client.publishCompletionHandler(id -> {
      if (device.acked != null) {
        device.acked.tryComplete();
      }
    });
    return client.connect(port, host).map(ack -> device);
  }

  /** True when the broker acknowledged the publish, false when it closed the connection instead. */
  public boolean publish(String topic, byte[] payload) {
    acked = Promise.promise();
    client.publish(topic, Buffer.buffer(payload), MqttQoS.AT_LEAST_ONCE, false, false);
    Future<Boolean> outcome = Future.any(acked.future(), closed.future())
        .map(v -> acked.future().succeeded());
    try {
      return outcome.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("neither PUBACK nor close within 10 s", e);
    }
  }

  public boolean isConnected() {
    return client.isConnected();
  }

  @Override
  public void close() {
    if (client.isConnected()) {
      Await.result(client.disconnect());
    }
  }
}
