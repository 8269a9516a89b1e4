package io.flexconnect.bench;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.flexconnect.codec.Decoded;
import io.flexconnect.codec.Gunzip;
import io.flexconnect.codec.RejectReason;
import io.flexconnect.codec.TelemetryPoint;
import io.flexconnect.codec.TelemetryPoint.Field;
import io.flexconnect.codec.json.JsonDecoderLimits;
import io.flexconnect.codec.json.JsonTelemetry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * BASELINE for {@code JsonDecodeBenchmark} and {@code JsonDecoderEquivalence}: the tree-based JSON
 * decoder the platform used before the streaming {@code JsonTelemetryDecoder} (Jackson {@code readTree},
 * then lookups in the tree), kept verbatim so both can be measured and compared in one run.
 *
 * <p>Decodes the JSON telemetry format, plain or {@code {"b64": base64(gzip(json))}}:
 *
 * <pre>
 * {"device_id": "...", "token": "...", "tags": [{"k": "v"}],
 *  "points": [{"timestamp": 1622547800000, "tags": [{"k": "v"}],
 *              "fields": [{"name": "temperature", "value": 22.5}]}]}
 * </pre>
 *
 * A message is accepted whole or rejected whole, with a reason and the JSON path of the fault.
 * Unknown members are ignored so devices can add metadata without breaking ingestion. Duplicate
 * member names are refused: which one a device meant cannot be known.
 */
public final class TreeJsonDecoderBaseline {

  private final ObjectMapper mapper;
  private final JsonDecoderLimits limits;

  public TreeJsonDecoderBaseline(JsonDecoderLimits limits) {
    this.limits = limits;
    this.mapper = JsonMapper.builder()
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
        .build();
    mapper.getFactory().setStreamReadConstraints(
        StreamReadConstraints.builder().maxNestingDepth(32).maxNumberLength(64).build());
  }

  /**
   * Decodes {@code length} bytes of {@code payload} from {@code offset}.
   *
   * @param nowMs the platform clock, for the future-timestamp bound
   */
  public Decoded<JsonTelemetry> decode(byte[] payload, int offset, int length, long nowMs) {
    JsonNode root = parse(payload, offset, length);
    if (root == null) {
      return Decoded.rejected(RejectReason.MALFORMED_JSON, parseError(payload, offset, length));
    }
    if (!root.isObject()) {
      return Decoded.rejected(RejectReason.INVALID_SCHEMA, "$: expected an object");
    }
    JsonNode b64 = root.get("b64");
    if (b64 == null) {
      return decodeMessage(root, nowMs, false);
    }
    if (root.size() != 1) {
      return Decoded.rejected(RejectReason.B64_NOT_ALONE,
          "$.b64: must be the only member of a compressed message, found " + root.size() + " members");
    }
    if (!b64.isTextual()) {
      return Decoded.rejected(RejectReason.INVALID_SCHEMA, "$.b64: expected a string");
    }
    byte[] compressed;
    try {
      compressed = Base64.getDecoder().decode(b64.textValue());
    } catch (IllegalArgumentException e) {
      return Decoded.rejected(RejectReason.BAD_BASE64, "$.b64: " + e.getMessage());
    }
    Decoded<byte[]> inflated = Gunzip.gunzip(compressed, 0, compressed.length, limits.maxDecompressedBytes());
    if (inflated instanceof Decoded.Rejected<byte[]> r) {
      return r.cast();
    }
    byte[] json = ((Decoded.Ok<byte[]>) inflated).value();
    JsonNode inner = parse(json, 0, json.length);
    if (inner == null) {
      return Decoded.rejected(RejectReason.MALFORMED_JSON, "in $.b64: " + parseError(json, 0, json.length));
    }
    if (!inner.isObject()) {
      return Decoded.rejected(RejectReason.INVALID_SCHEMA, "in $.b64: $: expected an object");
    }
    if (inner.has("b64")) {
      return Decoded.rejected(RejectReason.INVALID_SCHEMA, "in $.b64: nested b64 is not allowed");
    }
    return decodeMessage(inner, nowMs, true);
  }

  private JsonNode parse(byte[] payload, int offset, int length) {
    try {
      return mapper.readTree(payload, offset, length);
    } catch (IOException e) {
      return null;
    }
  }

  /** Parses again to get the error message; only runs for malformed input, off the happy path. */
  private String parseError(byte[] payload, int offset, int length) {
    try {
      mapper.readTree(payload, offset, length);
      return "empty document";
    } catch (JsonProcessingException e) {
      String location = e.getLocation() == null ? ""
          : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      return e.getOriginalMessage() + location;
    } catch (IOException e) {
      return e.getMessage();
    }
  }

  private Decoded<JsonTelemetry> decodeMessage(JsonNode root, long nowMs, boolean compressed) {
    String where = compressed ? "in $.b64: " : "";
    Fault fault = new Fault(where);
    String deviceId = requiredString(root, "device_id", "$", fault);
    String token = requiredString(root, "token", "$", fault);
    Map<String, String> messageTags = new LinkedHashMap<>();
    readTags(root.get("tags"), "$.tags", messageTags, fault);
    JsonNode pointsNode = root.get("points");
    if (fault.reason == null && (pointsNode == null || !pointsNode.isArray() || pointsNode.isEmpty())) {
      fault.set(RejectReason.INVALID_SCHEMA, "$.points: expected a non-empty array");
    }
    if (fault.reason != null) {
      return fault.rejected();
    }
    List<TelemetryPoint> points = new ArrayList<>(pointsNode.size());
    for (int i = 0; i < pointsNode.size(); i++) {
      TelemetryPoint point = readPoint(pointsNode.get(i), "$.points[" + i + "]", messageTags, nowMs, fault);
      if (point == null) {
        return fault.rejected();
      }
      points.add(point);
    }
    return Decoded.ok(new JsonTelemetry(deviceId, token, points, compressed));
  }

