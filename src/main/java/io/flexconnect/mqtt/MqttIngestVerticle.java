package io.flexconnect.mqtt;

import io.flexconnect.ingest.IngestAddresses;
import io.flexconnect.ingest.IngestOutcome;
import io.flexconnect.ingest.RawMessage;
import io.flexconnect.storage.StorageAddresses;
import io.flexconnect.storage.StorageState;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import io.vertx.mqtt.messages.MqttPublishMessage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform's MQTT subscription, the ingestion path in every mode (embedded broker or not).
 *
 * <p>Subscribes with QoS 1 on a persistent session ({@code cleanSession=false}) and acknowledges a
 * message only once the pipeline answered that its rows (or its rejection) are committed. Intake
 * is bounded by the client itself, not by the broker's in-flight window: at {@code
 * mqtt.maxUnacknowledged} held messages it stops reading the socket ({@link ReadGate}). While
 * storage is down, refused messages wait in order of receipt, unacknowledged; the oldest is tried
 * again with backoff, and the writer's {@link StorageState#WRITABLE} retries all of them at once.
 * Stopping reads nothing more, lets the pipeline commit what it holds, acknowledges, then
 * disconnects (bounded by {@code mqtt.stopTimeoutMs}). Vert.x's client does not
 * reconnect by itself; this verticle does, with exponential backoff. After a reconnect the broker
 * redelivers what was not acknowledged; storage is idempotent, so that duplicates nothing.
 */
