package io.flexconnect.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flexconnect.codec.TelemetryPoint;
import io.flexconnect.codec.TelemetryPoint.Field;
import io.flexconnect.storage.TelemetryRow;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * BASELINE for {@code JsonDecodeBenchmark}: the row mapping the platform used before the tag JSON
 * cache, which serialises every point's tags (sorted into a new map) again.
 */
final class RowMapperBaseline {
  private final ObjectMapper json = new ObjectMapper();

  List<TelemetryRow> rows(String deviceId, List<TelemetryPoint> points, long receivedAtMs) {
    List<TelemetryRow> rows = new ArrayList<>();
    for (TelemetryPoint point : points) {
      String tags;
      try {
        tags = point.tags().isEmpty() ? null : json.writeValueAsString(new TreeMap<>(point.tags()));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
      for (Field f : point.fields()) {
        rows.add(TelemetryRow.json(deviceId, f.name(), point.timestampMs(), f.number(), f.text(), tags, receivedAtMs));
      }
    }
    return rows;
  }
}
