package io.flexconnect.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexconnect.testing.Await;
import io.flexconnect.testing.PlatformFixture;
import io.flexconnect.testing.TestDatabase;
import io.flexconnect.testing.TestPublisher;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Aggregated and multi-signal queries over a day of 1 Hz data for 20 signals (1.7M rows). */
class AggregationTest {
  static final long DAY = 1_700_006_400_000L; // 2023-11-15T00:00:00Z
  static PlatformFixture fx;

  @BeforeAll
  static void start() throws Exception {
    fx = PlatformFixture.start("aggregation", Map.of());
    fx.addDevice("agg-0001", "tok_agg-0001-aaaa");
    // Signal sK at second t of the day has the value (t % 3600) + K.
    TestDatabase.insertTelemetry(fx.dbUrl, """
        SELECT 'agg-0001' AS device_id, 's' || k AS signal,
               timestamptz 'epoch' + (1700006400 + t) * interval '1 second' AS ts, ((t % 3600) + k)::float8 AS value,
               NULL::text AS value_text, NULL::jsonb AS tags, now() AS received_at
        FROM generate_series(0, 86399) AS t, generate_series(0, 19) AS k""");
  }

  @AfterAll
  static void stop() throws Exception {
    fx.close();
  }

  @Test
  void verifiesThatHourlyBucketsOfTwentySignalsCarryTheRightAggregates() {
    String signals = IntStream.range(0, 20).mapToObj(k -> "s" + k).collect(Collectors.joining(","));
    JsonObject body = fx.http.get("/api/v1/devices/agg-0001/telemetry?signal=" + signals + "&from=" + DAY + "&to="
        + (DAY + 86_400_000L) + "&interval=1h&agg=avg,min,max,count,sum,first,last").json();
    JsonArray buckets = body.getJsonArray("buckets");
    assertThat(buckets).hasSize(24 * 20);
    for (Object o : buckets) {
      JsonObject b = (JsonObject) o;
      int k = Integer.parseInt(b.getString("signal").substring(1));
      assertThat(b.getLong("count")).isEqualTo(3600);
      assertThat(b.getDouble("min")).isEqualTo(k);
      assertThat(b.getDouble("max")).isEqualTo(3599 + k);
      assertThat(b.getDouble("avg")).isEqualTo(1799.5 + k);
      assertThat(b.getDouble("sum")).isEqualTo(3600 * (1799.5 + k));
      assertThat(b.getDouble("first")).isEqualTo(k);
      assertThat(b.getDouble("last")).isEqualTo(3599 + k);
      assertThat((b.getLong("timestamp") - DAY) % 3_600_000L).isZero();
    }
    assertThat(buckets.getJsonObject(0).getString("ts")).isEqualTo("2023-11-15T00:00:00Z");
  }

  @Test
  void verifiesThatRawQueriesTakeSeveralSignals() {
    JsonObject body = fx.http.get("/api/v1/devices/agg-0001/telemetry?signal=s3,s7&from=" + DAY + "&to="
        + (DAY + 2000)).json();
    assertThat(body.getJsonArray("points").stream().map(p -> ((JsonObject) p).getString("signal")).toList())
        .containsExactly("s3", "s7", "s3", "s7");
  }

