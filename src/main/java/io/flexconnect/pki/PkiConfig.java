package io.flexconnect.pki;

import io.flexconnect.common.Checks;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Settings of the platform PKI and device provisioning.
 *
 * @param dir                      where {@code ca.crt}/{@code ca.key} and the embedded broker's
 *                                 {@code server.crt}/{@code server.key} live (created on first start)
 * @param advertisedHost           the name (or IP address) devices reach the broker by: given to every
 *                                 provisioned device and named in the embedded broker's certificate;
 *                                 empty: this machine's host name (embedded broker) or the host of
 *                                 {@code mqtt.url} (external broker)
 * @param serverHosts              comma-separated further host names or IP addresses for the broker's
 *                                 server certificate ({@code localhost}, {@code 127.0.0.1} and this
 *                                 machine's host name are always in it)
 * @param deviceCertDays           validity of a device certificate
 * @param rotationGraceSeconds     how long a device's old token and certificate stay valid after a rotation
 * @param revocationRefreshSeconds how often the broker reloads revocations made by other processes (the CLI)
 * @param deviceEndpoint           the broker URL given to provisioned devices, overriding everything
 *                                 else (e.g. a port other than the broker's own); empty derives it
 */
public record PkiConfig(
    String dir,
    String advertisedHost,
    String serverHosts,
    int deviceCertDays,
    long rotationGraceSeconds,
    int revocationRefreshSeconds,
    String deviceEndpoint) {

  public void validate() {
    Checks.notBlank("pki.dir", dir);
    Checks.positive("pki.deviceCertDays", deviceCertDays);
    Checks.nonNegative("pki.rotationGraceSeconds", rotationGraceSeconds);
    Checks.positive("pki.revocationRefreshSeconds", revocationRefreshSeconds);
    if (!advertisedHost.isBlank() && !advertisedHost.trim().matches("[A-Za-z0-9._:-]+")) {
      throw new IllegalArgumentException("pki.advertisedHost: a host name or IP address, without scheme or port"
          + " (got '" + advertisedHost + "')");
    }
    if (!deviceEndpoint.isBlank()) {
      hostAndPort(deviceEndpoint, "pki.deviceEndpoint");
    }
  }

  public Path directory() {
    return Path.of(dir);
  }

  public List<String> hostList() {
    return Arrays.stream(serverHosts.split(",")).map(String::trim).filter(h -> !h.isEmpty()).toList();
  }

  /**
   * The names of the embedded broker's server certificate besides {@code localhost} and
   * {@code 127.0.0.1}: the advertised host first (it becomes the CN), then {@code serverHosts}, then
   * this machine's host name.
   */
  public List<String> serverCertificateHosts() {
    Set<String> hosts = new LinkedHashSet<>();
    hosts.add(embeddedAdvertisedHost());
    hosts.addAll(hostList());
    hosts.add(machineHostName());
    return new ArrayList<>(hosts);
  }

  /** The host devices are given when the embedded broker serves them. */
  public String embeddedAdvertisedHost() {
    return advertisedHost.isBlank() ? machineHostName() : advertisedHost.trim();
  }

  /**
   * The broker URL provisioned devices are given: {@code pki.deviceEndpoint} when set; for an
   * external broker ({@code externalBrokerUrl} not empty) its URL, under the advertised host when one
   * is set; else the embedded listener ({@code scheme}, {@code port}) under the advertised host.
   */
  public String deviceEndpointFor(String externalBrokerUrl, String scheme, int port) {
    if (!deviceEndpoint.isBlank()) {
      return deviceEndpoint.trim();
    }
    if (externalBrokerUrl != null && !externalBrokerUrl.isBlank()) {
      if (advertisedHost.isBlank()) {
        return externalBrokerUrl;
      }
      URI broker = URI.create(externalBrokerUrl.trim());
      try {
        return new URI(broker.getScheme(), null, advertisedHost.trim(), broker.getPort(), null, null, null).toString();
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("pki.advertisedHost: " + e.getMessage(), e);
      }
    }
    return scheme + "://" + embeddedAdvertisedHost() + ":" + port;
  }

  /** The certificate names {@code pki server-cert} adds to its {@code --host} values: the advertised host, if set. */
  public List<String> externalServerHosts() {
    return advertisedHost.isBlank() ? List.of() : List.of(advertisedHost.trim());
  }

  public Duration deviceCertValidity() {
    return Duration.ofDays(deviceCertDays);
  }

  public Duration rotationGrace() {
    return Duration.ofSeconds(rotationGraceSeconds);
  }

  public PkiConfig withDir(String newDir) {
    return new PkiConfig(newDir, advertisedHost, serverHosts, deviceCertDays, rotationGraceSeconds,
        revocationRefreshSeconds, deviceEndpoint);
  }

  /**
   * Host and port of a broker URL ({@code mqtts://host:8883}), as the developer guide's client takes
   * them ({@code configureEndpoint(hostName, portNumber)}); without a port, MQTT's default for the scheme.
   */
  public static HostAndPort hostAndPort(String url, String setting) {
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(setting + ": not a URL: " + url, e);
    }
    if (uri.getHost() == null || uri.getScheme() == null) {
      throw new IllegalArgumentException(setting + ": expected mqtt://host:port or mqtts://host:port, got " + url);
    }
    int port = uri.getPort() > 0 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("mqtts") ? 8883 : 1883;
    return new HostAndPort(uri.getHost(), port);
  }

  /** A broker's host name and port. */
  public record HostAndPort(String host, int port) {}

  /** This machine's host name ({@code localhost} when it has none it can tell). */
  public static String machineHostName() {
    try {
      String name = InetAddress.getLocalHost().getHostName();
      return name == null || name.isBlank() ? "localhost" : name;
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
