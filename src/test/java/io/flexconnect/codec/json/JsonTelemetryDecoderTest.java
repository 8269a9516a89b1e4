package io.flexconnect.codec.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexconnect.codec.Decoded;
import io.flexconnect.codec.RejectReason;
import io.flexconnect.codec.TelemetryPoint;
import io.flexconnect.testing.TestVectors;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class JsonTelemetryDecoderTest {
  private static final long NOW = 1_700_000_000_000L;
  private final JsonTelemetryDecoder decoder = new JsonTelemetryDecoder(JsonDecoderLimits.defaults());

  private Decoded<JsonTelemetry> decode(String json) {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    return decoder.decode(bytes, 0, bytes.length, NOW);
  }

  private JsonTelemetry ok(byte[] bytes) {
    Decoded<JsonTelemetry> d = decoder.decode(bytes, 0, bytes.length, NOW);
    assertThat(d).isInstanceOf(Decoded.Ok.class);
    return ((Decoded.Ok<JsonTelemetry>) d).value();
  }

  private void assertRejected(String json, RejectReason reason, String detailPart) {
    Decoded<JsonTelemetry> d = decode(json);
    assertThat(d).isInstanceOfSatisfying(Decoded.Rejected.class, r -> {
      assertThat(r.rejection().reason()).isEqualTo(reason);
      assertThat(r.rejection().detail()).contains(detailPart);
    });
  }

  static String b64Gzip(String json) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(json.getBytes(StandardCharsets.UTF_8));
    }
    return "{\"b64\": \"" + Base64.getEncoder().encodeToString(out.toByteArray()) + "\"}";
  }

  @Test
  void verifiesThatTheGuideExampleDecodesWithMergedTags() {
    JsonTelemetry t = ok(TestVectors.message("seed-json.json"));
    assertThat(t.deviceId()).isEqualTo("demo-0001");
    assertThat(t.token()).isEqualTo("tok_demo-0001-7f3a9c2e5b814d06a1e2c3d4e5f60718");
    assertThat(t.compressed()).isFalse();
    TelemetryPoint p = t.points().get(0);
    assertThat(p.timestampMs()).isEqualTo(1622547800000L);
    assertThat(p.tags()).isEqualTo(Map.of("tag1", "value1", "tag2", "value2", "point_tag1", "point_value1"));
    assertThat(p.fields()).containsExactly(
        TelemetryPoint.Field.numeric("temperature", 22.5), TelemetryPoint.Field.numeric("humidity", 45.0));
  }

  @Test
  void verifiesThatTheCompressedGuideExampleDecodesToTheSamePoints() {
    JsonTelemetry plain = ok(TestVectors.message("seed-json.json"));
    JsonTelemetry compressed = ok(TestVectors.message("seed-json-compressed.json"));
    assertThat(compressed.compressed()).isTrue();
    assertThat(compressed.points()).isEqualTo(plain.points());
    assertThat(compressed.deviceId()).isEqualTo(plain.deviceId());
  }

  @Test
  void verifiesThatPointTagsOverrideMessageTags() {
    JsonTelemetry t = ok(("{\"device_id\":\"d\",\"token\":\"t\",\"tags\":[{\"site\":\"a\"},{\"line\":\"1\"}],"
        + "\"points\":[{\"timestamp\":1622547800000,\"tags\":[{\"site\":\"b\"}],"
        + "\"fields\":[{\"name\":\"x\",\"value\":1}]}]}").getBytes(StandardCharsets.UTF_8));
    assertThat(t.points().get(0).tags()).isEqualTo(Map.of("site", "b", "line", "1"));
  }

  @Test
  void verifiesThatStringValuesAreKeptAsText() {
    JsonTelemetry t = ok(("{\"device_id\":\"d\",\"token\":\"t\",\"points\":[{\"timestamp\":1622547800000,"
        + "\"fields\":[{\"name\":\"state\",\"value\":\"running\"},{\"name\":\"n\",\"value\":-3}]}]}")
        .getBytes(StandardCharsets.UTF_8));
    assertThat(t.points().get(0).fields()).containsExactly(
        TelemetryPoint.Field.text("state", "running"), TelemetryPoint.Field.numeric("n", -3));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "boolean value | true | a boolean",
      "null value | null | null",
      "object value | {\"a\":1} | an object",
      "array value | [1,2] | an array"})
  void verifiesThatNonScalarFieldValuesAreRefused(String name, String value, String described) {
    assertRejected("{\"device_id\":\"d\",\"token\":\"t\",\"points\":[{\"timestamp\":1622547800000,"
        + "\"fields\":[{\"name\":\"ok\",\"value\":1},{\"name\":\"bad\",\"value\":" + value + "}]}]}",
        RejectReason.INVALID_FIELD_VALUE, "$.points[0].fields[1].value: expected a number or a string, got " + described);
  }

  @Test
  void verifiesThatMalformedJsonIsRefusedWithItsPosition() {
    assertRejected("{\"device_id\": \"d\", \"token\": ", RejectReason.MALFORMED_JSON, "line 1");
  }

  @Test
  void verifiesThatAMissingDeviceIdIsRefused() {
    assertRejected("{\"token\":\"t\",\"points\":[]}", RejectReason.INVALID_SCHEMA, "$.device_id");
  }

  @Test
  void verifiesThatEmptyPointsAreRefused() {
    assertRejected("{\"device_id\":\"d\",\"token\":\"t\",\"points\":[]}", RejectReason.INVALID_SCHEMA, "$.points");
  }

  @Test
  void verifiesThatAStringTimestampIsRefused() {
    assertRejected("{\"device_id\":\"d\",\"token\":\"t\",\"points\":[{\"timestamp\":\"1622547800000\","
        + "\"fields\":[{\"name\":\"x\",\"value\":1}]}]}", RejectReason.INVALID_SCHEMA, "$.points[0].timestamp");
  }

  @Test
  void verifiesThatTimestampsBefore2000AreRefused() {
    assertRejected("{\"device_id\":\"d\",\"token\":\"t\",\"points\":[{\"timestamp\":946684799999,"
        + "\"fields\":[{\"name\":\"x\",\"value\":1}]}]}", RejectReason.TIMESTAMP_OUT_OF_RANGE, "946684799999");
  }

  @Test
  void verifiesThatTimestampsMoreThanADayAheadAreRefused() {
    long ahead = NOW + 86_400_000L + 1;
    assertRejected("{\"device_id\":\"d\",\"token\":\"t\",\"points\":[{\"timestamp\":" + ahead + ","
        + "\"fields\":[{\"name\":\"x\",\"value\":1}]}]}", RejectReason.TIMESTAMP_OUT_OF_RANGE, "clock");
  }

  @Test
  void verifiesThatB64MustBeTheOnlyMember() {
    assertRejected("{\"b64\":\"AAAA\",\"device_id\":\"d\"}", RejectReason.B64_NOT_ALONE, "only member");
  }

  @Test
  void verifiesThatInvalidBase64IsRefused() {
    assertRejected("{\"b64\":\"not base64!!\"}", RejectReason.BAD_BASE64, "$.b64");
  }

  @Test
  void verifiesThatBase64OfSomethingOtherThanGzipIsRefused() {
    String b64 = Base64.getEncoder().encodeToString("plain text, not a gzip stream".getBytes(StandardCharsets.UTF_8));
    assertRejected("{\"b64\":\"" + b64 + "\"}", RejectReason.BAD_GZIP, "gzip");
  }

  @Test
  void verifiesThatAGzipBombIsRefused() throws IOException {
    JsonTelemetryDecoder small = new JsonTelemetryDecoder(
        new JsonDecoderLimits(1024 * 1024, JsonDecoderLimits.YEAR_2000_MS, 86_400_000L, 256));
    byte[] bomb = b64Gzip(" ".repeat(8 * 1024 * 1024) + "{}").getBytes(StandardCharsets.UTF_8);
    Decoded<JsonTelemetry> d = small.decode(bomb, 0, bomb.length, NOW);
    assertThat(d).isInstanceOfSatisfying(Decoded.Rejected.class,
        r -> assertThat(r.rejection().reason()).isEqualTo(RejectReason.DECOMPRESSED_TOO_LARGE));
  }

  @Test
  void verifiesThatNestedB64IsRefused() throws IOException {
    assertRejected(b64Gzip(b64Gzip("{}")), RejectReason.INVALID_SCHEMA, "nested b64");
  }

  @Test
  void verifiesThatDuplicateMembersAreRefused() {
    assertRejected("{\"device_id\":\"a\",\"device_id\":\"b\",\"token\":\"t\",\"points\":[]}",
        RejectReason.MALFORMED_JSON, "device_id");
  }

  @Test
  void verifiesThatTheTokenNeverAppearsInADetail() {
    Decoded<JsonTelemetry> d = decode("{\"device_id\":\"d\",\"token\":\"secret-token-123\",\"points\":[{\"timestamp\":1,"
        + "\"fields\":[{\"name\":\"x\",\"value\":1}]}]}");
    assertThat(d).isInstanceOfSatisfying(Decoded.Rejected.class,
        r -> assertThat(r.rejection().detail()).doesNotContain("secret-token-123"));
  }

  // The streaming decoder reads members in document order; these pin what a tree parse gave.

  private static final String POINT = "{\"timestamp\":1622547800000,\"tags\":[{\"p\":\"1\"}],"
      + "\"fields\":[{\"name\":\"x\",\"value\":1.5},{\"name\":\"s\",\"value\":\"on\"}]}";

  private void assertRejectedExactly(String json, RejectReason reason, String detail) {
    assertThat(decode(json)).isInstanceOfSatisfying(Decoded.Rejected.class, r -> {
      assertThat(r.rejection().reason()).isEqualTo(reason);
      assertThat(r.rejection().detail()).isEqualTo(detail);
    });
  }

  @Test
  void verifiesThatMemberOrderDoesNotChangeTheDecodedMessage() {
    JsonTelemetry usual = ok(("{\"device_id\":\"d\",\"token\":\"t\",\"tags\":[{\"m\":\"a\"}],\"points\":[" + POINT + "]}")
        .getBytes(StandardCharsets.UTF_8));
    JsonTelemetry reversed = ok(("{\"points\":[{\"fields\":[{\"value\":1.5,\"name\":\"x\"},{\"value\":\"on\",\"name\":\"s\"}],"
        + "\"tags\":[{\"p\":\"1\"}],\"timestamp\":1622547800000}],\"tags\":[{\"m\":\"a\"}],\"token\":\"t\",\"device_id\":\"d\"}")
        .getBytes(StandardCharsets.UTF_8));
    assertThat(reversed).isEqualTo(usual);
    assertThat(reversed.points().get(0).tags()).isEqualTo(Map.of("m", "a", "p", "1"));
  }

  @Test
  void verifiesThatTheFaultReportedIsTheFirstInSchemaOrderWhateverTheMemberOrder() {
    assertRejectedExactly("{\"points\":[{\"fields\":[{\"name\":\"x\",\"value\":null}],\"timestamp\":\"x\"}],"
        + "\"token\":\"t\",\"device_id\":\"d\"}",
        RejectReason.INVALID_SCHEMA, "$.points[0].timestamp: expected an integer (epoch milliseconds)");
    assertRejectedExactly("{\"points\":[{\"timestamp\":\"x\"}],\"token\":\"t\",\"device_id\":7}",
        RejectReason.INVALID_SCHEMA, "$.device_id: expected a non-empty string");
    assertRejectedExactly("{\"device_id\":\"d\",\"token\":\"t\",\"points\":[" + POINT + ",{\"timestamp\":1,"
        + "\"fields\":[{\"name\":\"x\",\"value\":true}]},{\"timestamp\":\"x\"}]}",
        RejectReason.TIMESTAMP_OUT_OF_RANGE, "$.points[1].timestamp: 1 is outside the accepted window "
            + "[946684800000, now + 86400000 ms] (device clock fault?)");
  }

  @Test
  void verifiesThatDuplicateMembersInsideAPointAreRefusedAsMalformed() {
    assertRejected("{\"device_id\":\"d\",\"token\":\"t\",\"points\":[{\"timestamp\":1622547800000,"
        + "\"fields\":[{\"name\":\"x\",\"value\":1,\"value\":2}]}]}", RejectReason.MALFORMED_JSON, "Duplicate field 'value'");
    assertRejected("{\"device_id\":\"d\",\"token\":\"t\",\"tags\":[{\"k\":\"a\",\"k\":\"b\"}],\"points\":[" + POINT + "]}",
        RejectReason.MALFORMED_JSON, "Duplicate field 'k'");
  }

  @Test
  void verifiesThatMalformedJsonAfterASchemaFaultIsStillReportedAsMalformed() {
    assertRejected("{\"device_id\":5,\"token\":\"t\",\"points\":[" + POINT + "], \"x\": [1,}",
        RejectReason.MALFORMED_JSON, "line 1");
  }

  @Test
  void verifiesThatNestingDeeperThan32IsRefusedEvenInAnUnknownMember() {
    String deep = "[".repeat(33) + "]".repeat(33);
    assertRejected("{\"device_id\":\"d\",\"token\":\"t\",\"extra\":" + deep + ",\"points\":[" + POINT + "]}",
        RejectReason.MALFORMED_JSON, "nesting depth");
    String allowed = "[".repeat(30) + "]".repeat(30);
    assertThat(decode("{\"device_id\":\"d\",\"token\":\"t\",\"extra\":" + allowed + ",\"points\":[" + POINT + "]}"))
        .isInstanceOf(Decoded.Ok.class);
  }

  @Test
  void verifiesThatHugeNumbersAreBoundedByLengthAndRange() {
    String prefix = "{\"device_id\":\"d\",\"token\":\"t\",\"points\":[{\"timestamp\":";
    assertRejectedExactly(prefix + "1" + "0".repeat(30) + ",\"fields\":[{\"name\":\"x\",\"value\":1}]}]}",
        RejectReason.INVALID_SCHEMA, "$.points[0].timestamp: expected an integer (epoch milliseconds)");
    assertRejectedExactly(prefix + "1622547800000,\"fields\":[{\"name\":\"x\",\"value\":1e400}]}]}",
        RejectReason.INVALID_FIELD_VALUE, "$.points[0].fields[0].value: number out of range");
    assertRejected(prefix + "1622547800000,\"fields\":[{\"name\":\"x\",\"value\":1" + "0".repeat(64) + "}]}]}",
        RejectReason.MALFORMED_JSON, "Number value length");
    JsonTelemetry big = ok((prefix + "1622547800000,\"fields\":[{\"name\":\"x\",\"value\":1" + "0".repeat(40) + "}]}]}")
        .getBytes(StandardCharsets.UTF_8));
    assertThat(big.points().get(0).fields().get(0).number()).isEqualTo(1e40);
  }

  @Test
  void verifiesThatScalarTagValuesAreKeptAsTheirText() {
    JsonTelemetry t = ok(("{\"device_id\":\"d\",\"token\":\"t\",\"tags\":[{\"n\":7,\"f\":1.50,\"e\":1e3,\"b\":true}],"
        + "\"points\":[" + POINT + "]}").getBytes(StandardCharsets.UTF_8));
    assertThat(t.points().get(0).tags()).isEqualTo(Map.of("n", "7", "f", "1.5", "e", "1000.0", "b", "true", "p", "1"));
  }

  @Test
  void verifiesThatUnknownMembersOfAnyShapeAreIgnored() {
    JsonTelemetry t = ok(("{\"fw\":{\"v\":[1,{\"a\":null}]},\"device_id\":\"d\",\"token\":\"t\",\"points\":["
        + "{\"timestamp\":1622547800000,\"note\":\"x\",\"fields\":[{\"name\":\"x\",\"unit\":[\"C\"],\"value\":2}]}]}")
        .getBytes(StandardCharsets.UTF_8));
    assertThat(t.points().get(0).fields()).containsExactly(TelemetryPoint.Field.numeric("x", 2));
  }

  @Test
  void verifiesThatEveryTruncationOfAValidMessageIsRefusedAsMalformed() {
    String json = "{\"device_id\":\"d\",\"token\":\"t\",\"tags\":[{\"m\":\"a\"}],\"points\":[" + POINT + "]}";
    for (int end = 1; end < json.length(); end++) {
      assertRejected(json.substring(0, end), RejectReason.MALFORMED_JSON, "");
    }
  }

  @Test
  void verifiesThatContentAfterTheMessageObjectIsIgnored() {
    assertThat(decode("{\"device_id\":\"d\",\"token\":\"t\",\"points\":[" + POINT + "]} trailing {"))
        .isInstanceOf(Decoded.Ok.class);
  }

  @Test
  void verifiesThatB64CountsMembersWhereverItStands() throws IOException {
    String compressed = b64Gzip("{}");
    assertRejectedExactly("{\"device_id\":\"d\"," + compressed.substring(1), RejectReason.B64_NOT_ALONE,
        "$.b64: must be the only member of a compressed message, found 2 members");
    assertRejectedExactly("{\"b64\":{\"a\":1}}", RejectReason.INVALID_SCHEMA, "$.b64: expected a string");
  }

  @Test
  void verifiesThatPointsWithoutOwnTagsShareTheMessageTagMap() {
    JsonTelemetry t = ok(("{\"device_id\":\"d\",\"token\":\"t\",\"tags\":[{\"m\":\"a\"}],\"points\":["
        + "{\"timestamp\":1622547800000,\"fields\":[{\"name\":\"x\",\"value\":1}]},"
        + "{\"timestamp\":1622547800001,\"fields\":[{\"name\":\"x\",\"value\":2}]}]}").getBytes(StandardCharsets.UTF_8));
    assertThat(t.points().get(1).tags()).isSameAs(t.points().get(0).tags());
  }

  @Test
  void verifiesThatASignalNameRepeatedAcrossMessagesIsOneSharedString() {
    String doc = "{\"device_id\": \"d1\", \"token\": \"t\", \"points\": [{\"timestamp\": 1622547800000,"
        + " \"fields\": [{\"name\": \"Env.Temperature\", \"value\": 1}, {\"name\": \"h\\u00e9at\", \"value\": \"x\"}]}]}";
    JsonTelemetry first = ok(doc.getBytes(StandardCharsets.UTF_8));
    JsonTelemetry second = ok(doc.getBytes(StandardCharsets.UTF_8));
    String name = first.points().get(0).fields().get(0).name();
    assertThat(name).isEqualTo("Env.Temperature");
    assertThat(second.points().get(0).fields().get(0).name()).isSameAs(name);
    assertThat(second.points().get(0).fields().get(1).name()).isEqualTo("h\u00e9at")
        .isSameAs(first.points().get(0).fields().get(1).name());
  }
}
