package io.flexconnect.testing;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A provisioned device as the REST API returned it, with helpers to use its files. */
public record DeviceFiles(String deviceId, String token, String caPem, String certPem, String keyPem, JsonObject response) {

  public static DeviceFiles of(JsonObject response) {
    JsonObject files = response.getJsonObject("files");
    return new DeviceFiles(response.getString("device_id"), response.getString("token"),
        files.getString("root-CA.crt"), files.getString("device_cert.pem"), files.getString("device_key.key"), response);
  }

  /** The guide's seed JSON example, re-addressed to this device. */
  public byte[] seedMessage() {
    return seedMessage(token);
  }

  public byte[] seedMessage(String withToken) {
    String seed = new String(TestVectors.message("seed-json.json"), StandardCharsets.UTF_8);
    return seed.replace("tok_demo-0001-7f3a9c2e5b814d06a1e2c3d4e5f60718", withToken)
        .replace("demo-0001", deviceId).getBytes(StandardCharsets.UTF_8);
  }

  /** Writes the three files under their guide names into a new temporary directory. */
  public Path writeTo(String prefix) {
    try {
      Path dir = Files.createTempDirectory(prefix);
      Files.writeString(dir.resolve("root-CA.crt"), caPem);
      Files.writeString(dir.resolve("device_cert.pem"), certPem);
      Files.writeString(dir.resolve("device_key.key"), keyPem);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Runs Debian's {@code mosquitto_pub} at QoS 1 over TLS with these files ({@code withCert} false:
   * without a client certificate) and returns its exit code and output.
   */
  public MosquittoPub mosquittoPub(int port, String topic, byte[] payload, boolean withCert) {
    try {
      Path dir = writeTo("flexconnect-device-");
      Path message = dir.resolve("message.json");
      Files.write(message, payload);
      List<String> command = new ArrayList<>(List.of("mosquitto_pub", "-h", "localhost", "-p", String.valueOf(port),
          "-q", "1", "-i", deviceId + "-pub", "-t", topic, "-f", message.toString(),
          "--cafile", dir.resolve("root-CA.crt").toString()));
      if (withCert) {
        command.addAll(List.of("--cert", dir.resolve("device_cert.pem").toString(),
            "--key", dir.resolve("device_key.key").toString()));
      }
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new MosquittoPub(-1, "timed out");
      }
      return new MosquittoPub(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Exit code and output of one {@code mosquitto_pub} run. */
  public record MosquittoPub(int exitCode, String output) {}
}
