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
}
