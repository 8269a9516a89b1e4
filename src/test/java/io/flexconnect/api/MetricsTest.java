package io.flexconnect.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexconnect.testing.Await;
import io.flexconnect.testing.Http;
import io.flexconnect.testing.PlatformFixture;
import io.flexconnect.testing.TestPublisher;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** /metrics in Prometheus text format, after real traffic. */
class MetricsTest {
  static PlatformFixture fx;

  @BeforeAll
  static void start() throws Exception {
    fx = PlatformFixture.start("metrics", Map.of());
    fx.addDevice("metrics-0001", "tok_metrics-0001-m3tr");
  }

  @AfterAll
  static void stop() throws Exception {
    fx.close();
  }

  @Test
  void verifiesThatIngestionStorageAndAckCountersAreExposed() {
    try (TestPublisher device = fx.publisher("metrics-device")) {
      device.publish("flexconnect/metrics-0001/json", ("{\"device_id\":\"metrics-0001\",\"token\":\"tok_metrics-0001-m3tr\","
          + "\"points\":[{\"timestamp\":1700000000000,\"fields\":[{\"name\":\"x\",\"value\":1}]}]}")
          .getBytes(StandardCharsets.UTF_8));
      device.publish("flexconnect/metrics-0001/json", "{broken".getBytes(StandardCharsets.UTF_8));
    }
    Http.Response metrics = Await.until("both messages counted", Duration.ofSeconds(20), () -> {
      Http.Response r = fx.http.get("/metrics");
      return r.body().contains("reason=\"malformed_json\"") && r.body().contains("outcome=\"accepted\"") ? r : null;
    });
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.contentType()).startsWith("text/plain");
    assertThat(metrics.body())
        .contains("flexconnect_messages_total{outcome=\"rejected\",reason=\"malformed_json\"} 1.0")
        .contains("flexconnect_storage_rows_written_total")
        .contains("flexconnect_storage_flush_seconds_count")
        .contains("flexconnect_storage_pending_rows")
        .contains("flexconnect_mqtt_ack_lag_seconds_count")
        .contains("flexconnect_mqtt_inflight")
        .contains("flexconnect_mqtt_subscribed 1.0")
        .contains("jvm_memory_used_bytes");
  }
}
