package io.flexconnect.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexconnect.testing.Await;
import io.flexconnect.testing.Http;
import io.flexconnect.testing.PlatformFixture;
import io.flexconnect.testing.TestPublisher;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rejections of messages that failed before authentication are the tenant's of the registered
 * device their topic names, marked unauthenticated; other tenants and unregistered names never get them.
 */
class RejectionAttributionTest {
  static final String ACME_DEVICE = "attr-acme-0001";
  static final String ACME_TOKEN = "tok_attr-acme-0001-91ab";
  static final String GLOBEX_DEVICE = "attr-globex-0001";
  static final String GLOBEX_TOKEN = "tok_attr-globex-0001-77cd";
  static PlatformFixture fx;
  static Http acme;
  static Http globex;
  static TestPublisher publisher;

  @BeforeAll
  static void start() throws Exception {
    fx = PlatformFixture.start("rejection_attribution", Map.of());
    fx.addDevice(ACME_DEVICE, "acme", ACME_TOKEN);
    fx.addDevice(GLOBEX_DEVICE, "globex", GLOBEX_TOKEN);
    acme = fx.http.withKey(fx.createApiKey("acme"));
    globex = fx.http.withKey(fx.createApiKey("globex"));
    publisher = fx.publisher("attribution");
  }

  @AfterAll
  static void stop() throws Exception {
    publisher.close();
    fx.close();
  }

  static String valid(String device, String token, long ts, String value) {
    return "{\"device_id\":\"" + device + "\",\"token\":\"" + token + "\",\"points\":[{\"timestamp\":" + ts
        + ",\"fields\":[{\"name\":\"probe\",\"value\":" + value + "}]}]}";
  }

  static JsonArray rejected(Http http) {
    return http.get("/api/v1/rejected?limit=1000").json().getJsonArray("rejected");
  }

  /** Publishes and waits until the operator sees one more rejection; returns it. */
  static JsonObject publishRejected(String topic, String payload) {
    int before = rejected(fx.http).size() + rejected(acme).size() + rejected(globex).size();
    publisher.publish(topic, payload.getBytes(StandardCharsets.UTF_8));
    return Await.until("the rejection on " + topic, Duration.ofSeconds(20), () -> {
      List<JsonArray> all = List.of(rejected(fx.http), rejected(acme), rejected(globex));
      int now = all.stream().mapToInt(JsonArray::size).sum();
      if (now <= before) {
        return null;
      }
      for (JsonArray a : all) {
        for (Object o : a) {
          JsonObject r = (JsonObject) o;
          if (r.getString("topic").equals(topic) && payload.length() == r.getInteger("payload_size")) {
            return r;
          }
        }
      }
      return null;
    });
  }

  static List<Long> ids(Http http) {
    return rejected(http).stream().map(r -> ((JsonObject) r).getLong("id")).toList();
  }

  @Test
  void verifiesThatMessagesFailingBeforeAuthenticationAreShownToTheTopicDevicesTenantMarkedUnauthenticated() {
    String topic = "flexconnect/" + ACME_DEVICE + "/json";
    List<String> payloads = List.of(
        "{\"device_id\": \"" + ACME_DEVICE + "\", \"token\": ",                       // malformed JSON
        valid(ACME_DEVICE, ACME_TOKEN, 946_684_799_999L, "1"),                       // timestamp out of range
        valid(ACME_DEVICE, ACME_TOKEN, 1_700_000_000_000L, "true"));                 // bad value
    for (String payload : payloads) {
      JsonObject r = publishRejected(topic, payload);
      assertThat(r.getString("device_id")).as(r.encode()).isEqualTo(ACME_DEVICE);
      assertThat(r.getBoolean("authenticated")).as(r.encode()).isFalse();
      assertThat(ids(acme)).as("acme sees " + r.getString("reason")).contains(r.getLong("id"));
      assertThat(ids(globex)).as("globex does not see " + r.getString("reason")).doesNotContain(r.getLong("id"));
    }
  }

  @Test
  void verifiesThatAnotherTenantsDeviceSpoofingTheTopicSeesNothingAndTheOwnerSeesItUnauthenticated() {
    // globex's device publishes garbage on acme's device topic: acme's device is named, unauthenticated.
    JsonObject spoofed = publishRejected("flexconnect/" + ACME_DEVICE + "/json",
        "{\"device_id\": \"" + GLOBEX_DEVICE + "\", \"token\": \"" + GLOBEX_TOKEN + "\", \"points\": [");
    assertThat(spoofed.getString("device_id")).isEqualTo(ACME_DEVICE);
    assertThat(spoofed.getBoolean("authenticated")).isFalse();
    assertThat(ids(globex)).doesNotContain(spoofed.getLong("id"));
    assertThat(ids(acme)).contains(spoofed.getLong("id"));

    // A valid globex message on acme's topic proves globex's device: it stays globex's, authenticated.
    JsonObject mismatch = publishRejected("flexconnect/" + ACME_DEVICE + "/json",
        valid(GLOBEX_DEVICE, GLOBEX_TOKEN, 1_700_000_000_000L, "1"));
    assertThat(mismatch.getString("reason")).isEqualTo("topic_device_mismatch");
    assertThat(mismatch.getString("device_id")).isEqualTo(GLOBEX_DEVICE);
    assertThat(mismatch.getBoolean("authenticated")).isTrue();
    assertThat(ids(acme)).doesNotContain(mismatch.getLong("id"));
    assertThat(ids(globex)).contains(mismatch.getLong("id"));
  }

  @Test
  void verifiesThatARejectionOnTheTopicOfAnUnregisteredDeviceStaysWithOperatorsOnly() {
    JsonObject r = publishRejected("flexconnect/attr-nobody-0001/json", "{\"device_id\": \"attr-nobody-0001\"");
    assertThat(r.getValue("device_id")).isNull();
    assertThat(r.getBoolean("authenticated")).isFalse();
    assertThat(ids(fx.http)).contains(r.getLong("id"));
    assertThat(ids(acme)).doesNotContain(r.getLong("id"));
    assertThat(ids(globex)).doesNotContain(r.getLong("id"));

    // Registering the name later does not hand the earlier rejection to the new device's tenant.
    fx.addDevice("attr-nobody-0001", "acme", "tok_attr-nobody-0001-00aa");
    assertThat(ids(acme)).doesNotContain(r.getLong("id"));
  }
}
