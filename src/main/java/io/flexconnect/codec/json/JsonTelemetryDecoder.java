package io.flexconnect.codec.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.flexconnect.codec.Decoded;
import io.flexconnect.codec.Gunzip;
import io.flexconnect.codec.RejectReason;
import java.io.IOException;
import java.util.Base64;

/**
 * Decodes the JSON telemetry format, plain or {@code {"b64": base64(gzip(json))}}:
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
 *
 * <p>The document is read once with Jackson's streaming parser, straight into the decoded points
 * (no tree, no map per object); see {@link MessageReader} for how faults are ranked so the reported
 * one does not depend on member order. Not thread-safe in spirit: one instance per verticle (the
 * parser factory it holds recycles buffers per thread).
 */
public final class JsonTelemetryDecoder {
  /** Distinct signal names kept as shared strings; a device fleet's names fit many times over. */
  private static final int NAME_SLOTS = 4096;

  private final JsonFactory factory;
  private final JsonDecoderLimits limits;
  /** Signal names shared across messages (see {@link NameCache}). */
  private final NameCache names = new NameCache(NAME_SLOTS);

  public JsonTelemetryDecoder(JsonDecoderLimits limits) {
    this.limits = limits;
    this.factory = JsonFactory.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        // Parses numbers from the parser's buffer instead of a String per value; correctly rounded
        // like Double.parseDouble, so values are bit-identical (JsonDecoderEquivalence checks it).
        .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).maxNumberLength(64).build())
        .build();
  }

  /**
   * Decodes {@code length} bytes of {@code payload} from {@code offset}.
   *
   * @param nowMs the platform clock, for the future-timestamp bound
   */
  public Decoded<JsonTelemetry> decode(byte[] payload, int offset, int length, long nowMs) {
    MessageReader outer = new MessageReader(limits, names, nowMs, false);
    String malformed = read(outer, payload, offset, length);
    if (malformed != null) {
      return Decoded.rejected(RejectReason.MALFORMED_JSON, malformed);
    }
    if (!outer.isObject()) {
      return Decoded.rejected(RejectReason.INVALID_SCHEMA, "$: expected an object");
    }
    if (!outer.hasB64()) {
      return outer.result("");
    }
    if (outer.members() != 1) {
      return Decoded.rejected(RejectReason.B64_NOT_ALONE,
          "$.b64: must be the only member of a compressed message, found " + outer.members() + " members");
    }
    if (outer.b64() == null) {
      return Decoded.rejected(RejectReason.INVALID_SCHEMA, "$.b64: expected a string");
    }
    byte[] compressed;
    try {
      compressed = Base64.getDecoder().decode(outer.b64());
    } catch (IllegalArgumentException e) {
      return Decoded.rejected(RejectReason.BAD_BASE64, "$.b64: " + e.getMessage());
    }
    Decoded<byte[]> inflated = Gunzip.gunzip(compressed, 0, compressed.length, limits.maxDecompressedBytes());
    if (inflated instanceof Decoded.Rejected<byte[]> r) {
      return r.cast();
    }
    byte[] json = ((Decoded.Ok<byte[]>) inflated).value();
    MessageReader inner = new MessageReader(limits, names, nowMs, true);
    malformed = read(inner, json, 0, json.length);
    if (malformed != null) {
      return Decoded.rejected(RejectReason.MALFORMED_JSON, "in $.b64: " + malformed);
    }
    if (!inner.isObject()) {
      return Decoded.rejected(RejectReason.INVALID_SCHEMA, "in $.b64: $: expected an object");
    }
    if (inner.hasB64()) {
      return Decoded.rejected(RejectReason.INVALID_SCHEMA, "in $.b64: nested b64 is not allowed");
    }
    return inner.result("in $.b64: ");
  }

  /** Reads the document into {@code reader}; returns why it is not well-formed JSON, or null. */
  private String read(MessageReader reader, byte[] payload, int offset, int length) {
    try (JsonParser parser = factory.createParser(payload, offset, length)) {
      reader.readDocument(parser);
      return null;
    } catch (JsonProcessingException e) {
      String location = e.getLocation() == null ? ""
          : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      return e.getOriginalMessage() + location;
    } catch (IOException e) {
      return e.getMessage();
    }
  }
}
