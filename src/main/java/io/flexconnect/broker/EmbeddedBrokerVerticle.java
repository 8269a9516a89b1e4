package io.flexconnect.broker;

import io.flexconnect.common.PortInUse;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-process MQTT 3.1.1 broker of zero-config mode. Deploy exactly one instance per broker
 * (all sessions live on its event loop); several brokers may run in one JVM.
 *
 * <p>Guarantees towards the platform: a QoS 1 publish is acknowledged to the device only when
 * every QoS 1 subscription it was routed to has acknowledged it (ack-through); persistent
 * subscriber sessions keep unacknowledged messages across reconnects; queues are bounded and a
 * full queue disconnects publishers instead of dropping messages.
 */
public final class EmbeddedBrokerVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedBrokerVerticle.class);
  /** PUBLISH overhead beyond the payload: topic (up to 65535 + 2), packet id, fixed header. */
  private static final int MAX_HEADER_BYTES = 65_535 + 2 + 2 + 5;

  private final BrokerConfig config;
  private final BrokerEngine engine;
  private final BrokerTls tls;
  private final boolean plainListener;
  private final List<MqttServer> servers = new ArrayList<>();
  private MqttServer plainServer;
  private MqttServer tlsServer;

  public EmbeddedBrokerVerticle(BrokerConfig config) {
    this(config, BrokerAuthorizer.ALLOW_ALL);
  }

  public EmbeddedBrokerVerticle(BrokerConfig config, BrokerAuthorizer authorizer) {
    this(config, authorizer, null, true);
  }

  /**
   * @param tls           the TLS listener with required client certificates, or {@code null} for none
   * @param plainListener whether to open the plain listener of {@code config} too
   */
  public EmbeddedBrokerVerticle(BrokerConfig config, BrokerAuthorizer authorizer, BrokerTls tls, boolean plainListener) {
    this(config, authorizer, tls, plainListener, List.of());
  }

  /**
   * @param reserved persistent subscriptions held from the start, before their clients first connect
   *                 (the platform's ingest subscription), so that matching publishes wait for them
   */
  public EmbeddedBrokerVerticle(BrokerConfig config, BrokerAuthorizer authorizer, BrokerTls tls, boolean plainListener,
      List<ReservedSubscription> reserved) {
    this.config = Objects.requireNonNull(config, "config");
    this.engine = new BrokerEngine(config, Objects.requireNonNull(authorizer, "authorizer"), List.copyOf(reserved));
    this.tls = tls;
    this.plainListener = plainListener;
    if (tls == null && !plainListener) {
      throw new IllegalArgumentException("the broker needs at least one listener");
    }
  }

  @Override
  public Future<?> start() {
    context.exceptionHandler(EmbeddedBrokerVerticle::onUncaught);
    List<Future<MqttServer>> listening = new ArrayList<>();
    for (MqttServerOptions options : listenerOptions()) {
      MqttServer server = MqttServer.create(vertx, options)
          .endpointHandler(engine::onEndpoint)
          // Failed handshakes (no, expired or foreign certificate) land here: expected, not alarming.
          .exceptionHandler(error -> log.debug("MQTT listener error: {}", error.toString()));
      servers.add(server);
      if (options.isSsl()) {
        tlsServer = server;
      } else {
        plainServer = server;
      }
      String setting = options.isSsl() ? "broker.tlsPort" : "broker.port";
      listening.add(server.listen().recover(e -> Future.failedFuture(PortInUse.named(e, setting, options.getPort(),
          options.getHost(), "another process listens there, e.g. another broker or platform"))));
    }
    if (!config.ackTimeout().isZero()) {
      long period = Math.max(100, config.ackTimeout().toMillis() / 4);
      vertx.setPeriodic(period, id -> engine.checkAckTimeouts());
    }
    return Future.all(listening)
        .onSuccess(done -> log.info("Embedded MQTT broker listening on {}", listening()));
  }

  /**
   * After the broker closes a connection (overflow, oversize, refusal), packets already read from it
   * make vertx-mqtt throw "not connected"; that is expected and must not look like a failure.
   */
  private static void onUncaught(Throwable error) {
    String message = String.valueOf(error.getMessage());
    if (error instanceof IllegalArgumentException && message.contains("not connected client")) {
      log.debug("Packet from a connection the broker already closed: {}", message);
    } else {
      log.error("Unexpected error on the MQTT broker's event loop", error);
    }
  }

  private String listening() {
    List<String> listeners = new ArrayList<>();
    if (plainServer != null) {
      listeners.add(config.host() + ":" + actualPort());
    }
    if (tlsServer != null) {
      listeners.add(tls.host() + ":" + actualTlsPort() + " (TLS, client certificates required)");
    }
    return String.join(" and ", listeners);
  }

  /** The one place where listeners are declared; both share the same engine (sessions, routing). */
  private List<MqttServerOptions> listenerOptions() {
    List<MqttServerOptions> listeners = new ArrayList<>();
    if (plainListener) {
      listeners.add(common(new MqttServerOptions()).setHost(config.host()).setPort(config.port()));
    }
    if (tls != null) {
      MqttServerOptions secure = common(new MqttServerOptions()).setHost(tls.host()).setPort(tls.port());
      secure.setSsl(true)
          .setKeyCertOptions(new PemKeyCertOptions()
              .addCertValue(Buffer.buffer(tls.certificatePem()))
              .addKeyValue(Buffer.buffer(tls.privateKeyPem())))
          .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(tls.clientCaCertificatePem())))
          .setClientAuth(ClientAuth.REQUIRED);
      listeners.add(secure);
    }
    return listeners;
  }

  private MqttServerOptions common(MqttServerOptions options) {
    return options
        // Room for the largest topic, so that our own payload check (counted, logged) decides.
        .setMaxMessageSize(config.maxMessageBytes() + MAX_HEADER_BYTES)
        .setMaxClientIdLength(config.maxClientIdLength())
        // Empty client ids are ours to handle: refused for persistent sessions (see BrokerEngine).
        .setAutoClientId(false);
  }

  @Override
  public Future<?> stop() {
    engine.closeAll();
    List<Future<Void>> closing = new ArrayList<>();
    for (MqttServer server : servers) {
      closing.add(server.close());
    }
    return Future.all(closing);
  }

  /** The port the plain listener is bound to (the ephemeral one when configured with 0); after start, -1 without one. */
  public int actualPort() {
    return plainServer == null ? -1 : plainServer.actualPort();
  }

  /** The port the TLS listener is bound to; after start, -1 without one. */
  public int actualTlsPort() {
    return tlsServer == null ? -1 : tlsServer.actualPort();
  }

  /** Current counters; exact when called on the broker's context, possibly slightly stale elsewhere. */
  public BrokerStats stats() {
    return engine.stats();
  }

  public BrokerConfig brokerConfig() {
    return config;
  }
}
