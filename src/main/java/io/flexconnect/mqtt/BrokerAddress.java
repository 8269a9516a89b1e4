package io.flexconnect.mqtt;

import io.flexconnect.common.ConfigException;
import java.net.URI;

/** A parsed {@code mqtt://host:port} / {@code mqtts://host:port} broker URL. */
public record BrokerAddress(String host, int port, boolean tls) {

  public static BrokerAddress parse(String url) {
    URI uri;
    try {
      uri = URI.create(url.trim());
    } catch (IllegalArgumentException e) {
      throw new ConfigException("mqtt.url: not a URL: " + url);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
    boolean tls = switch (scheme) {
      case "mqtt", "tcp" -> false;
      case "mqtts", "ssl", "tls" -> true;
      default -> throw new ConfigException("mqtt.url: scheme must be mqtt:// or mqtts://, got " + url);
    };
    if (uri.getHost() == null) {
      throw new ConfigException("mqtt.url: no host in " + url);
    }
    int port = uri.getPort() > 0 ? uri.getPort() : (tls ? 8883 : 1883);
    return new BrokerAddress(uri.getHost(), port, tls);
  }

  @Override
  public String toString() {
    return (tls ? "mqtts://" : "mqtt://") + host + ":" + port;
  }
}