  private TelemetryPoint readPoint(
      JsonNode node, String path, Map<String, String> messageTags, long nowMs, Fault fault) {
    if (!node.isObject()) {
      fault.set(RejectReason.INVALID_SCHEMA, path + ": expected an object");
      return null;
    }
    JsonNode ts = node.get("timestamp");
    if (ts == null || !ts.isIntegralNumber() || !ts.canConvertToLong()) {
      fault.set(RejectReason.INVALID_SCHEMA, path + ".timestamp: expected an integer (epoch milliseconds)");
      return null;
    }
    long timestamp = ts.longValue();
    if (timestamp < limits.minTimestampMs() || timestamp > nowMs + limits.maxFutureMs()) {
      fault.set(RejectReason.TIMESTAMP_OUT_OF_RANGE, path + ".timestamp: " + timestamp
          + " is outside the accepted window [" + limits.minTimestampMs() + ", now + "
          + limits.maxFutureMs() + " ms] (device clock fault?)");
      return null;
    }
    Map<String, String> tags = new LinkedHashMap<>(messageTags);
    readTags(node.get("tags"), path + ".tags", tags, fault);
    JsonNode fieldsNode = node.get("fields");
    if (fault.reason == null && (fieldsNode == null || !fieldsNode.isArray() || fieldsNode.isEmpty())) {
      fault.set(RejectReason.INVALID_SCHEMA, path + ".fields: expected a non-empty array");
    }
    if (fault.reason != null) {
      return null;
    }
    List<Field> fields = new ArrayList<>(fieldsNode.size());
    for (int i = 0; i < fieldsNode.size(); i++) {
      Field field = readField(fieldsNode.get(i), path + ".fields[" + i + "]", fault);
      if (field == null) {
        return null;
      }
      fields.add(field);
    }
    return new TelemetryPoint(timestamp, tags, fields);
  }

  private Field readField(JsonNode node, String path, Fault fault) {
    if (!node.isObject()) {
      fault.set(RejectReason.INVALID_SCHEMA, path + ": expected an object");
      return null;
    }
    String name = requiredString(node, "name", path, fault);
    if (name == null) {
      return null;
    }
    JsonNode value = node.get("value");
    if (value == null) {
      fault.set(RejectReason.INVALID_SCHEMA, path + ".value: missing");
      return null;
    }
    if (value.isNumber()) {
      double number = value.doubleValue();
      if (!Double.isFinite(number)) {
        fault.set(RejectReason.INVALID_FIELD_VALUE, path + ".value: number out of range");
        return null;
      }
      return Field.numeric(name, number);
    }
    if (value.isTextual()) {
      return Field.text(name, value.textValue());
    }
    fault.set(RejectReason.INVALID_FIELD_VALUE,
        path + ".value: expected a number or a string, got " + describe(value));
    return null;
  }

  private void readTags(JsonNode node, String path, Map<String, String> into, Fault fault) {
    if (node == null || fault.reason != null) {
      return;
    }
    if (!node.isArray()) {
      fault.set(RejectReason.INVALID_SCHEMA, path + ": expected an array of {\"key\": \"value\"} objects");
      return;
    }
    for (int i = 0; i < node.size(); i++) {
      JsonNode tag = node.get(i);
      if (!tag.isObject() || tag.isEmpty()) {
        fault.set(RejectReason.INVALID_SCHEMA, path + "[" + i + "]: expected a {\"key\": \"value\"} object");
        return;
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = tag.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode v = e.getValue();
        if (!v.isTextual() && !v.isNumber() && !v.isBoolean()) {
          fault.set(RejectReason.INVALID_SCHEMA,
              path + "[" + i + "]." + e.getKey() + ": tag value must be a string, got " + describe(v));
          return;
        }
        String key = e.getKey();
        String text = v.asText();
        if (key.isEmpty() || key.length() > limits.maxNameLength() || text.length() > limits.maxNameLength()) {
          fault.set(RejectReason.INVALID_SCHEMA,
              path + "[" + i + "]: tag key must be 1-" + limits.maxNameLength()
                  + " characters and its value at most " + limits.maxNameLength());
          return;
        }
        into.put(key, text);
      }
    }
  }

  private String requiredString(JsonNode node, String member, String path, Fault fault) {
    if (fault.reason != null) {
      return null;
    }
    JsonNode value = node.get(member);
    if (value == null || !value.isTextual() || value.textValue().isEmpty()) {
      fault.set(RejectReason.INVALID_SCHEMA, path + "." + member + ": expected a non-empty string");
      return null;
    }
    if (value.textValue().length() > limits.maxNameLength() * 16) {
      fault.set(RejectReason.INVALID_SCHEMA, path + "." + member + ": too long");
      return null;
    }
    return value.textValue();
  }

  private static String describe(JsonNode value) {
    return switch (value.getNodeType()) {
      case NULL -> "null";
      case BOOLEAN -> "a boolean";
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case NUMBER -> "a number";
      case STRING -> "a string";
      default -> value.getNodeType().name().toLowerCase();
    };
  }

  /** The first fault met; later checks do nothing once it is set. */
  private static final class Fault {
    private final String prefix;
    private RejectReason reason;
    private String detail;

    Fault(String prefix) {
      this.prefix = prefix;
    }

    void set(RejectReason reason, String detail) {
      if (this.reason == null) {
        this.reason = reason;
        this.detail = prefix + detail;
      }
    }

    <T> Decoded<T> rejected() {
      return Decoded.rejected(reason, detail);
    }
  }
}
