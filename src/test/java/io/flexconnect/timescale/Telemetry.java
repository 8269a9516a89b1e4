package io.flexconnect.timescale;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.GZIPOutputStream;

/** JSON telemetry messages of many rows, as a device sends them (gzip + base64 when large). */
final class Telemetry {
  private Telemetry() {}

  /**
   * {@code points} points one second apart from {@code startMs}, each with fields {@code s0..s<fields-1>}
   * of value {@code base + point index}: {@code points * fields} rows.
   */
  static byte[] message(String deviceId, String token, long startMs, int points, int fields, double base) {
    StringBuilder json = new StringBuilder(points * fields * 24);
    json.append("{\"device_id\":\"").append(deviceId).append("\",\"token\":\"").append(token).append("\",\"points\":[");
    for (int p = 0; p < points; p++) {
      json.append(p == 0 ? "" : ",").append("{\"timestamp\":").append(startMs + p * 1000L).append(",\"fields\":[");
      for (int f = 0; f < fields; f++) {
        json.append(f == 0 ? "" : ",").append("{\"name\":\"s").append(f).append("\",\"value\":").append(base + p).append('}');
      }
      json.append("]}");
    }
    json.append("]}");
    byte[] plain = json.toString().getBytes(StandardCharsets.UTF_8);
    if (plain.length < 64 * 1024) {
      return plain;
    }
    return new JsonObject().put("b64", Base64.getEncoder().encodeToString(gzip(plain))).encode()
        .getBytes(StandardCharsets.UTF_8);
  }

  /** One point with one text or numeric field. */
  static byte[] point(String deviceId, String token, long ts, String signal, Object value) {
    return new JsonObject().put("device_id", deviceId).put("token", token)
        .put("points", new JsonArray().add(new JsonObject().put("timestamp", ts)
            .put("fields", new JsonArray().add(new JsonObject().put("name", signal).put("value", value)))))
        .encode().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
