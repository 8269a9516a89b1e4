package io.flexconnect.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexconnect.testing.Await;
import io.flexconnect.testing.PlatformFixture;
import io.flexconnect.testing.TestPublisher;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every JSON rejection reason over the real MQTT path: the bad message is refused with its reason
 * and kept for inspection, and a valid message published right after it is still stored.
 */
class JsonRejectionEndToEndTest {
  static final String DEVICE = "rej-0001";
  static final String TOKEN = "tok_rej-0001-3b9f0c1d2e";
  static final AtomicLong NEXT_TS = new AtomicLong(1_700_000_000_000L);
  static PlatformFixture fx;
  static TestPublisher device;

  @BeforeAll
  static void start() throws Exception {
    fx = PlatformFixture.start("json_rejections", Map.of(
        "FLEXCONNECT_INGEST_MAX_MESSAGE_BYTES", "65536",
        "FLEXCONNECT_INGEST_MAX_DECOMPRESSED_BYTES", "1048576"));
    fx.addDevice(DEVICE, TOKEN);
    fx.addDevice("other-0002", "tok_other-0002-77aa");
    device = fx.publisher("rejection-tests");
  }

  @AfterAll
  static void stop() throws Exception {
    device.close();
    fx.close();
  }

  static String valid(String deviceId, String token, long ts, String value) {
    return "{\"device_id\":\"" + deviceId + "\",\"token\":\"" + token + "\",\"points\":[{\"timestamp\":" + ts
        + ",\"fields\":[{\"name\":\"probe\",\"value\":" + value + "}]}]}";
  }

  static String b64(byte[] bytes) {
    return "{\"b64\":\"" + Base64.getEncoder().encodeToString(bytes) + "\"}";
  }

  static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toByteArray();
  }

  static Stream<Arguments> badMessages() {
    long now = System.currentTimeMillis();
    String ok = valid(DEVICE, TOKEN, 1_650_000_000_000L, "1");
    return Stream.of(
        Arguments.of("malformed_json", "flexconnect/rej-0001/json", "{\"device_id\": \"rej-0001\", \"token\": "),
        Arguments.of("invalid_schema", "flexconnect/rej-0001/json", "{\"device_id\":\"rej-0001\",\"token\":\"" + TOKEN + "\"}"),
        Arguments.of("invalid_schema", "flexconnect/rej-0001/json", "{\"device_id\":\"rej-0001\",\"token\":\"" + TOKEN
            + "\",\"points\":[{\"fields\":[{\"name\":\"x\",\"value\":1}]}]}"),
        Arguments.of("invalid_field_value", "flexconnect/rej-0001/json", valid(DEVICE, TOKEN, 1_650_000_000_000L, "true")),
        Arguments.of("invalid_field_value", "flexconnect/rej-0001/json", valid(DEVICE, TOKEN, 1_650_000_000_000L, "null")),
        Arguments.of("invalid_field_value", "flexconnect/rej-0001/json", valid(DEVICE, TOKEN, 1_650_000_000_000L, "{\"x\":1}")),
        Arguments.of("b64_not_alone", "flexconnect/rej-0001/json", "{\"b64\":\"H4sI\",\"device_id\":\"rej-0001\"}"),
        Arguments.of("bad_base64", "flexconnect/rej-0001/json", "{\"b64\":\"***not base64***\"}"),
        Arguments.of("bad_gzip", "flexconnect/rej-0001/json", b64("this is not gzip at all".getBytes(StandardCharsets.UTF_8))),
        Arguments.of("bad_gzip", "flexconnect/rej-0001/json", b64(java.util.Arrays.copyOf(gzip(ok.getBytes(StandardCharsets.UTF_8)), 30))),
        Arguments.of("decompressed_too_large", "flexconnect/rej-0001/json", b64(gzip(new byte[4 * 1024 * 1024]))),
        Arguments.of("timestamp_out_of_range", "flexconnect/rej-0001/json", valid(DEVICE, TOKEN, 946_684_799_999L, "1")),
        Arguments.of("timestamp_out_of_range", "flexconnect/rej-0001/json", valid(DEVICE, TOKEN, now + 2 * 86_400_000L, "1")),
        Arguments.of("unknown_device", "flexconnect/ghost-9999/json", valid("ghost-9999", TOKEN, 1_650_000_000_000L, "1")),
        Arguments.of("wrong_token", "flexconnect/rej-0001/json", valid(DEVICE, "tok_guessed-000000", 1_650_000_000_000L, "1")),
        Arguments.of("topic_device_mismatch", "flexconnect/other-0002/json", ok),
        Arguments.of("oversized", "flexconnect/rej-0001/json", "{\"pad\":\"" + "x".repeat(70_000) + "\"}"),
        Arguments.of("empty_payload", "flexconnect/rej-0001/json", ""));
  }

  @ParameterizedTest(name = "{0}: {2}")
  @MethodSource("badMessages")
  void verifiesThatTheMessageIsRejectedWithItsReasonAndTheNextValidOneIsStored(
      String reason, String topic, String payload) {
    int before = rejectedCount(reason);
    long ts = NEXT_TS.incrementAndGet();
    device.publish(topic, payload.getBytes(StandardCharsets.UTF_8));
    device.publish("flexconnect/rej-0001/json", valid(DEVICE, TOKEN, ts, "42").getBytes(StandardCharsets.UTF_8));

    Await.until("the valid message after a " + reason + " rejection", Duration.ofSeconds(20), () -> {
      JsonObject body = fx.http.get("/api/v1/devices/rej-0001/telemetry?signal=probe&from=" + ts + "&to=" + (ts + 1)).json();
      return body.getInteger("count") == 1 ? body : null;
    });
    JsonArray rejected = Await.until("the " + reason + " rejection", Duration.ofSeconds(10), () -> {
      JsonArray r = fx.http.get("/api/v1/rejected?reason=" + reason).json().getJsonArray("rejected");
      return r.size() > before ? r : null;
    });
    JsonObject newest = rejected.getJsonObject(0);
    assertThat(newest.getString("reason")).isEqualTo(reason);
    assertThat(newest.getString("topic")).isEqualTo(topic);
    assertThat(newest.getString("detail")).isNotBlank();
    assertThat(newest.getInteger("payload_size")).isEqualTo(payload.getBytes(StandardCharsets.UTF_8).length);
    assertThat(new String(newest.getBinary("payload_head_base64"), StandardCharsets.UTF_8)).doesNotContain(TOKEN);
  }

  @Test
  void verifiesThatRejectedMessagesAreAcknowledgedAndNotRetried() {
    device.publish("flexconnect/rej-0001/json", "{not json".getBytes(StandardCharsets.UTF_8));
    long ts = NEXT_TS.incrementAndGet();
    device.publish("flexconnect/rej-0001/json", valid(DEVICE, TOKEN, ts, "1").getBytes(StandardCharsets.UTF_8));
    Await.until("the valid message", Duration.ofSeconds(20), () ->
        fx.http.get("/api/v1/devices/rej-0001/telemetry?signal=probe&from=" + ts + "&to=" + (ts + 1))
            .json().getInteger("count") == 1 ? true : null);
    Await.until("nothing in flight", Duration.ofSeconds(10), () -> fx.status().inFlight() == 0 ? true : null);
    assertThat(fx.status().retries()).isZero();
  }

  static int rejectedCount(String reason) {
    return fx.http.get("/api/v1/rejected?limit=10000&reason=" + reason).json().getJsonArray("rejected").size();
  }
}
