package io.flexconnect.app;

import io.flexconnect.api.WebVerticle;
import io.flexconnect.can.CanDecoderVerticle;
import io.flexconnect.can.RedecodeVerticle;
import io.flexconnect.can.SignalExtractionVerticle;
import io.flexconnect.cluster.ClusterAddresses;
import io.flexconnect.cluster.ClusterNode;
import io.flexconnect.cluster.ClusterVerticle;
import io.flexconnect.codec.can.CanDecoderLimits;
import io.flexconnect.device.CredentialChangesVerticle;
import io.flexconnect.device.DeviceRegistry;
import io.flexconnect.device.ProvisioningService;
import io.flexconnect.device.RevocationSyncVerticle;
import io.flexconnect.ingest.IngestVerticle;
import io.flexconnect.mqtt.BrokerAddress;
import io.flexconnect.mqtt.MqttIngestVerticle;
import io.flexconnect.rules.AlertsVerticle;
import io.flexconnect.rules.ProcessingVerticle;
import io.flexconnect.rules.WebhookVerticle;
import io.flexconnect.storage.Database;
import io.flexconnect.storage.DatabaseConfig;
import io.flexconnect.storage.SchemaMigrator;
import io.flexconnect.storage.SchemaMigrator.SchemaInfo;
import io.flexconnect.storage.StorageConfig;
import io.flexconnect.storage.TelemetryWriterVerticle;
import io.vertx.core.DeploymentOptions;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: migrates the schema and deploys the verticles in dependency order (storage
 * before ingest before the subscription, so no message arrives before its path exists). It owns
 * no infrastructure of its own: the embedded database and broker are started by the caller.
 */
public final class Platform {
  private static final Logger log = LoggerFactory.getLogger(Platform.class);

  private final Vertx vertx;
  private final FlexconnectConfig config;
  private final PlatformSecurity security;
  private final String deviceEndpoint;
  /** The cluster this instance is a member of, or null (single instance). */
  private final ClusterNode cluster;
  private WebVerticle web;
  private String subscriptionId;
  private SchemaInfo schema;
  /** This instance's meters, scraped at /metrics; one registry per platform, never a global one. */
  private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  private Platform(Vertx vertx, FlexconnectConfig config, PlatformSecurity security, String deviceEndpoint,
      ClusterNode cluster) {
    this.vertx = vertx;
    this.cluster = cluster;
    this.config = config;
    this.security = security;
    this.deviceEndpoint = deviceEndpoint;
  }

  /**
   * Deploys the platform on {@code vertx} against the database and broker of {@code config}
   * ({@code db.url} and {@code mqtt.url} must be set), loading or creating the PKI of {@code pki.dir}.
   * Devices are told to connect to {@code pki.deviceEndpoint}, or else to {@code mqtt.url} (under
   * {@code pki.advertisedHost} when set).
   */
  public static Future<Platform> deploy(Vertx vertx, FlexconnectConfig config) {
    return PlatformSecurity.load(vertx, config.pki()).compose(security -> deploy(vertx, config, security,
        config.pki().deviceEndpointFor(config.mqtt().url(), "mqtts", 8883)));
  }

  static Future<Platform> deploy(Vertx vertx, FlexconnectConfig config, PlatformSecurity security, String deviceEndpoint) {
    return deploy(vertx, config, security, deviceEndpoint, null);
  }

  /**
   * As above, as a member of {@code cluster} when not null ({@code vertx} is then its clustered
   * Vert.x): messages are routed to their device's owner and committed rows reach every member.
   */
  static Future<Platform> deploy(Vertx vertx, FlexconnectConfig config, PlatformSecurity security, String deviceEndpoint,
      ClusterNode cluster) {
    Codecs.register(vertx.eventBus());
    Platform platform = new Platform(vertx, config, security, deviceEndpoint, cluster);
    return platform.deployAll().map(platform);
  }

