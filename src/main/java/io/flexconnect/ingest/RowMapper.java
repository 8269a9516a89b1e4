package io.flexconnect.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flexconnect.codec.TelemetryPoint;
import io.flexconnect.codec.TelemetryPoint.Field;
import io.flexconnect.storage.TelemetryRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Turns decoded points into storage rows: one row per field, tags shared by the point's rows. */
public final class RowMapper {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RowMapper() {}

  public static List<TelemetryRow> rows(String deviceId, List<TelemetryPoint> points, long receivedAtMs) {
    int size = 0;
    for (TelemetryPoint p : points) {
      size += p.fields().size();
    }
    List<TelemetryRow> rows = new ArrayList<>(size);
    for (TelemetryPoint point : points) {
      String tags = tagsJson(point.tags());
      for (Field f : point.fields()) {
        rows.add(TelemetryRow.json(deviceId, f.name(), point.timestampMs(), f.number(), f.text(), tags, receivedAtMs));
      }
    }
    return rows;
  }

  /** Tags as a JSON object with sorted keys (stable text for equal tag sets), or null when none. */
  public static String tagsJson(Map<String, String> tags) {
    if (tags.isEmpty()) {
      return null;
    }
    try {
      return JSON.writeValueAsString(new TreeMap<>(tags));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("string map always serialises", e);
    }
  }
}
