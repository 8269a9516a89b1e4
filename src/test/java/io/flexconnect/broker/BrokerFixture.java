package io.flexconnect.broker;

import ch.qos.logback.classic.Level;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import org.slf4j.LoggerFactory;

/** Starts a broker on an ephemeral loopback port and connects vertx MQTT clients to it. */
final class BrokerFixture {
  final Vertx vertx;
  final EmbeddedBrokerVerticle broker;

  private BrokerFixture(Vertx vertx, EmbeddedBrokerVerticle broker) {
    this.vertx = vertx;
    this.broker = broker;
  }

  static Future<BrokerFixture> start(Vertx vertx, BrokerConfig config) {
    return start(vertx, config, BrokerAuthorizer.ALLOW_ALL);
  }

  static Future<BrokerFixture> start(Vertx vertx, BrokerConfig config, BrokerAuthorizer authorizer) {
    EmbeddedBrokerVerticle broker = new EmbeddedBrokerVerticle(config.withPort(0), authorizer);
    return vertx.deployVerticle(broker).map(id -> new BrokerFixture(vertx, broker));
  }

  /** A broker that holds {@code reserved} persistent subscriptions from its start. */
  static Future<BrokerFixture> startReserving(Vertx vertx, BrokerConfig config, ReservedSubscription... reserved) {
    EmbeddedBrokerVerticle broker = new EmbeddedBrokerVerticle(config.withPort(0), BrokerAuthorizer.ALLOW_ALL, null,
        true, java.util.List.of(reserved));
    return vertx.deployVerticle(broker).map(id -> new BrokerFixture(vertx, broker));
  }

  static BrokerConfig config() {
    return BrokerConfig.defaults().withPort(0);
  }

  /** vertx-mqtt and Netty log every packet at debug; 20,000 messages would drown the console. */
  static void quietPacketLogs() {
    for (String name : new String[] {"io.vertx", "io.netty"}) {
      ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(name)).setLevel(Level.INFO);
    }
  }

  int port() {
    return broker.actualPort();
  }

  /** A client that acknowledges received QoS 1 messages only when the test calls {@code ack()}. */
  MqttClient manualAckClient(String clientId, boolean cleanSession) {
    MqttClientOptions options = new MqttClientOptions()
        .setClientId(clientId)
        .setCleanSession(cleanSession)
        .setMaxInflightQueue(65_535);
    options.setAutoAck(false);
    return MqttClient.create(vertx, options);
  }

  /** A publisher allowed to have many unacknowledged publishes (ack-through makes PUBACKs slow). */
  MqttClient publisher(String clientId) {
    return MqttClient.create(vertx, new MqttClientOptions()
        .setClientId(clientId)
        .setMaxInflightQueue(65_535));
  }

  Future<MqttClient> connect(MqttClient client) {
    return client.connect(port(), "127.0.0.1").map(ack -> client);
  }

  Future<Void> connectAndSubscribe(MqttClient client, String filter, int qos) {
    return connect(client).compose(c -> subscribe(client, filter, qos));
  }

  /** Publishes {@code m-0} to {@code m-(count-1)} at QoS 1 without waiting for any PUBACK. */
  static Future<Void> publishNumbered(MqttClient publisher, String topic, int count) {
    for (int i = 0; i < count; i++) {
      publisher.publish(topic, Buffer.buffer("m-" + i), MqttQoS.AT_LEAST_ONCE, false, false);
    }
    return Future.succeededFuture();
  }

  /** Completes when the SUBACK arrived, not merely when SUBSCRIBE was written. */
  static Future<Void> subscribe(MqttClient client, String filter, int qos) {
    Promise<Void> subacked = Promise.promise();
    client.subscribeCompletionHandler(suback -> subacked.tryComplete());
    return client.subscribe(filter, qos).compose(id -> subacked.future());
  }
}