  private Future<Void> deployAll() {
    DatabaseConfig db = config.db();
    new JvmMemoryMetrics().bindTo(metrics);
    new JvmGcMetrics().bindTo(metrics);
    new JvmThreadMetrics().bindTo(metrics);
    new ProcessorMetrics().bindTo(metrics);
    vertx.eventBus().<Object>localConsumer(WebVerticle.METRICS_SCRAPE, msg -> msg.reply(metrics.scrape()));
    return migrate(vertx, db, config.storage())
        .compose(info -> {
          schema = info;
          return vertx.deployVerticle(new TelemetryWriterVerticle(db, config.storage(), metrics));
        })
        .compose(id -> vertx.deployVerticle(new CanDecoderVerticle(canLimits(config))))
        .compose(id -> vertx.deployVerticle(new SignalExtractionVerticle(config.can())))
        .compose(id -> vertx.deployVerticle(new RedecodeVerticle(config.can(), db),
            new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)))
        .compose(id -> vertx.deployVerticle(new ProcessingVerticle(config.processing(), db)))
        .compose(id -> vertx.deployVerticle(new AlertsVerticle(config.processing(), db)))
        .compose(id -> vertx.deployVerticle(new WebhookVerticle(config.processing())))
        .compose(id -> vertx.deployVerticle(new IngestVerticle(config.ingest(), config.can(), db, config.storage(), metrics)))
        .compose(id -> vertx.deployVerticle(new RevocationSyncVerticle(db, security.revoked(),
            config.pki().revocationRefreshSeconds() * 1000L)))
        .compose(id -> vertx.deployVerticle(new CredentialChangesVerticle(db,
            config.pki().revocationRefreshSeconds() * 1000L)))
        .compose(id -> {
          web = new WebVerticle(config.http(), db, (v, pool) -> new ProvisioningService(v, new DeviceRegistry(pool),
              security.ca(), security.revoked(), config.pki().deviceCertValidity(), config.pki().rotationGrace(),
              deviceEndpoint));
          return vertx.deployVerticle(web);
        })
        .compose(id -> cluster == null ? Future.succeededFuture(id)
            : vertx.deployVerticle(new ClusterVerticle(config.cluster(), cluster, config.ingest().deviceTopicSegment(), metrics,
                new ClusterVerticle.AlertFanOut(AlertsVerticle.ALERTS, AlertsVerticle.ALERTS_ELSEWHERE),
                instance -> MqttIngestVerticle.adopting(config.mqtt().withSubscription(
                    config.cluster().clientIdOfPeer(config.mqtt().clientId(), cluster.instance(), instance),
                    config.mqtt().topicFilter()), BrokerAddress.parse(config.mqtt().url()), ClusterAddresses.ROUTE))))
        .compose(id -> vertx.deployVerticle(cluster == null
            ? new MqttIngestVerticle(config.mqtt(), BrokerAddress.parse(config.mqtt().url()), metrics)
            : new MqttIngestVerticle(config.mqtt(), BrokerAddress.parse(config.mqtt().url()), metrics, ClusterAddresses.ROUTE)))
        .onSuccess(id -> subscriptionId = id)
        .<Void>mapEmpty()
        .onSuccess(v -> log.info("Flexconnect is up"));
  }

  /**
   * The first step of stopping, before {@code vertx.close()}: the subscription reads nothing more,
   * waits (at most {@code mqtt.stopTimeoutMs}) until the messages it holds are committed and
   * acknowledged, and disconnects. Closing Vert.x at once would stop the writer beside it, and a
   * batch committed after the disconnect would come back from the broker as a duplicate.
   */
  public Future<Void> drain() {
    if (subscriptionId == null) {
      return Future.succeededFuture();
    }
    String id = subscriptionId;
    subscriptionId = null;
    return vertx.undeploy(id);
  }

  static CanDecoderLimits canLimits(FlexconnectConfig config) {
    return CanDecoderLimits.defaults()
        .withMaxTokenBytes(config.ingest().maxTokenBytes())
        .withMaxDecompressedBytes(config.ingest().maxDecompressedBytes())
        .withMaxPoints(config.can().maxPointsPerMessage())
        .withMaxReadingsPerPoint(config.can().maxReadingsPerPoint());
  }

  /** Runs the schema migrations with a short-lived pool. */
  public static Future<SchemaInfo> migrate(Vertx vertx, DatabaseConfig db) {
    Pool pool = Database.pool(vertx, db, 1);
    return new SchemaMigrator(pool).migrate().eventually(pool::close);
  }

  /** Runs the schema migrations, then the TimescaleDB policies of {@code storage} where available. */
  public static Future<SchemaInfo> migrate(Vertx vertx, DatabaseConfig db, StorageConfig storage) {
    Pool pool = Database.pool(vertx, db, 1);
    return new SchemaMigrator(pool, storage.timescalePolicies()).migrate().eventually(pool::close);
  }

  /** The paths the REST verticle serves (for checking the API document). */
  public java.util.Set<String> httpRoutes() {
    return web.routePaths();
  }

  public int httpPort() {
    return web.port();
  }

  public SchemaInfo schema() {
    return schema;
  }

  public FlexconnectConfig config() {
    return config;
  }

  /** The broker URL provisioned devices are given. */
  public String deviceEndpoint() {
    return deviceEndpoint;
  }
}
