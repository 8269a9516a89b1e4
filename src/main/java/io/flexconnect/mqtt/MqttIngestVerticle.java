package io.flexconnect.mqtt;

import io.flexconnect.ingest.IngestAddresses;
import io.flexconnect.ingest.IngestOutcome;
import io.flexconnect.ingest.RawMessage;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import io.vertx.mqtt.messages.MqttPublishMessage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform's MQTT subscription, the ingestion path in every mode (embedded broker or not).
 *
 * <p>Subscribes with QoS 1 on a persistent session ({@code cleanSession=false}) and acknowledges a
 * message only once the pipeline answered that its rows (or its rejection) are committed. While
 * storage is down the message is retried with backoff and stays unacknowledged, so the broker's
 * in-flight window throttles delivery instead of anything being lost. Vert.x's client does not
 * reconnect by itself; this verticle does, with exponential backoff. After a reconnect the broker
 * redelivers what was not acknowledged; storage is idempotent, so that duplicates nothing.
 */
public final class MqttIngestVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(MqttIngestVerticle.class);
  /** MQTT's own maximum: the platform must receive oversized messages to reject (and ack) them. */
  private static final int MQTT_MAX_PACKET = 268_435_455;

  private final MqttIngestConfig config;
  private final BrokerAddress broker;
  private final DeliveryOptions local = new DeliveryOptions().setLocalOnly(true).setSendTimeout(120_000);

  private MqttClient client;
  private boolean stopping;
  private boolean subscribed;
  private int connection; // bumped on every (re)connect: acks of an older connection are not sent
  private long reconnectDelayMs;
  private long received;
  private long acknowledged;
  private long inFlight;
  private long retries;
  private long reconnects;

  private final MeterRegistry meters;
  private Timer ackLag;

  public MqttIngestVerticle(MqttIngestConfig config, BrokerAddress broker, MeterRegistry meters) {
    this.config = config;
    this.broker = broker;
    this.meters = meters;
  }

  @Override
  public Future<?> start() {
    MqttClientOptions options = new MqttClientOptions()
        .setClientId(config.clientId())
        .setCleanSession(false)
        .setKeepAliveInterval(config.keepAliveSeconds())
        .setMaxMessageSize(MQTT_MAX_PACKET)
        .setMaxInflightQueue(1000); // alerts it publishes itself
    options.setAutoAck(false);
    if (!config.username().isBlank()) {
      options.setUsername(config.username()).setPassword(config.password());
    }
    options.setSsl(broker.tls());
    if (broker.tls()) {
      // The broker's certificate must name the host in mqtt.url.
      options.setHostnameVerificationAlgorithm("HTTPS");
      if (!config.caFile().isBlank()) {
        options.setTrustOptions(new PemTrustOptions().addCertPath(config.caFile()));
      }
      if (!config.certFile().isBlank()) {
        options.setKeyCertOptions(new PemKeyCertOptions().setCertPath(config.certFile()).setKeyPath(config.keyFile()));
      }
    }
    client = MqttClient.create(vertx, options);
    client.publishHandler(this::onPublish);
    client.closeHandler(v -> onConnectionLost());
    client.exceptionHandler(err -> log.debug("MQTT client error: {}", err.getMessage()));
    vertx.eventBus().localConsumer(MqttAddresses.STATUS, msg -> msg.reply(status()));
    ackLag = Timer.builder("flexconnect.mqtt.ack.lag").description("receipt to acknowledgement (after commit)")
        .publishPercentiles(0.5, 0.99).register(meters);
    FunctionCounter.builder("flexconnect.mqtt.received", this, v -> v.received).register(meters);
    FunctionCounter.builder("flexconnect.mqtt.acknowledged", this, v -> v.acknowledged).register(meters);
    FunctionCounter.builder("flexconnect.mqtt.retries", this, v -> v.retries)
        .description("deliveries to the pipeline retried (storage down)").register(meters);
    FunctionCounter.builder("flexconnect.mqtt.reconnects", this, v -> v.reconnects).register(meters);
    Gauge.builder("flexconnect.mqtt.inflight", this, v -> v.inFlight)
        .description("received, not yet acknowledged").register(meters);
    Gauge.builder("flexconnect.mqtt.subscribed", this, v -> v.subscribed ? 1 : 0).register(meters);
    vertx.eventBus().<OutboundMessage>localConsumer(MqttAddresses.PUBLISH, msg -> {
      if (!client.isConnected()) {
        msg.fail(503, "not connected to " + broker);
        return;
      }
      client.publish(msg.body().topic(), io.vertx.core.buffer.Buffer.buffer(msg.body().payload()),
              MqttQoS.AT_LEAST_ONCE, false, false)
          .onSuccess(id -> msg.reply(id))
          .onFailure(err -> msg.fail(503, err.getMessage()));
    });
    reconnectDelayMs = config.reconnectMinMs();
    // Start even when the broker is not up yet: the subscription comes when it is reachable.
    return connect().recover(err -> {
      scheduleReconnect();
      return Future.succeededFuture();
    });
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    return client.isConnected() ? client.disconnect() : Future.succeededFuture();
  }

  private Future<Void> connect() {
    return client.connect(broker.port(), broker.host())
        .compose(ack -> {
          // A new connection from CONNACK on: a persistent session's backlog starts flowing right
          // away, before SUBACK, and those messages must be acknowledged on this connection.
          connection++;
          return client.subscribe(config.topicFilter(), MqttQoS.AT_LEAST_ONCE.value());
        })
        .<Void>mapEmpty()
        .onSuccess(v -> {
          subscribed = true;
          reconnectDelayMs = config.reconnectMinMs();
          log.info("Subscribed to '{}' on {} as '{}'", config.topicFilter(), broker, config.clientId());
        })
        .onFailure(err -> log.warn("Cannot subscribe on {}: {}; retrying", broker, err.getMessage()));
  }

  private void onConnectionLost() {
    subscribed = false;
    connection++;
    if (stopping) {
      return;
    }
    reconnects++;
    log.warn("Lost the connection to {}; reconnecting", broker);
    scheduleReconnect();
  }

  private void scheduleReconnect() {
    long delay = reconnectDelayMs;
    reconnectDelayMs = Math.min(reconnectDelayMs * 2, config.reconnectMaxMs());
    vertx.setTimer(delay, id -> {
      if (!stopping && !client.isConnected()) {
        connect().onFailure(err -> scheduleReconnect());
      }
    });
  }

  private void onPublish(MqttPublishMessage message) {
    received++;
    inFlight++;
    log.debug("Received {} bytes on '{}' (packet {}, dup {})", message.payload().length(), message.topicName(),
        message.messageId(), message.isDup());
    RawMessage raw = new RawMessage(message.topicName(), message.payload().getBytes(), System.currentTimeMillis());
    deliver(raw, message, connection, config.retryMinMs());
  }

  private void deliver(RawMessage raw, MqttPublishMessage message, int onConnection, long retryDelayMs) {
    vertx.eventBus().<IngestOutcome>request(IngestAddresses.RAW, raw, local).onComplete(ar -> {
      if (ar.succeeded()) {
        inFlight--;
        if (message.qosLevel() != MqttQoS.AT_MOST_ONCE && onConnection == connection && client.isConnected()) {
          message.ack();
          acknowledged++;
          ackLag.record(System.currentTimeMillis() - raw.receivedAtMs(), TimeUnit.MILLISECONDS);
        }
        return;
      }
      if (onConnection != connection || stopping) {
        inFlight--; // the broker redelivers it on the new connection
        return;
      }
      retries++;
      log.debug("Pipeline did not take a message from '{}' ({}); retrying in {} ms",
          raw.topic(), ar.cause().getMessage(), retryDelayMs);
      vertx.setTimer(retryDelayMs, id -> deliver(raw, message, onConnection,
          Math.min(retryDelayMs * 2, config.retryMaxMs())));
    });
  }

  private SubscriptionStatus status() {
    return new SubscriptionStatus(subscribed, broker.toString(), config.topicFilter(), received, acknowledged,
        inFlight, retries, reconnects);
  }
}
