package io.flexconnect.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexconnect.testing.Http;
import io.flexconnect.testing.PlatformFixture;
import io.flexconnect.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Counts in aggregated responses are JSON integers: a day of one point a minute is 1440, never 1440.0. */
class AggregationCountTest {
  static final long DAY = 1_700_006_400_000L; // 2023-11-15T00:00:00Z
  static PlatformFixture fx;

  @BeforeAll
  static void start() throws Exception {
    fx = PlatformFixture.start("aggregation_count", Map.of());
    fx.addDevice("count-0001", "tok_count-0001-aaaa");
    TestDatabase.insertTelemetry(fx.dbUrl, """
        SELECT 'count-0001' AS device_id, 'rpm' AS signal,
               timestamptz 'epoch' + (1700006400 + m * 60) * interval '1 second' AS ts, m::float8 AS value,
               NULL::text AS value_text, NULL::jsonb AS tags, now() AS received_at
        FROM generate_series(0, 1439) AS m""");
  }

  @AfterAll
  static void stop() throws Exception {
    fx.close();
  }

  @Test
  void verifiesThatTheCountOfADailyBucketIsAJsonInteger() {
    Http.Response response = fx.http.get("/api/v1/devices/count-0001/telemetry?signal=rpm&from=" + DAY + "&to="
        + (DAY + 86_400_000L) + "&interval=1d&agg=count,sum,avg");
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body()).contains("\"count\":1440").doesNotContain("1440.0");
    JsonObject bucket = response.json().getJsonArray("buckets").getJsonObject(0);
    assertThat(bucket.getValue("count")).isEqualTo(1440);
    assertThat(bucket.getValue("sum")).isEqualTo(1439 * 1440 / 2.0);
    assertThat(response.json().getValue("count")).isEqualTo(1);
  }
}
