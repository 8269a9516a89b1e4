package io.flexconnect.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexconnect.testing.Await;
import io.flexconnect.testing.PlatformFixture;
import io.flexconnect.testing.TestPublisher;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The device list with filters and keyset paging, and a device's detail with its message count. */
class DevicesApiTest {
  static PlatformFixture fx;

  @BeforeAll
  static void start() throws Exception {
    fx = PlatformFixture.start("devices_api", Map.of());
    for (String id : new String[] {"pump-1", "pump-2", "pump-3", "pump-4", "valve-1"}) {
      fx.addDevice(id, "tok_" + id + "-0000");
    }
  }

  @AfterAll
  static void stop() throws Exception {
    fx.close();
  }

  static JsonArray ids(JsonObject page) {
    return new JsonArray(page.getJsonArray("devices").stream().map(d -> ((JsonObject) d).getString("device_id")).toList());
  }

  @Test
  void verifiesThatThePrefixFilterPagesThroughInIdOrder() {
    JsonObject first = fx.http.get("/api/v1/devices?prefix=pump-&limit=3").json();
    assertThat(ids(first)).containsExactly("pump-1", "pump-2", "pump-3");
    assertThat(first.getString("next")).isEqualTo("pump-3");
    JsonObject second = fx.http.get("/api/v1/devices?prefix=pump-&limit=3&after=pump-3").json();
    assertThat(ids(second)).containsExactly("pump-4");
    assertThat(second.getString("next")).isNull();
  }

  @Test
  void verifiesThatOnlineDevicesAndMessageCountsFollowTraffic() {
    try (TestPublisher device = fx.publisher("valve-device")) {
      for (int i = 0; i < 2; i++) {
        device.publish("flexconnect/valve-1/json", ("{\"device_id\":\"valve-1\",\"token\":\"tok_valve-1-0000\","
            + "\"points\":[{\"timestamp\":" + (1_700_000_000_000L + i) + ",\"fields\":[{\"name\":\"open\",\"value\":1}]}]}")
            .getBytes(StandardCharsets.UTF_8));
      }
    }
    JsonObject valve = Await.until("two messages counted", Duration.ofSeconds(20), () -> {
      JsonObject d = fx.http.get("/api/v1/devices/valve-1").json();
      return d.getLong("messages", 0L) == 2 ? d : null;
    });
    assertThat(valve.getString("last_seen")).isNotNull();
    assertThat(valve.getLong("signals")).isEqualTo(1);
    assertThat(ids(fx.http.get("/api/v1/devices?online=300").json())).containsExactly("valve-1");
    assertThat(fx.http.get("/api/v1/devices/nobody").status()).isEqualTo(404);
    assertThat(fx.http.get("/api/v1/devices?online=soon").status()).isEqualTo(400);
  }
}
