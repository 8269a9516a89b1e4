package io.flexconnect.codec.json;

import io.flexconnect.codec.TelemetryPoint;
import java.util.List;

/**
 * A decoded JSON telemetry message. The token is kept only for authentication: never log it.
 *
 * @param compressed whether it arrived as {@code {"b64": …}}
 */
public record JsonTelemetry(String deviceId, String token, List<TelemetryPoint> points, boolean compressed) {

  public JsonTelemetry {
    points = List.copyOf(points);
  }

  @Override
  public String toString() {
    return "JsonTelemetry[deviceId=" + deviceId + ", points=" + points.size() + ", compressed=" + compressed + "]";
  }
}