public final class MqttIngestVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(MqttIngestVerticle.class);
  /** MQTT's own maximum: the platform must receive oversized messages to reject (and ack) them. */
  private static final int MQTT_MAX_PACKET = 268_435_455;
  /** How long a stop waits for the broker to close the connection after DISCONNECT (it does at once). */
  private static final long BROKER_CLOSE_WAIT_MS = 2_000;

  private final MqttIngestConfig config;
  private final BrokerAddress broker;
  /** Where received messages go: ingest itself, or (clustered) the router to their device's owner. */
  private final String pipeline;
  /** The session of another, departed member (see {@link #adopting}). */
  private final boolean adopted;
  private final DeliveryOptions local = new DeliveryOptions().setLocalOnly(true).setSendTimeout(120_000);

  private MqttClient client;
  private boolean stopping;
  private boolean subscribed;
  private int connection; // bumped when a connection is lost: acks of an older connection are not sent
  private long reconnectDelayMs;
  private long received;
  private long acknowledged;
  private long inFlight;
  private long retries;
  private long reconnects;
  private long pauses;
  private ReadGate gate;
  private boolean reading = true;
  private boolean storageFailing;
  private boolean storageBacklogged; // the writer has more than storage.maxPendingRows rows waiting
  private boolean pausedAtLimit; // the current pause is the intake limit's (with its hysteresis)
  private long storageHolds;
  /**
   * Messages the pipeline refused, in order of receipt (a failed retry goes back to its place);
   * bounded by the intake limit.
   */
  private final PriorityQueue<Delivery> waiting = new PriorityQueue<>(Comparator.comparingLong(Delivery::seq));
  private long probeTimer = -1;
  private long probeDelayMs;
  private Promise<Void> drained; // set by stop()
  private Promise<Void> brokerClosed; // set by stop() once DISCONNECT is sent

  private final MeterRegistry meters;
  private Timer ackLag;

  public MqttIngestVerticle(MqttIngestConfig config, BrokerAddress broker, MeterRegistry meters) {
    this(config, broker, meters, IngestAddresses.RAW);
  }

  /**
   * @param pipeline the address each received {@link RawMessage} is requested on; its reply (an
   *     {@link IngestOutcome}) means committed, a failure means "not stored, try again"
   */
  public MqttIngestVerticle(MqttIngestConfig config, BrokerAddress broker, MeterRegistry meters, String pipeline) {
    this(config, broker, meters, pipeline, false);
  }

  private MqttIngestVerticle(MqttIngestConfig config, BrokerAddress broker, MeterRegistry meters, String pipeline,
      boolean adopted) {
    this.config = config;
    this.broker = broker;
    this.meters = meters;
    this.pipeline = pipeline;
    this.adopted = adopted;
  }

  /**
   * A second subscription of this instance, on the persistent session of a member of the cluster
   * that is gone ({@code config.clientId()} is that member's): it takes what the broker holds and
   * keeps queueing for that session, as the member itself would. It answers neither the status nor
   * alert publishing (the instance's own subscription does), and its meters stay its own.
   */
  public static MqttIngestVerticle adopting(MqttIngestConfig config, BrokerAddress broker, String pipeline) {
    return new MqttIngestVerticle(config, broker, new SimpleMeterRegistry(), pipeline, true);
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
    gate = new ReadGate(client);
    probeDelayMs = config.retryMinMs();
    vertx.eventBus().<StorageState>localConsumer(StorageAddresses.STATE, msg -> onStorageState(msg.body()));
    vertx.eventBus().<Boolean>localConsumer(StorageAddresses.BACKLOG, msg -> {
      storageBacklogged = msg.body();
      updateIntake();
    });
    // Paused, the client cannot read PINGRESPs: keep the broker's keep-alive fed ourselves.
    vertx.setPeriodic(Math.max(1, config.keepAliveSeconds() * 1000L / 2), id -> {
      if (!reading && client.isConnected()) {
        gate.keepAlive();
      }
    });
    client.publishHandler(this::onPublish);
    client.closeHandler(v -> onConnectionLost());
    client.exceptionHandler(err -> log.debug("MQTT client error: {}", err.getMessage()));
    if (!adopted) {
      vertx.eventBus().localConsumer(MqttAddresses.STATUS, msg -> msg.reply(status()));
      vertx.eventBus().<OutboundMessage>localConsumer(MqttAddresses.PUBLISH, this::publish);
    }
    ackLag = Timer.builder("flexconnect.mqtt.ack.lag").description("receipt to acknowledgement (after commit)")
        .publishPercentiles(0.5, 0.99).register(meters);
    FunctionCounter.builder("flexconnect.mqtt.received", this, v -> v.received).register(meters);
    FunctionCounter.builder("flexconnect.mqtt.acknowledged", this, v -> v.acknowledged).register(meters);
    FunctionCounter.builder("flexconnect.mqtt.retries", this, v -> v.retries)
        .description("deliveries to the pipeline retried (storage down)").register(meters);
    FunctionCounter.builder("flexconnect.mqtt.reconnects", this, v -> v.reconnects).register(meters);
    Gauge.builder("flexconnect.mqtt.inflight", this, v -> v.inFlight)
        .description("received, not yet acknowledged").register(meters);
    Gauge.builder("flexconnect.mqtt.intake.limit", config, c -> c.maxUnacknowledged())
        .description("unacknowledged messages at which the client stops reading from the broker").register(meters);
    Gauge.builder("flexconnect.mqtt.intake.paused", this, v -> v.reading ? 0 : 1)
        .description("1 while the client does not read from the broker").register(meters);
    FunctionCounter.builder("flexconnect.mqtt.intake.pauses", this, v -> v.pauses)
        .description("times the client stopped reading (intake limit or storage backlog)").register(meters);
    FunctionCounter.builder("flexconnect.mqtt.intake.storage.holds", this, v -> v.storageHolds)
        .description("times the client stopped reading because storage had storage.maxPendingRows rows waiting")
        .register(meters);
    Gauge.builder("flexconnect.mqtt.waiting", this, v -> v.waiting.size())
        .description("messages waiting for storage to take them").register(meters);
    Gauge.builder("flexconnect.mqtt.subscribed", this, v -> v.subscribed ? 1 : 0).register(meters);
    reconnectDelayMs = config.reconnectMinMs();
    // Start even when the broker is not up yet: the subscription comes when it is reachable.
    return connect().recover(err -> {
      scheduleReconnect();
      return Future.succeededFuture();
    });
  }

  private void publish(Message<OutboundMessage> msg) {
    if (!client.isConnected()) {
      msg.fail(503, "not connected to " + broker);
      return;
    }
    client.publish(msg.body().topic(), io.vertx.core.buffer.Buffer.buffer(msg.body().payload()),
            MqttQoS.AT_LEAST_ONCE, false, false)
        .onSuccess(id -> msg.reply(id))
        .onFailure(err -> msg.fail(503, err.getMessage()));
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    updateIntake();
    if (probeTimer >= 0) {
      vertx.cancelTimer(probeTimer);
      probeTimer = -1;
    }
    // What waits for storage is delivered again after the restart; what the pipeline holds is let
    // finish, so that no committed message goes unacknowledged and comes back as a duplicate.
    inFlight -= waiting.size();
    waiting.clear();
    drained = Promise.promise();
    if (inFlight == 0) {
      drained.complete();
    } else {
      log.info("Stopping: waiting up to {} ms for {} messages to be committed and acknowledged",
          config.stopTimeoutMs(), inFlight);
    }
    long timer = vertx.setTimer(config.stopTimeoutMs(), id -> {
      if (drained.tryComplete()) {
        log.warn("Stopped with {} messages not yet committed; the broker delivers them again", inFlight);
      }
    });
    return drained.future()
        .compose(v -> {
          vertx.cancelTimer(timer);
          return disconnectCleanly();
        });
  }

  /**
   * Sends DISCONNECT and lets the broker close the connection, reading (and dropping) what it still
   * sends meanwhile. Closing first would leave unread bytes in the socket, and the kernel then
   * resets the connection instead of closing it, discarding PUBACKs not yet sent or not yet read by
   * the broker: those messages would come back as duplicates after the restart.
   */
  private Future<Void> disconnectCleanly() {
    if (!client.isConnected()) {
      return Future.succeededFuture();
    }
    brokerClosed = Promise.promise();
    gate.reading(true);
    gate.sendDisconnect();
    long fallback = vertx.setTimer(BROKER_CLOSE_WAIT_MS, id -> {
      log.warn("{} did not close the connection {} ms after DISCONNECT; closing it", broker, BROKER_CLOSE_WAIT_MS);
      client.disconnect();
    });
    return brokerClosed.future().onComplete(ar -> vertx.cancelTimer(fallback));
  }

  private Future<Void> connect() {
    return client.connect(broker.port(), broker.host())
        // The connection number is bumped when a connection is lost, never here: a persistent
        // session's backlog flows right after CONNACK, possibly before this callback runs, and those
        // messages belong to (and must be acknowledged or retried on) this connection.
        .compose(ack -> client.subscribe(config.topicFilter(), MqttQoS.AT_LEAST_ONCE.value()))
        .<Void>mapEmpty()
        .onSuccess(v -> {
          subscribed = true;
          reconnectDelayMs = config.reconnectMinMs();
          log.info("Subscribed to '{}' on {} as '{}'", config.topicFilter(), broker, config.clientId());
        })
        .onFailure(err -> log.warn("Cannot subscribe on {}: {}; retrying", broker, err.getMessage()));
  }

  private void onConnectionLost() {
    if (brokerClosed != null) {
      brokerClosed.tryComplete();
    }
    subscribed = false;
    connection++;
    reading = true; // a new connection reads until the intake bound says otherwise
    // Waiting messages of the old connection come again on the next one.
    inFlight -= waiting.size();
    waiting.clear();
    if (drained != null && inFlight == 0) {
      drained.tryComplete();
    }
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
    if (stopping) {
      return; // read while disconnecting: unacknowledged, so the broker delivers it again
    }
    received++;
    inFlight++;
    log.debug("Received {} bytes on '{}' (packet {}, dup {})", message.payload().length(), message.topicName(),
        message.messageId(), message.isDup());
    Delivery delivery = new Delivery(received,
        new RawMessage(message.topicName(), message.payload().getBytes(), System.currentTimeMillis()), message, connection);
    if (waiting.isEmpty()) {
      deliver(delivery);
    } else {
      waiting.add(delivery); // behind the older ones: a device's messages reach storage in order
    }
    updateIntake();
  }

  private void deliver(Delivery d) {
    deliver(d, false);
  }

  /**
   * @param probe the oldest waiting message tried alone: when it goes through, the pipeline takes
   *     messages again and all the others are tried at once (whoever refused them: storage, or a
   *     member of the cluster that was gone), so no message waits here while the connection is up
   *     with nothing scheduled to try it again
   */
  private void deliver(Delivery d, boolean probe) {
    vertx.eventBus().<IngestOutcome>request(pipeline, d.raw(), local).onComplete(ar -> {
      if (ar.succeeded()) {
        storageFailing = false;
        if (probe && probeTimer < 0 && !waiting.isEmpty()) {
          probeDelayMs = config.retryMinMs();
          retryWaiting();
        }
        if (d.message().qosLevel() != MqttQoS.AT_MOST_ONCE && d.connection() == connection && client.isConnected()) {
          d.message().ack();
          acknowledged++;
          ackLag.record(System.currentTimeMillis() - d.raw().receivedAtMs(), TimeUnit.MILLISECONDS);
        }
        settled(); // after the ack: see settled()
        return;
      }
      if (d.connection() != connection || stopping) {
        settled(); // the broker delivers it again on the next connection
        return;
      }
      retries++;
      storageFailing = true;
      log.debug("Pipeline did not take a message from '{}' ({}); it waits for storage", d.raw().topic(),
          ar.cause().getMessage());
      waiting.add(d);
      scheduleProbe();
    });
  }

  /**
   * A message left the pipeline (acknowledged, or to be delivered again by the broker). While
   * stopping, the last one completes the drain, which disconnects before this returns: acknowledge
   * first.
   */
  private void settled() {
    inFlight--;
    updateIntake();
    if (drained != null && inFlight == 0) {
      drained.tryComplete();
    }
  }

  /**
   * While messages wait for storage, one of them (the oldest) is tried after a backoff: its commit
   * makes the writer announce {@link StorageState#WRITABLE}, which retries all of them at once.
   */
  private void scheduleProbe() {
    if (probeTimer >= 0 || waiting.isEmpty()) {
      return;
    }
    long delay = probeDelayMs;
    probeDelayMs = Math.min(probeDelayMs * 2, config.retryMaxMs());
    probeTimer = vertx.setTimer(delay, id -> {
      probeTimer = -1;
      Delivery oldest = waiting.poll();
      if (oldest != null) {
        deliver(oldest, true);
      }
    });
  }

  private void onStorageState(StorageState state) {
    if (state == StorageState.FAILING) {
      storageFailing = true;
      return;
    }
    storageFailing = false;
    probeDelayMs = config.retryMinMs();
    if (probeTimer >= 0) {
      vertx.cancelTimer(probeTimer);
      probeTimer = -1;
    }
    if (!waiting.isEmpty()) {
      log.info("Storage writable again: retrying {} waiting messages now", waiting.size());
    }
    retryWaiting();
  }

  private void retryWaiting() {
    List<Delivery> all = new ArrayList<>(waiting.size());
    while (!waiting.isEmpty()) {
      all.add(waiting.poll());
    }
    all.forEach(this::deliver);
  }

  /**
   * Stops reading at {@code maxUnacknowledged} held messages, reads again at half of them; also
   * stops while storage reports a backlog (see {@link StorageAddresses#BACKLOG}), so messages are
   * held by the broker, not decoded here only to wait in the writer. This is what bounds the whole
   * pipeline before decoding: the writer never refuses.
   */
  private void updateIntake() {
    boolean atLimit = inFlight >= config.maxUnacknowledged();
    boolean read;
    if (stopping || atLimit || storageBacklogged) {
      read = false;
    } else if (inFlight <= config.maxUnacknowledged() / 2 || !pausedAtLimit) {
      read = true;
    } else {
      return;
    }
    if (read != reading && gate.reading(read)) {
      reading = read;
      if (!read) {
        pauses++;
        pausedAtLimit = atLimit;
        if (storageBacklogged && !atLimit) {
          storageHolds++;
        }
        log.debug("Intake paused at {} unacknowledged messages (storage backlog: {})", inFlight, storageBacklogged);
      }
    }
  }

  private SubscriptionStatus status() {
    return new SubscriptionStatus(subscribed, broker.toString(), config.topicFilter(), received, acknowledged,
        inFlight, retries, reconnects, waiting.size(), storageFailing, reading);
  }

  /** A received message on its way to storage, and the connection it must be acknowledged on. */
  private record Delivery(long seq, RawMessage raw, MqttPublishMessage message, int connection) {}
}