  @Test
  void verifiesThatCursorPagesCoverARangeWithoutOverlapOrGap() {
    java.util.List<String> seen = new java.util.ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonObject page = fx.http.get("/api/v1/devices/agg-0001/telemetry?signal=s0,s1&from=" + DAY + "&to=" + (DAY + 5000)
          + "&limit=4" + (cursor == null ? "" : "&cursor=" + cursor)).json();
      page.getJsonArray("points").forEach(p -> seen.add(((JsonObject) p).getLong("timestamp") + "/"
          + ((JsonObject) p).getString("signal")));
      cursor = page.getString("next");
      pages++;
    } while (cursor != null && pages < 10);
    assertThat(seen).hasSize(10).doesNotHaveDuplicates();
    assertThat(seen.get(0)).isEqualTo(DAY + "/s0");
    assertThat(seen.get(9)).isEqualTo((DAY + 4000) + "/s1");
    assertThat(fx.http.get("/api/v1/devices/agg-0001/telemetry?cursor=garbage!").status()).isEqualTo(400);
  }

  @Test
  void verifiesThatTagFiltersKeepPointsCarryingEveryTag() {
    try (TestPublisher device = fx.publisher("agg-tags")) {
      device.publish("flexconnect/agg-0001/json", ("{\"device_id\":\"agg-0001\",\"token\":\"tok_agg-0001-aaaa\","
          + "\"tags\":[{\"line\":\"2\"}],\"points\":["
          + "{\"timestamp\":1700000100000,\"tags\":[{\"site\":\"north\"}],\"fields\":[{\"name\":\"flow\",\"value\":1}]},"
          + "{\"timestamp\":1700000101000,\"tags\":[{\"site\":\"south\"}],\"fields\":[{\"name\":\"flow\",\"value\":2}]}]}")
          .getBytes(StandardCharsets.UTF_8));
    }
    Await.until("both flow points", Duration.ofSeconds(20), () -> fx.http.get(
        "/api/v1/devices/agg-0001/telemetry?signal=flow").json().getInteger("count") == 2 ? true : null);
    JsonArray north = fx.http.get("/api/v1/devices/agg-0001/telemetry?signal=flow&tag=site:north&tag=line:2")
        .json().getJsonArray("points");
    assertThat(north).hasSize(1);
    assertThat(north.getJsonObject(0).getDouble("value")).isEqualTo(1.0);
    assertThat(fx.http.get("/api/v1/devices/agg-0001/telemetry?signal=flow&tag=site:east").json()
        .getInteger("count")).isZero();
    assertThat(fx.http.get("/api/v1/devices/agg-0001/telemetry?tag=nocolon").status()).isEqualTo(400);
  }

  @Test
  void verifiesThatBadAggregationParametersAreRefusedWithTheirName() {
    assertThat(fx.http.get("/api/v1/devices/agg-0001/telemetry?from=" + DAY + "&interval=soon").json()
        .getString("detail")).startsWith("interval:");
    assertThat(fx.http.get("/api/v1/devices/agg-0001/telemetry?from=" + DAY + "&to=" + (DAY + 86_400_000L)
        + "&interval=1s").json().getString("detail")).contains("buckets");
    assertThat(fx.http.get("/api/v1/devices/agg-0001/telemetry?from=" + DAY + "&to=" + (DAY + 86_400_000L) + "&interval=1h&agg=median").json()
        .getString("detail")).startsWith("agg:");
  }

  @Test
  void verifiesThatTheSignalCatalogueListsUnitSourceAndFirstAndLastSeen() {
    try (TestPublisher device = fx.publisher("agg-device")) {
      device.publish("flexconnect/agg-0001/json", ("{\"device_id\":\"agg-0001\",\"token\":\"tok_agg-0001-aaaa\","
          + "\"points\":[{\"timestamp\":1700000000000,\"fields\":[{\"name\":\"level\",\"value\":3}]},"
          + "{\"timestamp\":1700000005000,\"fields\":[{\"name\":\"level\",\"value\":4}]}]}").getBytes(StandardCharsets.UTF_8));
    }
    JsonArray signals = Await.until("the catalogue", Duration.ofSeconds(20), () -> {
      JsonArray s = fx.http.get("/api/v1/devices/agg-0001/signals").json().getJsonArray("signals");
      return s.isEmpty() ? null : s;
    });
    assertThat(signals.getJsonObject(0).getString("signal")).isEqualTo("level");
    assertThat(signals.getJsonObject(0).getString("source")).isEqualTo("json");
    assertThat(signals.getJsonObject(0).getString("first_seen")).isEqualTo("2023-11-14T22:13:20Z");
    assertThat(signals.getJsonObject(0).getString("last_seen")).isEqualTo("2023-11-14T22:13:25Z");
  }
}
