package io.flexconnect.codec.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.flexconnect.codec.Decoded;
import io.flexconnect.codec.RejectReason;
import io.flexconnect.codec.TelemetryPoint;
import io.flexconnect.codec.TelemetryPoint.Field;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One pass of the streaming parser over one JSON document, for {@link JsonTelemetryDecoder}.
 *
 * <p>Members may come in any order, yet the fault reported must be the same whatever the order:
 * the first in schema order ({@code device_id}, {@code token}, {@code tags}, {@code points}, then
 * each point in index order: its shape, {@code timestamp}, its range, {@code tags}, {@code fields},
 * then each field). So every fault gets a rank in that order and the lowest rank wins; once a fault
 * is known, what could only rank later is tokenised (to find malformed JSON, which beats every
 * schema fault) but no longer decoded. A fault is only a string built off the happy path.
 *
 * <pre>
 * rank 0 device_id | 1 token | 2 tags | 3 points | 4 + 8·i + (0 point shape, 1 timestamp,
 *                                                   2 its range, 3 tags, 4 fields, 5 a field)
 * </pre>
 */
final class MessageReader {
  private static final long DEVICE_ID = 0;
  private static final long TOKEN = 1;
  private static final long MESSAGE_TAGS = 2;
  private static final long POINTS = 3;
  private static final int POINT_SHAPE = 0;
  private static final int TIMESTAMP = 1;
  private static final int TIMESTAMP_RANGE = 2;
  private static final int POINT_TAGS = 3;
  private static final int FIELDS = 4;
  private static final int FIELD = 5;
  private static final String TAG_OBJECT = ": expected a {\"key\": \"value\"} object";

  private final JsonDecoderLimits limits;
  private final NameCache names;
  private final long nowMs;
  private final boolean compressed;

  private boolean object;
  private int members;
  private boolean hasB64;
  private String b64;
  private boolean deviceIdSeen;
  private boolean tokenSeen;
  private boolean pointsSeen;
  private String deviceId;
  private String token;
  private List<String> messageTags; // key, value, key, value… in document order; null when absent
  private final List<PointDraft> points = new ArrayList<>();

  private long faultRank = Long.MAX_VALUE;
  private RejectReason faultReason;
  private String faultDetail;

  MessageReader(JsonDecoderLimits limits, NameCache names, long nowMs, boolean compressed) {
    this.names = names;
    this.limits = limits;
    this.nowMs = nowMs;
    this.compressed = compressed;
  }

  boolean isObject() {
    return object;
  }

  /** Whether the top-level object has a {@code b64} member. */
  boolean hasB64() {
    return hasB64;
  }

  /** The {@code b64} text, null when it is not a string. */
  String b64() {
    return b64;
  }

  int members() {
    return members;
  }

