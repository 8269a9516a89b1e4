package io.flexconnect.app;

import io.flexconnect.broker.BrokerConfig;
import io.flexconnect.broker.EmbeddedBrokerVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code run} command: brings up the embedded parts the configuration asks for (database,
 * broker), deploys the platform, prints where everything listens, and serves until the JVM is
 * asked to stop.
 */
final class PlatformRunner {
  private static final Logger log = LoggerFactory.getLogger(PlatformRunner.class);

  private PlatformRunner() {}

  static int runUntilStopped(FlexconnectConfig configured, PrintStream out) throws Exception {
    Infrastructure infra = Infrastructure.database(configured);
    Vertx vertx = Vertx.vertx();
    Running running;
    try {
      running = start(vertx, infra.config()).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.error("Flexconnect could not start: {}", e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
      vertx.close();
      infra.close();
      return 1;
    }
    out.print(Banner.text(running.platform().config(), running.platform().httpPort(),
        infra.startedEmbeddedDatabase(), running.broker() != null));
    out.flush();

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("Stopping Flexconnect");
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        infra.close();
      } catch (Exception e) {
        log.warn("Unclean shutdown: {}", e.toString());
      }
      stopped.countDown();
    }, "flexconnect-shutdown"));
    stopped.await();
    return 0;
  }

  /** Deploys the embedded broker when configured, then the platform subscribed to it. */
  static Future<Running> start(Vertx vertx, FlexconnectConfig config) {
    if (!config.embeddedBroker()) {
      return Platform.deploy(vertx, config).map(p -> new Running(p, null));
    }
    FlexconnectConfig.BrokerSettings b = config.broker();
    EmbeddedBrokerVerticle broker = new EmbeddedBrokerVerticle(new BrokerConfig(b.host(), b.port(),
        b.maxInflightPerSession(), b.maxQueuedPerSession(), b.maxMessageBytes(), Duration.ZERO,
        BrokerConfig.DEFAULT_MAX_RETAINED, BrokerConfig.DEFAULT_MAX_CLIENT_ID_LENGTH));
    return vertx.deployVerticle(broker).compose(id -> {
      String url = "mqtt://127.0.0.1:" + broker.actualPort();
      FlexconnectConfig withBroker = new FlexconnectConfig(config.db(), config.broker(),
          config.mqtt().withUrl(url), config.ingest(), config.can(), config.storage(), config.http());
      return Platform.deploy(vertx, withBroker).map(p -> new Running(p, broker));
    });
  }

  /** A started platform and, in zero-config mode, its embedded broker. */
  record Running(Platform platform, EmbeddedBrokerVerticle broker) {}
}
