package io.flexconnect.device;

import io.flexconnect.pki.PkiConfig;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Everything a device maker needs, named as in the Flexconnect developer guide. Holds the only
 * copy of the private key and the token the platform ever has: hand it out once, never log it.
 */
public record ProvisionedDevice(
    String deviceId,
    String tenantId,
    String token,
    String caCertificatePem,
    String certificatePem,
    String privateKeyPem,
    BigInteger certificateSerial,
    Instant certificateNotAfter,
    String endpoint) {

  public static final String CA_FILE = "root-CA.crt";
  public static final String KEY_FILE = "device_key.key";
  public static final String CERT_FILE = "device_cert.pem";
  public static final String INFO_FILE = "device.json";

  public String jsonTopic() {
    return "flexconnect/" + deviceId + "/json";
  }

  public String canTopic() {
    return "flexconnect/" + deviceId + "/can";
  }

  public String alertsTopic() {
    return "flexconnect/" + deviceId + "/alerts";
  }

  /** The broker's host name, as the guide's {@code configureEndpoint(hostName=…)} takes it. */
  public String host() {
    return PkiConfig.hostAndPort(endpoint, "endpoint").host();
  }

  /** The broker's port, as the guide's {@code configureEndpoint(…, portNumber=…)} takes it. */
  public int port() {
    return PkiConfig.hostAndPort(endpoint, "endpoint").port();
  }

  /** The three files by their guide names, in the order a reader expects them. */
  public Map<String, String> files() {
    Map<String, String> files = new LinkedHashMap<>();
    files.put(CA_FILE, caCertificatePem);
    files.put(CERT_FILE, certificatePem);
    files.put(KEY_FILE, privateKeyPem);
    return files;
  }

  /** The REST response: the description plus the files' contents. */
  public JsonObject toJson() {
    JsonObject files = new JsonObject();
    files().forEach(files::put);
    return description().put("files", files);
  }

  /** {@code device.json} of the zip: everything but the files themselves. */
  public JsonObject description() {
    return new JsonObject()
        .put("device_id", deviceId)
        .put("tenant_id", tenantId)
        .put("token", token)
        .put("endpoint", endpoint)
        .put("host", host())
        .put("port", port())
        .put("topics", new JsonObject()
            .put("json", jsonTopic())
            .put("can", canTopic())
            .put("alerts", alertsTopic()))
        .put("certificate", new JsonObject()
            .put("serial", certificateSerial.toString(16))
            .put("not_after", certificateNotAfter.toString())
            .put("ca_file", CA_FILE)
            .put("cert_file", CERT_FILE)
            .put("key_file", KEY_FILE));
  }

  /**
   * A zip of {@code root-CA.crt}, {@code device_cert.pem}, {@code device_key.key} and {@code device.json},
   * at its top level: the names a device's firmware expects, whatever the archive is called.
   */
  public byte[] toZip() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(8192);
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, String> file : files().entrySet()) {
        zip.putNextEntry(new ZipEntry(file.getKey()));
        zip.write(file.getValue().getBytes(StandardCharsets.US_ASCII));
        zip.closeEntry();
      }
      zip.putNextEntry(new ZipEntry(INFO_FILE));
      zip.write(description().encodePrettily().getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // in memory: cannot happen
    }
    return bytes.toByteArray();
  }

  /** Without the token and the key: records print every component by default. */
  @Override
  public String toString() {
    return "ProvisionedDevice[" + deviceId + ", tenant " + tenantId + ", serial " + certificateSerial.toString(16) + "]";
  }
}
