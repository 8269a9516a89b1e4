package io.flexconnect.mqtt;

import io.flexconnect.common.Checks;
import io.flexconnect.common.ConfigException;

/**
 * The platform's own subscription. An empty {@code url} means the embedded broker.
 *
 * @param url {@code mqtt://host:port} or {@code mqtts://host:port}, or empty
 * @param clientId stable across restarts so the broker keeps the persistent session (and the
 *     messages not yet acknowledged) for it; unique per instance
 * @param topicFilter e.g. {@code flexconnect/#}, or {@code $share/flexconnect/flexconnect/#} to split
 *     the load between instances
 * @param caFile for {@code mqtts://}: PEM file of the CA the broker's certificate must chain to
 *     (empty: the JVM's default trust store)
 * @param certFile for {@code mqtts://} brokers that require client certificates: the platform's own
 *     certificate (PEM; see {@code pki client-cert})
 * @param keyFile its private key (PKCS#8 PEM)
 * @param retryMinMs first delay before a message that storage refused is tried again; the delay
 *     doubles up to {@code retryMaxMs}, and storage recovering retries every waiting message at once
 * @param maxUnacknowledged intake bound: above this many received, not yet acknowledged messages the
 *     client stops reading from the broker, and reads again once half of them are acknowledged; a
 *     broker that ignores its own in-flight window then cannot fill the heap
 * @param stopTimeoutMs on stop, how long to wait for received messages to be committed and
 *     acknowledged before disconnecting (what is left is delivered again after the restart)
 */
public record MqttIngestConfig(
    String url,
    String username,
    String password,
    String caFile,
    String certFile,
    String keyFile,
    String clientId,
    String topicFilter,
    int keepAliveSeconds,
    int reconnectMinMs,
    int reconnectMaxMs,
    int retryMinMs,
    int retryMaxMs,
    int maxUnacknowledged,
    int stopTimeoutMs) {

  public void validate() {
    Checks.notBlank("mqtt.clientId", clientId);
    Checks.notBlank("mqtt.topicFilter", topicFilter);
    Checks.positive("mqtt.keepAliveSeconds", keepAliveSeconds);
    Checks.positive("mqtt.reconnectMinMs", reconnectMinMs);
    Checks.positive("mqtt.reconnectMaxMs", reconnectMaxMs);
    Checks.positive("mqtt.retryMinMs", retryMinMs);
    Checks.positive("mqtt.retryMaxMs", retryMaxMs);
    Checks.positive("mqtt.maxUnacknowledged", maxUnacknowledged);
    Checks.positive("mqtt.stopTimeoutMs", stopTimeoutMs);
    if (!url.isBlank()) {
      BrokerAddress.parse(url);
    }
    if (certFile.isBlank() != keyFile.isBlank()) {
      throw new ConfigException("mqtt.certFile and mqtt.keyFile go together: set both or neither");
    }
  }

  /** Same settings with another broker URL. */
  public MqttIngestConfig withUrl(String newUrl) {
    return new MqttIngestConfig(newUrl, username, password, caFile, certFile, keyFile, clientId, topicFilter,
        keepAliveSeconds, reconnectMinMs, reconnectMaxMs, retryMinMs, retryMaxMs, maxUnacknowledged, stopTimeoutMs);
  }

  /** Same settings with TLS files (CA to trust, and the platform's client certificate and key). */
  public MqttIngestConfig withTlsFiles(String newCaFile, String newCertFile, String newKeyFile) {
    return new MqttIngestConfig(url, username, password, newCaFile, newCertFile, newKeyFile, clientId, topicFilter,
        keepAliveSeconds, reconnectMinMs, reconnectMaxMs, retryMinMs, retryMaxMs, maxUnacknowledged, stopTimeoutMs);
  }

  /** Same settings with another client id and topic filter (one instance of a cluster). */
  public MqttIngestConfig withSubscription(String newClientId, String newTopicFilter) {
    return new MqttIngestConfig(url, username, password, caFile, certFile, keyFile, newClientId, newTopicFilter,
        keepAliveSeconds, reconnectMinMs, reconnectMaxMs, retryMinMs, retryMaxMs, maxUnacknowledged, stopTimeoutMs);
  }

  /** Never the password. */
  @Override
  public String toString() {
    return "MqttIngestConfig[" + url + ", client " + clientId + ", filter " + topicFilter + "]";
  }
}
