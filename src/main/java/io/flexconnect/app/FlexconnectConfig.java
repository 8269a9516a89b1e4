package io.flexconnect.app;

import io.flexconnect.api.HttpConfig;
import io.flexconnect.can.CanConfig;
import io.flexconnect.cluster.ClusterConfig;
import io.flexconnect.common.Checks;
import io.flexconnect.common.ConfigException;
import io.flexconnect.ingest.IngestConfig;
import io.flexconnect.mqtt.MqttIngestConfig;
import io.flexconnect.pki.PkiConfig;
import io.flexconnect.rules.ProcessingConfig;
import io.flexconnect.storage.DatabaseConfig;
import io.flexconnect.storage.StorageConfig;

/**
 * The whole platform configuration, one typed record per feature. Built by {@link ConfigLoader};
 * each verticle receives only its own part.
 */
public record FlexconnectConfig(
    DatabaseConfig db,
    BrokerSettings broker,
    MqttIngestConfig mqtt,
    PkiConfig pki,
    IngestConfig ingest,
    CanConfig can,
    ProcessingConfig processing,
    StorageConfig storage,
    HttpConfig http,
    ClusterConfig cluster) {

  /** Checks cross-field rules once, so verticles can trust their record. */
  public FlexconnectConfig validated() {
    db.validate();
    broker.validate();
    mqtt.validate();
    pki.validate();
    ingest.validate();
    can.validate();
    processing.validate();
    storage.validate();
    http.validate();
    cluster.validate();
    if (cluster.enabled() && (mqtt.url().isBlank() || db.url().isBlank())) {
      // Every member must share one broker (the shared subscription) and one database.
      throw new ConfigException("cluster.enabled needs an external broker and database: set mqtt.url and db.url");
    }
    return this;
  }

  /** True when no external broker is configured and the in-process broker serves devices. */
  public boolean embeddedBroker() {
    return mqtt.url().isBlank() && broker.enabled();
  }

  /** The same configuration with another broker URL for the platform's subscription. */
  public FlexconnectConfig withMqtt(MqttIngestConfig newMqtt) {
    return new FlexconnectConfig(db, broker, newMqtt, pki, ingest, can, processing, storage, http, cluster);
  }

  /** The same configuration with another database. */
  public FlexconnectConfig withDb(DatabaseConfig newDb) {
    return new FlexconnectConfig(newDb, broker, mqtt, pki, ingest, can, processing, storage, http, cluster);
  }

  /**
   * Settings of the in-process MQTT broker used when {@code mqtt.url} is empty.
   *
   * @param host         interface of the plain listener (keep it loopback: it has no authentication)
   * @param plainEnabled whether to open the plain listener at all; without it the platform subscribes
   *                     over TLS with its own client certificate
   * @param tlsEnabled   whether to open the TLS listener for devices (client certificates required)
   * @param tlsHost      interface of the TLS listener
   * @param tlsPort      port of the TLS listener; 0 picks a free one
   */
  public record BrokerSettings(
      boolean enabled,
      String host,
      int port,
      boolean plainEnabled,
      boolean tlsEnabled,
      String tlsHost,
      int tlsPort,
      int maxInflightPerSession,
      int maxQueuedPerSession,
      long maxQueuedBytesPerSession,
      int maxMessageBytes) {
    void validate() {
      Checks.port("broker.port", port);
      Checks.port("broker.tlsPort", tlsPort);
      Checks.notBlank("broker.tlsHost", tlsHost);
      if (enabled && !plainEnabled && !tlsEnabled) {
        throw new ConfigException("broker: enable plainEnabled or tlsEnabled (or set enabled false)");
      }
      Checks.positive("broker.maxInflightPerSession", maxInflightPerSession);
      Checks.positive("broker.maxQueuedPerSession", maxQueuedPerSession);
      Checks.positive("broker.maxQueuedBytesPerSession", maxQueuedBytesPerSession);
      Checks.positive("broker.maxMessageBytes", maxMessageBytes);
    }
  }
}
