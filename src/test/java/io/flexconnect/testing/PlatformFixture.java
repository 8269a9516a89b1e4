package io.flexconnect.testing;

import io.flexconnect.app.ConfigLoader;
import io.flexconnect.app.FlexconnectConfig;
import io.flexconnect.app.Platform;
import io.flexconnect.mqtt.MqttAddresses;
import io.flexconnect.mqtt.SubscriptionStatus;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The whole platform against a real Mosquitto and a fresh real database, configured the way users
 * configure it (environment overrides), with a device publisher and an HTTP client.
 */
public final class PlatformFixture implements AutoCloseable {
  public final Vertx vertx;
  public final Mosquitto broker;
  public final String dbUrl;
  public final Platform platform;
  /** A client with an operator's API key of tenant {@code default} (as the first start creates). */
  public final Http http;
  private final FlexconnectConfig config;

  private PlatformFixture(Vertx vertx, Mosquitto broker, String dbUrl, Platform platform, FlexconnectConfig config) {
    this.vertx = vertx;
    this.broker = broker;
    this.dbUrl = dbUrl;
    this.platform = platform;
    this.config = config;
    this.http = new Http(platform.httpPort(), TestApiKeys.create(vertx, config.db(), "default", true));
  }

  public static PlatformFixture start(String name, Map<String, String> extraEnv) throws Exception {
    return start(name, Mosquitto.start(), TestDatabase.newDatabase(name), extraEnv);
  }

  /** The platform against a given broker and database (e.g. to restart it on the same ones). */
  public static PlatformFixture start(String name, Mosquitto broker, String dbUrl, Map<String, String> extraEnv)
      throws Exception {
    return start(name, broker, dbUrl, extraEnv, vertx -> {});
  }

  /**
   * As {@link #start(String, Mosquitto, String, Map)}, with {@code beforeDeploy} run on the
   * platform's Vert.x before it deploys: e.g. a consumer of an address the platform publishes,
   * registered before a persistent session's backlog starts flowing.
   */
  public static PlatformFixture start(String name, Mosquitto broker, String dbUrl, Map<String, String> extraEnv,
      Consumer<Vertx> beforeDeploy) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("FLEXCONNECT_DB_URL", dbUrl);
    env.put("FLEXCONNECT_MQTT_URL", broker.url());
    env.put("FLEXCONNECT_MQTT_CLIENT_ID", "flexconnect-test-" + name);
    env.put("FLEXCONNECT_HTTP_HOST", "127.0.0.1");
    env.put("FLEXCONNECT_HTTP_PORT", "0");
    env.put("FLEXCONNECT_STORAGE_BATCH_INTERVAL_MS", "10");
    env.put("FLEXCONNECT_PKI_DIR", tempDir("flexconnect-pki-" + name).toString());
    env.putAll(extraEnv);
    FlexconnectConfig config = new ConfigLoader().load(null, env);
    Vertx vertx = Vertx.vertx();
    beforeDeploy.accept(vertx);
    Platform platform = Await.result(Platform.deploy(vertx, config));
    PlatformFixture fixture = new PlatformFixture(vertx, broker, dbUrl, platform, config);
    fixture.awaitSubscribed();
    return fixture;
  }

  /** A fresh temporary directory (the PKI of a test platform must never land in the checkout). */
  public static java.nio.file.Path tempDir(String prefix) {
    try {
      return java.nio.file.Files.createTempDirectory(prefix);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public void awaitSubscribed() {
    Await.until("the platform's MQTT subscription", Duration.ofSeconds(20), () -> {
      SubscriptionStatus status = Await.result(
          vertx.eventBus().<SubscriptionStatus>request(MqttAddresses.STATUS, "")).body();
      return status.subscribed() ? status : null;
    });
  }

  public SubscriptionStatus status() {
    return Await.result(vertx.eventBus().<SubscriptionStatus>request(MqttAddresses.STATUS, "")).body();
  }

  /** Registers a device of tenant {@code default} with a known token. */
  public void addDevice(String deviceId, String token) {
    addDevice(deviceId, "default", token);
  }

  /** Registers a device of a tenant with a known token. */
  public void addDevice(String deviceId, String tenantId, String token) {
    TestDevices.register(vertx, config.db(), tenantId, Map.of(deviceId, token));
  }

  /** A new API key of the tenant, created the way the {@code apikey create} command creates it. */
  public String createApiKey(String tenantId) {
    return TestApiKeys.create(vertx, config.db(), tenantId);
  }

  /** Revokes an API key (by its id, the part after {@code fxk_}). */
  public void revokeApiKey(String key) {
    TestApiKeys.revoke(vertx, config.db(), key);
  }

  public TestPublisher publisher(String clientId) {
    return new TestPublisher(vertx, broker.port(), clientId);
  }

  public FlexconnectConfig config() {
    return config;
  }

  /** Stops the platform only, the way {@code run} stops on SIGTERM; the broker keeps its session and queue. */
  public void stopPlatform() {
    // Not drain().eventually(vertx::close): a future of a closed event loop never completes.
    Await.result(platform.drain());
    Await.result(vertx.close());
  }

  @Override
  public void close() throws Exception {
    stopPlatform();
    broker.close();
  }
}
