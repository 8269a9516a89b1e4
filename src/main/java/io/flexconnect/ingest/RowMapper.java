package io.flexconnect.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flexconnect.codec.TelemetryPoint.Field;
import io.flexconnect.codec.TelemetryPoint;
import io.flexconnect.common.LruMap;
import io.flexconnect.storage.TelemetryRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns decoded points into storage rows: one row per field, tags shared by the point's rows.
 *
 * <p>Devices send the same few tag sets again and again, so the tag JSON is made once per distinct
 * set and kept in a bounded cache (least recently used set evicted). Points that share one tag map
 * (the decoder hands points without tags of their own the message's map) skip even the lookup. One
 * instance per verticle: not thread-safe.
 */
public final class RowMapper {
  /** Distinct tag sets remembered; beyond it the least recently used is serialised again when it returns. */
  public static final int DEFAULT_CACHED_TAG_SETS = 4096;

  private final ObjectMapper json = new ObjectMapper();
  private final Map<Map<String, String>, String> cache;
  private Map<String, String> lastTags;
  private String lastJson;
  private long serialised;

  public RowMapper(int cachedTagSets) {
    this.cache = LruMap.create(cachedTagSets);
  }

  public List<TelemetryRow> rows(String deviceId, List<TelemetryPoint> points, long receivedAtMs) {
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
  public String tagsJson(Map<String, String> tags) {
    if (tags.isEmpty()) {
      return null;
    }
    if (tags == lastTags) {
      return lastJson;
    }
    String text = cache.get(tags);
    if (text == null) {
      text = serialise(tags);
      cache.put(tags, text); // tag maps of decoded points are immutable: safe as keys
    }
    lastTags = tags;
    lastJson = text;
    return text;
  }

  /** How many times a tag set was serialised (cache misses), for tests and benchmarks. */
  public long serialisedTagSets() {
    return serialised;
  }

  private String serialise(Map<String, String> tags) {
    serialised++;
    try {
      return json.writeValueAsString(new TreeMap<>(tags));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("string map always serialises", e);
    }
  }
}
