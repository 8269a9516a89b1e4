package io.flexconnect.app;

import io.flexconnect.auth.ApiKeyStore;
import io.flexconnect.broker.BrokerConfig;
import io.flexconnect.broker.BrokerTls;
import io.flexconnect.broker.DeviceCertificateAuthorizer;
import io.flexconnect.broker.EmbeddedBrokerVerticle;
import io.flexconnect.broker.ReservedSubscription;
import io.flexconnect.cluster.ClusterNode;
import io.flexconnect.common.ConfigException;
import io.flexconnect.mqtt.MqttIngestConfig;
import io.flexconnect.storage.Database;
import io.flexconnect.storage.DatabaseConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code run} command: brings up the embedded parts the configuration asks for (database,
 * broker), deploys the platform, prints where everything listens, and serves until the JVM is
 * asked to stop. On the first zero-config start (embedded database) it also creates an API key for
 * tenant {@value #DEFAULT_TENANT} (an operator's key: whoever started the platform runs it) and
 * prints it, once.
 */
final class PlatformRunner {
  private static final Logger log = LoggerFactory.getLogger(PlatformRunner.class);
  static final String DEFAULT_TENANT = "default";

  private PlatformRunner() {}

  static int runUntilStopped(FlexconnectConfig configured, PrintStream out) throws Exception {
    Infrastructure infra = Infrastructure.database(configured);
    FlexconnectConfig config = clustered(infra.config());
    ClusterNode cluster = null;
    Vertx vertx;
    if (config.cluster().enabled()) {
      try {
        cluster = ClusterNode.join(config.cluster(), instanceName(config)).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
      } catch (Exception e) {
        log.error("Flexconnect could not join its cluster: {}", e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
        infra.close();
        return 1;
      }
      vertx = cluster.vertx();
      log.info("Joined cluster '{}' as {} ({} members)", config.cluster().group(), cluster.self(), cluster.members().size());
    } else {
      vertx = Vertx.vertx();
    }
    Running running;
    DefaultApiKey apiKey;
    try {
      running = start(vertx, config, cluster).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
      apiKey = defaultApiKey(vertx, infra.config().db(), configured.db().isEmbedded())
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.error("Flexconnect could not start: {}", e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
      vertx.close();
      infra.close();
      return 1;
    }
    out.print(Banner.text(running.platform().config(), running.platform().httpPort(),
        infra.startedEmbeddedDatabase(), running.broker() != null, running.platform().deviceEndpoint(), apiKey));
    out.flush();

    CountDownLatch stopped = new CountDownLatch(1);
    AtomicBoolean stopping = new AtomicBoolean();
    Runnable stop = () -> {
      log.info("Stopping Flexconnect: no new messages; committing and acknowledging what is held");
      try {
        try {
          running.platform().drain().toCompletionStage().toCompletableFuture()
              .get(running.platform().config().mqtt().stopTimeoutMs() + 5_000L, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
          log.warn("Stopping the subscription failed: {}", e.toString());
        }
        // Closed from here, not from a callback of its own event loops (that future never completes).
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        infra.close();
      } catch (Exception e) {
        log.warn("Unclean shutdown: {}", e.toString());
      }
      stopped.countDown();
    };
    // SIGTERM / SIGINT: the first stops gracefully, a second one exits at once.
    ShutdownSignals.install(() -> {
      if (stopping.compareAndSet(false, true)) {
        new Thread(stop, "flexconnect-shutdown").start();
        return true;
      }
      return false;
    });
    // Any other way out of the JVM (System.exit elsewhere) still stops cleanly.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (stopping.compareAndSet(false, true)) {
        stop.run();
      }
    }, "flexconnect-exit"));
    stopped.await();
    return 0;
  }

  /**
   * Loads the PKI, deploys the embedded broker when configured (plain loopback listener and/or the
   * mTLS listener for devices), then the platform subscribed to it: over the plain listener, or,
   * when that is off, over TLS with the platform's own client certificate.
   */
  static Future<Running> start(Vertx vertx, FlexconnectConfig config) {
    return start(vertx, config, null);
  }

  /**
   * The configuration of one member of a cluster: its own MQTT client id ({@code mqtt.clientId-instance})
   * and the shared subscription of the cluster's group. Unchanged when clustering is off.
   */
  static FlexconnectConfig clustered(FlexconnectConfig config) {
    if (!config.cluster().enabled()) {
      return config;
    }
    return config.withMqtt(config.mqtt().withSubscription(
        config.cluster().clientId(config.mqtt().clientId(), instanceName(config)),
        config.cluster().sharedFilter(config.mqtt().topicFilter())));
  }

  /** This member's stable name: {@code cluster.instance}, or else the host name. */
  static String instanceName(FlexconnectConfig config) {
    return config.cluster().instance().isBlank() ? hostName() : config.cluster().instance();
  }

  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      throw new ConfigException("cluster.instance is empty and this machine's host name is unknown: set it");
    }
  }

  static Future<Running> start(Vertx vertx, FlexconnectConfig config, ClusterNode cluster) {
    return PlatformSecurity.load(vertx, config.pki()).compose(security -> {
      if (!config.embeddedBroker()) {
        String endpoint = config.pki().deviceEndpointFor(config.mqtt().url(), "mqtts", 8883);
        return Platform.deploy(vertx, config, security, endpoint, cluster).map(p -> new Running(p, null));
      }
      FlexconnectConfig.BrokerSettings b = config.broker();
      if (b.plainEnabled() && !isLoopback(b.host())) {
        log.warn("broker.host {} is not loopback: its plain listener has no authentication and any device reaching"
            + " it may publish to every topic; keep it on 127.0.0.1 and let devices use the TLS listener", b.host());
      }
      BrokerTls tls = b.tlsEnabled()
          ? new BrokerTls(b.tlsHost(), b.tlsPort(), security.server().certificatePem(),
              security.server().privateKeyPem(), security.ca().certificatePem())
          : null;
      EmbeddedBrokerVerticle broker = new EmbeddedBrokerVerticle(new BrokerConfig(b.host(), b.port(),
          b.maxInflightPerSession(), b.maxQueuedPerSession(), b.maxQueuedBytesPerSession(), b.maxMessageBytes(),
          Duration.ZERO,
          BrokerConfig.DEFAULT_MAX_RETAINED, BrokerConfig.DEFAULT_MAX_CLIENT_ID_LENGTH),
          new DeviceCertificateAuthorizer(security.revoked(), Clock.systemUTC()), tls, b.plainEnabled(),
          // The platform's subscription exists from the broker's first moment: a device reconnecting
          // while the platform still starts gets no PUBACK until the platform committed its message.
          List.of(new ReservedSubscription(config.mqtt().clientId(), config.mqtt().topicFilter())));
      return vertx.deployVerticle(broker)
          .compose(id -> subscription(vertx, config, security, broker))
          .compose(mqtt -> Platform.deploy(vertx, config.withMqtt(mqtt), security, deviceEndpoint(config, broker)))
          .map(p -> new Running(p, broker));
    });
  }

  private static Future<MqttIngestConfig> subscription(Vertx vertx, FlexconnectConfig config, PlatformSecurity security,
      EmbeddedBrokerVerticle broker) {
    if (config.broker().plainEnabled()) {
      return Future.succeededFuture(config.mqtt().withUrl("mqtt://127.0.0.1:" + broker.actualPort()));
    }
    return security.platformClientFiles(vertx, config.mqtt().clientId()).map(files -> config.mqtt()
        .withUrl("mqtts://127.0.0.1:" + broker.actualTlsPort())
        .withTlsFiles(files.ca().toString(), files.certificate().toString(), files.key().toString()));
  }

  private static boolean isLoopback(String host) {
    return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
  }

  /** {@code pki.deviceEndpoint}, or the TLS listener (the plain one without it) under the advertised host. */
  private static String deviceEndpoint(FlexconnectConfig config, EmbeddedBrokerVerticle broker) {
    return broker.actualTlsPort() > 0 ? config.pki().deviceEndpointFor(null, "mqtts", broker.actualTlsPort())
        : config.pki().deviceEndpointFor(null, "mqtt", broker.actualPort());
  }

  /**
   * The API key of tenant {@value #DEFAULT_TENANT}: created when {@code create} (zero-config: the
   * embedded database) and the tenant never had one, so a new user can query at once; a revoked
   * first key is never replaced behind the user's back. Otherwise only how many are active.
   */
  static Future<DefaultApiKey> defaultApiKey(Vertx vertx, DatabaseConfig db, boolean create) {
    Pool pool = Database.pool(vertx, db, 1);
    ApiKeyStore store = new ApiKeyStore(pool);
    Future<DefaultApiKey> created = create
        ? store.createFirst(DEFAULT_TENANT, "created on first start", true)
            .map(first -> first.map(c -> new DefaultApiKey(c.info().id(), c.key(), 1)).orElse(null))
        : Future.succeededFuture(null);
    return created.compose(key -> key != null ? Future.succeededFuture(key)
            : store.activeCount(DEFAULT_TENANT).map(n -> new DefaultApiKey(null, null, n)))
        .onSuccess(key -> {
          if (key.key() != null) {
            log.info("Created API key {} of tenant {} (printed once in the start banner)", key.id(), DEFAULT_TENANT);
          }
        })
        .eventually(pool::close);
  }

  /**
   * The banner's API-key line.
   *
   * @param key the key created now (printed once), or null
   * @param active keys of tenant default accepted now
   */
  record DefaultApiKey(String id, String key, int active) {
    @Override
    public String toString() {
      return "DefaultApiKey[id=" + id + ", active=" + active + "]";
    }
  }

  /** A started platform and, in zero-config mode, its embedded broker. */
  record Running(Platform platform, EmbeddedBrokerVerticle broker) {}
}
