package io.flexconnect.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexconnect.testing.Await;
import io.flexconnect.testing.CanMessageBuilder;
import io.flexconnect.testing.PlatformFixture;
import io.flexconnect.testing.TestPublisher;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed and unauthorised binary messages over the real MQTT path: each is refused with its
 * reason and kept for inspection, and a valid message published right after it is still stored.
 */
class CanRejectionEndToEndTest {
  static final String TOKEN = "tok_canrej-0001-aa55aa55";
  static final AtomicLong NEXT_TS = new AtomicLong(1_700_000_000_000L);
  static PlatformFixture fx;
  static TestPublisher device;

  @BeforeAll
  static void start() throws Exception {
    fx = PlatformFixture.start("can_rejections", Map.of("FLEXCONNECT_INGEST_MAX_DECOMPRESSED_BYTES", "1048576"));
    fx.addDevice("canrej-0001", TOKEN);
    fx.addDevice("canrej-0002", "tok_canrej-0002-bb66bb66");
    device = fx.publisher("can-rejection-tests");
  }

  @AfterAll
  static void stop() throws Exception {
    device.close();
    fx.close();
  }

  /** EngineData (0x123 on bus 1) with speed = ts % 1000 rpm / 2, so each probe is distinct. */
  static CanMessageBuilder valid(String token, long ts) {
    return CanMessageBuilder.withToken(token).point(ts).reading(0x123, 1, 8, 1, 2, 3, 4, 5, 6, 7, 8);
  }

  static Stream<Arguments> badMessages() {
    byte[] ok = valid(TOKEN, 1_650_000_000_000L).build();
    byte[] longer = ok.clone();
    longer[4 + TOKEN.length() + 10] += 1; // first point Length one too long
    byte[] shorter = ok.clone();
    shorter[4 + TOKEN.length() + 10] -= 1; // one too short
    return Stream.of(
        Arguments.of("truncated", "flexconnect/canrej-0001/can", Arrays.copyOf(ok, ok.length - 3)),
        Arguments.of("truncated", "flexconnect/canrej-0001/can", Arrays.copyOf(ok, 3)),
        Arguments.of("bad_token_length", "flexconnect/canrej-0001/can", Arrays.copyOf(ok, 20)),
        Arguments.of("bad_token_length", "flexconnect/canrej-0001/can",
            CanMessageBuilder.withRawTokenLength(0xFFFFFFFFL, (byte) 1, (byte) 2).build()),
        Arguments.of("truncated", "flexconnect/canrej-0001/can", longer),
        Arguments.of("bad_point_length", "flexconnect/canrej-0001/can", shorter),
        Arguments.of("bad_gzip", "flexconnect/canrej-0001/can", new byte[] {(byte) 0xFC, 1, 2, 3, 4, 5}),
        Arguments.of("decompressed_too_large", "flexconnect/canrej-0001/can",
            CanMessageBuilder.compress(new byte[8 * 1024 * 1024])),
        Arguments.of("wrong_token", "flexconnect/mqtt_topic_binary", valid("tok_nobody-0000", 1_650_000_000_000L).build()),
        Arguments.of("wrong_token", "flexconnect/canrej-0001/can", valid("tok_nobody-0000", 1_650_000_000_000L).build()),
        Arguments.of("unknown_device", "flexconnect/ghost-0009/can", valid("tok_nobody-0000", 1_650_000_000_000L).build()),
        Arguments.of("topic_device_mismatch", "flexconnect/canrej-0002/can", ok),
        Arguments.of("timestamp_out_of_range", "flexconnect/canrej-0001/can", valid(TOKEN, 946_684_799_999L).build()),
        Arguments.of("timestamp_out_of_range", "flexconnect/canrej-0001/can",
            valid(TOKEN, System.currentTimeMillis() + 3 * 86_400_000L).build()));
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("badMessages")
  void verifiesThatTheMessageIsRejectedWithItsReasonAndTheNextValidOneIsStored(
      String reason, String topic, byte[] payload) {
    int before = fx.http.get("/api/v1/rejected?limit=10000&reason=" + reason).json().getJsonArray("rejected").size();
    long ts = NEXT_TS.incrementAndGet();
    device.publish(topic, payload);
    device.publish("flexconnect/canrej-0001/can", valid(TOKEN, ts).build());

    Await.until("the valid message after a " + reason + " rejection", Duration.ofSeconds(20), () -> {
      JsonObject body = fx.http.get("/api/v1/devices/canrej-0001/telemetry?signal=EngineData.EngineSpeed&from="
          + ts + "&to=" + (ts + 1)).json();
      return body.getInteger("count") == 1 ? body : null;
    });
    JsonArray rejected = Await.until("the " + reason + " rejection", Duration.ofSeconds(10), () -> {
      JsonArray r = fx.http.get("/api/v1/rejected?limit=10000&reason=" + reason).json().getJsonArray("rejected");
      return r.size() > before ? r : null;
    });
    JsonObject newest = rejected.getJsonObject(0);
    assertThat(newest.getString("topic")).isEqualTo(topic);
    assertThat(newest.getString("detail")).isNotBlank();
    assertThat(newest.getInteger("payload_size")).isEqualTo(payload.length);
    assertThat(new String(newest.getBinary("payload_head_base64"), java.nio.charset.StandardCharsets.ISO_8859_1))
        .doesNotContain(TOKEN);
  }
}