  /** Reads the first JSON value of the document; what follows it is ignored, as Jackson's readTree does. */
  void readDocument(JsonParser p) throws IOException {
    JsonToken t = p.nextToken();
    if (t == null) {
      return; // empty document: not an object
    }
    if (t != JsonToken.START_OBJECT) {
      skip(p, t);
      return;
    }
    object = true;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      members++;
      String key = p.currentName();
      JsonToken value = p.nextToken();
      if (hasB64) {
        skip(p, value); // a compressed message: nothing but the b64 member matters
        continue;
      }
      switch (key) {
        case "b64" -> {
          hasB64 = true;
          if (value == JsonToken.VALUE_STRING) {
            b64 = p.getText();
          } else {
            skip(p, value);
          }
        }
        case "device_id" -> {
          deviceIdSeen = true;
          deviceId = requiredString(p, value, "device_id", DEVICE_ID);
        }
        case "token" -> {
          tokenSeen = true;
          token = requiredString(p, value, "token", TOKEN);
        }
        case "tags" -> messageTags = readTags(p, value, MESSAGE_TAGS, -1);
        case "points" -> readPoints(p, value);
        default -> skip(p, value);
      }
    }
  }

  /** The decoded message, or the fault of lowest rank (its detail prefixed with {@code where}). */
  Decoded<JsonTelemetry> result(String where) {
    if (!deviceIdSeen) {
      fault(DEVICE_ID, RejectReason.INVALID_SCHEMA, "$.device_id: expected a non-empty string");
    }
    if (!tokenSeen) {
      fault(TOKEN, RejectReason.INVALID_SCHEMA, "$.token: expected a non-empty string");
    }
    if (!pointsSeen) {
      fault(POINTS, RejectReason.INVALID_SCHEMA, "$.points: expected a non-empty array");
    }
    if (faultReason != null) {
      return Decoded.rejected(faultReason, where + faultDetail);
    }
    Map<String, String> shared = Map.copyOf(merge(null));
    List<TelemetryPoint> decoded = new ArrayList<>(points.size());
    List<String> lastOwnTags = null;
    Map<String, String> lastTags = shared;
    for (PointDraft draft : points) {
      if (draft.tags != null && !draft.tags.equals(lastOwnTags)) {
        lastOwnTags = draft.tags;
        lastTags = Map.copyOf(merge(draft.tags)); // equal consecutive tag sets share one map
      }
      decoded.add(new TelemetryPoint(draft.timestampMs, draft.tags == null ? shared : lastTags, draft.fields));
    }
    return Decoded.ok(new JsonTelemetry(deviceId, token, decoded, compressed));
  }

  /** Message tags, then the point's own on top (a later key replaces an earlier one). */
  private Map<String, String> merge(List<String> pointTags) {
    Map<String, String> tags = new LinkedHashMap<>();
    putAll(tags, messageTags);
    putAll(tags, pointTags);
    return tags;
  }

  private static void putAll(Map<String, String> into, List<String> pairs) {
    if (pairs != null) {
      for (int i = 0; i < pairs.size(); i += 2) {
        into.put(pairs.get(i), pairs.get(i + 1));
      }
    }
  }

  private void readPoints(JsonParser p, JsonToken t) throws IOException {
    pointsSeen = true;
    if (t != JsonToken.START_ARRAY) {
      fault(POINTS, RejectReason.INVALID_SCHEMA, "$.points: expected a non-empty array");
      skip(p, t);
      return;
    }
    int index = 0;
    for (t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken(), index++) {
      long rank = pointRank(index);
      if (faultRank < rank) {
        skip(p, t); // an earlier fault stands: only well-formedness is left to check
      } else {
        readPoint(p, t, index, rank);
      }
    }
    if (index == 0) {
      fault(POINTS, RejectReason.INVALID_SCHEMA, "$.points: expected a non-empty array");
    }
  }

  private static long pointRank(int index) {
    return 4 + 8L * index;
  }

  private void readPoint(JsonParser p, JsonToken t, int index, long rank) throws IOException {
    if (t != JsonToken.START_OBJECT) {
      fault(rank + POINT_SHAPE, RejectReason.INVALID_SCHEMA, pointPath(index) + ": expected an object");
      skip(p, t);
      return;
    }
    boolean timestampSeen = false;
    boolean fieldsSeen = false;
    long timestamp = 0;
    List<String> tags = null;
    List<Field> fields = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      JsonToken value = p.nextToken();
      switch (key) {
        case "timestamp" -> {
          timestampSeen = true;
          if (isLong(p, value)) {
            timestamp = p.getLongValue();
            checkRange(timestamp, index, rank);
          } else {
            fault(rank + TIMESTAMP, RejectReason.INVALID_SCHEMA,
                pointPath(index) + ".timestamp: expected an integer (epoch milliseconds)");
            skip(p, value);
          }
        }
        case "tags" -> tags = readTags(p, value, rank + POINT_TAGS, index);
        case "fields" -> {
          fieldsSeen = true;
          fields = readFields(p, value, index, rank);
        }
        default -> skip(p, value);
      }
    }
    if (!timestampSeen) {
      fault(rank + TIMESTAMP, RejectReason.INVALID_SCHEMA,
          pointPath(index) + ".timestamp: expected an integer (epoch milliseconds)");
    }
    if (!fieldsSeen) {
      fault(rank + FIELDS, RejectReason.INVALID_SCHEMA, pointPath(index) + ".fields: expected a non-empty array");
    }
    if (faultReason == null) {
      points.add(new PointDraft(timestamp, tags, fields));
    }
  }

  /** An integral number that fits a long (Jackson types larger ones as BIG_INTEGER). */
  private static boolean isLong(JsonParser p, JsonToken t) throws IOException {
    return t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER;
  }

  private void checkRange(long timestamp, int index, long rank) {
    if (timestamp < limits.minTimestampMs() || timestamp > nowMs + limits.maxFutureMs()) {
      fault(rank + TIMESTAMP_RANGE, RejectReason.TIMESTAMP_OUT_OF_RANGE, pointPath(index) + ".timestamp: " + timestamp
          + " is outside the accepted window [" + limits.minTimestampMs() + ", now + "
          + limits.maxFutureMs() + " ms] (device clock fault?)");
    }
  }

  private List<Field> readFields(JsonParser p, JsonToken t, int point, long rank) throws IOException {
    if (t != JsonToken.START_ARRAY) {
      fault(rank + FIELDS, RejectReason.INVALID_SCHEMA, pointPath(point) + ".fields: expected a non-empty array");
      skip(p, t);
      return null;
    }
    List<Field> fields = new ArrayList<>();
    int index = 0;
    for (t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken(), index++) {
      if (faultRank <= rank + FIELD) {
        skip(p, t);
        continue;
      }
      Field field = readField(p, t, point, index, rank + FIELD);
      if (field != null) {
        fields.add(field);
      }
    }
    if (index == 0) {
      fault(rank + FIELDS, RejectReason.INVALID_SCHEMA, pointPath(point) + ".fields: expected a non-empty array");
    }
    return fields;
  }

  /** One field; its own checks run in schema order (name, then value) whatever the member order. */
  private Field readField(JsonParser p, JsonToken t, int point, int index, long rank) throws IOException {
    if (t != JsonToken.START_OBJECT) {
      fault(rank, RejectReason.INVALID_SCHEMA, fieldPath(point, index) + ": expected an object");
      skip(p, t);
      return null;
    }
    String name = null;
    JsonToken valueToken = null;
    double number = Double.NaN;
    String text = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      JsonToken value = p.nextToken();
      if (key.equals("name")) {
        name = value == JsonToken.VALUE_STRING ? names.name(p.getTextCharacters(), p.getTextOffset(), p.getTextLength()) : null;
        skip(p, value);
      } else if (key.equals("value")) {
        valueToken = value;
        if (value == JsonToken.VALUE_STRING) {
          text = p.getText();
        } else if (value.isNumeric()) {
          number = doubleOf(p, value);
        } else {
          skip(p, value);
        }
      } else {
        skip(p, value);
      }
    }
    if (name == null || name.isEmpty()) {
      fault(rank, RejectReason.INVALID_SCHEMA, fieldPath(point, index) + ".name: expected a non-empty string");
      return null;
    }
    if (name.length() > limits.maxNameLength() * 16) {
      fault(rank, RejectReason.INVALID_SCHEMA, fieldPath(point, index) + ".name: too long");
      return null;
    }
    if (valueToken == null) {
      fault(rank, RejectReason.INVALID_SCHEMA, fieldPath(point, index) + ".value: missing");
      return null;
    }
    if (valueToken == JsonToken.VALUE_STRING) {
      return Field.text(name, text);
    }
    if (!valueToken.isNumeric()) {
      fault(rank, RejectReason.INVALID_FIELD_VALUE,
          fieldPath(point, index) + ".value: expected a number or a string, got " + describe(valueToken));
      return null;
    }
    if (!Double.isFinite(number)) {
      fault(rank, RejectReason.INVALID_FIELD_VALUE, fieldPath(point, index) + ".value: number out of range");
      return null;
    }
    return Field.numeric(name, number);
  }

  /** The number as a double, converted the way a JSON tree's number node converts it. */
  private static double doubleOf(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_NUMBER_FLOAT) {
      return p.getDoubleValue();
    }
    return switch (p.getNumberType()) {
      case INT -> p.getIntValue();
      case LONG -> p.getLongValue();
      default -> p.getBigIntegerValue().doubleValue();
    };
  }

  /**
   * A tags array: {@code [{"k": "v"}, …]}, values strings, numbers or booleans (kept as their text).
   *
   * @param point the point's index, or -1 for the message's tags
   * @return the pairs in document order, or null after a fault
   */
  private List<String> readTags(JsonParser p, JsonToken t, long rank, int point) throws IOException {
    if (t != JsonToken.START_ARRAY) {
      fault(rank, RejectReason.INVALID_SCHEMA, tagsPath(point) + ": expected an array of {\"key\": \"value\"} objects");
      skip(p, t);
      return null;
    }
    List<String> pairs = new ArrayList<>();
    int index = 0;
    for (t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken(), index++) {
      if (faultRank <= rank) {
        skip(p, t);
      } else if (t != JsonToken.START_OBJECT) {
        fault(rank, RejectReason.INVALID_SCHEMA, tagsPath(point) + "[" + index + "]" + TAG_OBJECT);
        skip(p, t);
      } else {
        readTag(p, rank, point, index, pairs);
      }
    }
    return faultRank <= rank ? null : pairs;
  }

  private void readTag(JsonParser p, long rank, int point, int index, List<String> pairs) throws IOException {
    int count = 0;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      count++;
      String key = p.currentName();
      JsonToken value = p.nextToken();
      if (faultRank <= rank) {
        skip(p, value);
        continue;
      }
      String text = tagText(p, value);
      if (text == null) {
        fault(rank, RejectReason.INVALID_SCHEMA, tagsPath(point) + "[" + index + "]." + key
            + ": tag value must be a string, got " + describe(value));
        skip(p, value);
      } else if (key.isEmpty() || key.length() > limits.maxNameLength() || text.length() > limits.maxNameLength()) {
        fault(rank, RejectReason.INVALID_SCHEMA, tagsPath(point) + "[" + index + "]: tag key must be 1-"
            + limits.maxNameLength() + " characters and its value at most " + limits.maxNameLength());
      } else {
        pairs.add(key);
        pairs.add(text);
      }
    }
    if (count == 0) {
      fault(rank, RejectReason.INVALID_SCHEMA, tagsPath(point) + "[" + index + "]" + TAG_OBJECT);
    }
  }

  /** A scalar tag value as text (numbers as a JSON tree prints them), or null for other kinds. */
  private static String tagText(JsonParser p, JsonToken t) throws IOException {
    return switch (t) {
      case VALUE_STRING -> p.getText();
      case VALUE_TRUE -> "true";
      case VALUE_FALSE -> "false";
      case VALUE_NUMBER_FLOAT -> Double.toString(p.getDoubleValue());
      case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
        case INT -> Integer.toString(p.getIntValue());
        case LONG -> Long.toString(p.getLongValue());
        default -> p.getBigIntegerValue().toString();
      };
      default -> null;
    };
  }

  private String requiredString(JsonParser p, JsonToken t, String member, long rank) throws IOException {
    String value = t == JsonToken.VALUE_STRING ? p.getText() : null;
    if (value == null || value.isEmpty()) {
      fault(rank, RejectReason.INVALID_SCHEMA, "$." + member + ": expected a non-empty string");
      skip(p, t);
      return null;
    }
    if (value.length() > limits.maxNameLength() * 16) {
      fault(rank, RejectReason.INVALID_SCHEMA, "$." + member + ": too long");
      return null;
    }
    return value;
  }

  /**
   * Passes over the current value. Strings are still decoded, so invalid UTF-8 anywhere is
   * malformed JSON, as it is for a tree parse.
   */
  private static void skip(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_STRING) {
      p.finishToken();
      return;
    }
    if (t != JsonToken.START_OBJECT && t != JsonToken.START_ARRAY) {
      return;
    }
    int depth = 1;
    while (depth > 0) {
      JsonToken next = p.nextToken();
      if (next == JsonToken.START_OBJECT || next == JsonToken.START_ARRAY) {
        depth++;
      } else if (next == JsonToken.END_OBJECT || next == JsonToken.END_ARRAY) {
        depth--;
      } else if (next == JsonToken.VALUE_STRING) {
        p.finishToken();
      } else if (next == null) {
        return; // cannot happen: the parser reports a truncated document first
      }
    }
  }

  private static String describe(JsonToken t) {
    return switch (t) {
      case VALUE_NULL -> "null";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case START_ARRAY -> "an array";
      case START_OBJECT -> "an object";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_STRING -> "a string";
      default -> t.name().toLowerCase();
    };
  }

  /** Keeps the fault of lowest rank; of two with the same rank, the first met (document order). */
  private void fault(long rank, RejectReason reason, String detail) {
    if (rank < faultRank) {
      faultRank = rank;
      faultReason = reason;
      faultDetail = detail;
    }
  }

  private static String pointPath(int index) {
    return "$.points[" + index + "]";
  }

  private static String fieldPath(int point, int index) {
    return pointPath(point) + ".fields[" + index + "]";
  }

  private static String tagsPath(int point) {
    return point < 0 ? "$.tags" : pointPath(point) + ".tags";
  }

  /** A point read before the message's tags are known (they may come after {@code points}). */
  private record PointDraft(long timestampMs, List<String> tags, List<Field> fields) {}
}
