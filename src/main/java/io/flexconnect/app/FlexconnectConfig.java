package io.flexconnect.app;

import io.flexconnect.api.HttpConfig;
import io.flexconnect.can.CanConfig;
import io.flexconnect.ingest.IngestConfig;
import io.flexconnect.mqtt.MqttIngestConfig;
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
    IngestConfig ingest,
    CanConfig can,
    StorageConfig storage,
    HttpConfig http) {

  /** Checks cross-field rules once, so verticles can trust their record. */
  public FlexconnectConfig validated() {
    db.validate();
    broker.validate();
    mqtt.validate();
    ingest.validate();
    can.validate();
    storage.validate();
    http.validate();
    return this;
  }

  /** True when no external broker is configured and the in-process broker serves devices. */
  public boolean embeddedBroker() {
    return mqtt.url().isBlank() && broker.enabled();
  }

  /** Settings of the in-process MQTT broker used when {@code mqtt.url} is empty. */
  public record BrokerSettings(
      boolean enabled,
      String host,
      int port,
      int maxInflightPerSession,
      int maxQueuedPerSession,
      int maxMessageBytes) {
    void validate() {
      Checks.port("broker.port", port);
      Checks.positive("broker.maxInflightPerSession", maxInflightPerSession);
      Checks.positive("broker.maxQueuedPerSession", maxQueuedPerSession);
      Checks.positive("broker.maxMessageBytes", maxMessageBytes);
    }
  }
}
