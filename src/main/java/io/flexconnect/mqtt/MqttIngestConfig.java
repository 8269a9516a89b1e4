package io.flexconnect.mqtt;

import io.flexconnect.app.Checks;

/**
 * The platform's own subscription. An empty {@code url} means the embedded broker.
 *
 * @param url {@code mqtt://host:port} or {@code mqtts://host:port}, or empty
 * @param clientId stable across restarts so the broker keeps the persistent session (and the
 *     messages not yet acknowledged) for it; unique per instance
 * @param topicFilter e.g. {@code flexconnect/#}, or {@code $share/flexconnect/flexconnect/#} to split
 *     the load between instances
 */
public record MqttIngestConfig(
    String url,
    String username,
    String password,
    String clientId,
    String topicFilter,
    int keepAliveSeconds,
    int reconnectMinMs,
    int reconnectMaxMs,
    int retryMinMs,
    int retryMaxMs) {

  public void validate() {
    Checks.notBlank("mqtt.clientId", clientId);
    Checks.notBlank("mqtt.topicFilter", topicFilter);
    Checks.positive("mqtt.keepAliveSeconds", keepAliveSeconds);
    Checks.positive("mqtt.reconnectMinMs", reconnectMinMs);
    Checks.positive("mqtt.reconnectMaxMs", reconnectMaxMs);
    Checks.positive("mqtt.retryMinMs", retryMinMs);
    Checks.positive("mqtt.retryMaxMs", retryMaxMs);
    if (!url.isBlank()) {
      BrokerAddress.parse(url);
    }
  }

  /** Same settings with another broker URL. */
  public MqttIngestConfig withUrl(String newUrl) {
    return new MqttIngestConfig(newUrl, username, password, clientId, topicFilter, keepAliveSeconds,
        reconnectMinMs, reconnectMaxMs, retryMinMs, retryMaxMs);
  }
}
