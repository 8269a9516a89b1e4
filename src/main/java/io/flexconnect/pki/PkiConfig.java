package io.flexconnect.pki;

import io.flexconnect.app.Checks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Settings of the platform PKI and device provisioning.
 *
 * @param dir                      where {@code ca.crt}/{@code ca.key} and the embedded broker's
 *                                 {@code server.crt}/{@code server.key} live (created on first start)
 * @param serverHosts              comma-separated extra host names or IP addresses for the broker's
 *                                 server certificate ({@code localhost} and {@code 127.0.0.1} are always in it);
 *                                 the first is also the host in the endpoint devices are given
 * @param deviceCertDays           validity of a device certificate
 * @param rotationGraceSeconds     how long a device's old token and certificate stay valid after a rotation
 * @param revocationRefreshSeconds how often the broker reloads revocations made by other processes (the CLI)
 * @param deviceEndpoint           the broker URL given to provisioned devices; empty derives
 *                                 {@code mqtts://<first server host>:<broker TLS port>}
 */
public record PkiConfig(
    String dir,
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
  }

  public Path directory() {
    return Path.of(dir);
  }

  public List<String> hostList() {
    return Arrays.stream(serverHosts.split(",")).map(String::trim).filter(h -> !h.isEmpty()).toList();
  }

  public Duration deviceCertValidity() {
    return Duration.ofDays(deviceCertDays);
  }

  public Duration rotationGrace() {
    return Duration.ofSeconds(rotationGraceSeconds);
  }

  public PkiConfig withDir(String newDir) {
    return new PkiConfig(newDir, serverHosts, deviceCertDays, rotationGraceSeconds, revocationRefreshSeconds, deviceEndpoint);
  }
}
