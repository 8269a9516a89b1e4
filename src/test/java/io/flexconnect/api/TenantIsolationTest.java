package io.flexconnect.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.flexconnect.auth.ApiKeys;
import io.flexconnect.testing.Await;
import io.flexconnect.testing.Http;
import io.flexconnect.testing.PlatformFixture;
import io.flexconnect.testing.TestPublisher;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Two tenants' API keys against every endpoint of the REST API and the live stream: each key gets
 * its own tenant's devices and data, and the other tenant's are answered as if they did not exist.
 */
class TenantIsolationTest {
  static final String ACME_DEVICE = "acme-0001";
  static final String ACME_TOKEN = "tok_acme-0001-5d41402abc4b2a76";
  static final String GLOBEX_DEVICE = "globex-0001";
  static final String GLOBEX_TOKEN = "tok_globex-0001-7d793037a0760186";
  static final long TS = 1_700_000_000_000L;
  static PlatformFixture fx;
  static Http acme;
  static Http globex;
  static String acmeKey;
  static String globexKey;
  static WebSocketClient wsClient;

  @BeforeAll
  static void start() throws Exception {
    fx = PlatformFixture.start("tenant_isolation", Map.of());
    acmeKey = fx.createApiKey("acme");
    globexKey = fx.createApiKey("globex");
    acme = fx.http.withKey(acmeKey);
    globex = fx.http.withKey(globexKey);
    fx.addDevice(ACME_DEVICE, "acme", ACME_TOKEN);
    fx.addDevice(GLOBEX_DEVICE, "globex", GLOBEX_TOKEN);
    wsClient = fx.vertx.createWebSocketClient();
    try (TestPublisher publisher = fx.publisher("tenant-isolation")) {
      publisher.publish("flexconnect/" + ACME_DEVICE + "/json", json(ACME_DEVICE, ACME_TOKEN, TS, "speed", 1));
      publisher.publish("flexconnect/" + GLOBEX_DEVICE + "/json", json(GLOBEX_DEVICE, GLOBEX_TOKEN, TS, "speed", 2));
      publisher.publish("flexconnect/" + ACME_DEVICE + "/json", json(ACME_DEVICE, "tok_wrong-acme-000", TS, "x", 1));
      publisher.publish("flexconnect/" + GLOBEX_DEVICE + "/json", json(GLOBEX_DEVICE, "tok_wrong-globex-00", TS, "x", 1));
      publisher.publish("flexconnect/ghost-0001/json", json("ghost-0001", "tok_ghost-0001-000", TS, "x", 1));
    }
    Await.until("both tenants' points", Duration.ofSeconds(20), () ->
        count(acme, ACME_DEVICE) == 1 && count(globex, GLOBEX_DEVICE) == 1 ? true : null);
    Await.until("the three rejections", Duration.ofSeconds(20), () ->
        fx.http.get("/api/v1/rejected").json().getJsonArray("rejected").size() >= 1
            && rejectedDevices(acme).size() == 1 && rejectedDevices(globex).size() == 1 ? true : null);
  }

  @AfterAll
  static void stop() throws Exception {
    fx.close();
  }

  static byte[] json(String device, String token, long ts, String field, double value) {
    return ("{\"device_id\":\"" + device + "\",\"token\":\"" + token + "\",\"points\":[{\"timestamp\":" + ts
        + ",\"fields\":[{\"name\":\"" + field + "\",\"value\":" + value + "}]}]}").getBytes(StandardCharsets.UTF_8);
  }

  static int count(Http http, String device) {
    Http.Response r = http.get("/api/v1/devices/" + device + "/telemetry");
    return r.status() == 200 ? r.json().getInteger("count") : -1;
  }

  static List<String> rejectedDevices(Http http) {
    JsonArray rejected = http.get("/api/v1/rejected?limit=100").json().getJsonArray("rejected");
    return rejected.stream().map(r -> ((JsonObject) r).getString("device_id")).toList();
  }

  static List<String> rejectedTopics(Http http) {
    JsonArray rejected = http.get("/api/v1/rejected?limit=100").json().getJsonArray("rejected");
    return rejected.stream().map(r -> ((JsonObject) r).getString("topic")).toList();
  }

  /** GETs {@code path} (with {device} replaced) as each tenant for its own and the other's device. */
  static void assertOwnerOnly(String path, Function<JsonObject, Object> ownerSees) {
    for (boolean acmeAsks : new boolean[] {true, false}) {
      Http own = acmeAsks ? acme : globex;
      String mine = acmeAsks ? ACME_DEVICE : GLOBEX_DEVICE;
      String theirs = acmeAsks ? GLOBEX_DEVICE : ACME_DEVICE;
      Http.Response ok = own.get(path.replace("{device}", mine));
      assertThat(ok.status()).as(path + " for the owner: " + ok.body()).isEqualTo(200);
      assertThat(ownerSees.apply(ok.json())).as(path).isNotNull();
      Http.Response other = own.get(path.replace("{device}", theirs));
      Http.Response unknown = own.get(path.replace("{device}", "nobody-0001"));
      assertThat(other.status()).as(path + " for the other tenant").isEqualTo(404);
      assertThat(other.contentType()).startsWith("application/problem+json");
      assertThat(other.body()).as("the same answer as for a device that does not exist")
          .isEqualTo(unknown.body().replace("nobody-0001", theirs));
    }
  }

  @Test
  void verifiesThatTheDeviceListHoldsOnlyTheKeysTenantsDevices() {
    JsonArray acmeDevices = acme.get("/api/v1/devices").json().getJsonArray("devices");
    JsonArray globexDevices = globex.get("/api/v1/devices").json().getJsonArray("devices");

    assertThat(acmeDevices.stream().map(d -> ((JsonObject) d).getString("device_id"))).containsExactly(ACME_DEVICE);
    assertThat(globexDevices.stream().map(d -> ((JsonObject) d).getString("device_id"))).containsExactly(GLOBEX_DEVICE);
    assertThat(acmeDevices.getJsonObject(0).getString("tenant_id")).isEqualTo("acme");
  }

  @Test
  void verifiesThatTelemetryIsServedToTheOwnerAndIsNotFoundForTheOtherTenant() {
    assertOwnerOnly("/api/v1/devices/{device}/telemetry?signal=speed",
        body -> body.getInteger("count") == 1 ? body : null);
  }

  @Test
  void verifiesThatLatestValuesAreServedToTheOwnerAndAreNotFoundForTheOtherTenant() {
    assertOwnerOnly("/api/v1/devices/{device}/latest", body -> body.getJsonArray("signals").isEmpty() ? null : body);
  }

  @Test
  void verifiesThatUnknownFrameCountsAreServedToTheOwnerAndAreNotFoundForTheOtherTenant() {
    assertOwnerOnly("/api/v1/devices/{device}/can/unknown", body -> body.getJsonObject("unknown_ids"));
  }

  @Test
  void verifiesThatEachTenantSeesOnlyRejectionsOfItsDevicesAndOnlyOperatorsSeeThoseOfNoDevice() {
    assertThat(rejectedDevices(acme)).containsExactly(ACME_DEVICE);
    assertThat(rejectedDevices(globex)).containsExactly(GLOBEX_DEVICE);
    // The fixture's key is an operator's key of tenant default: rejections of no tenant, none of acme's or globex's.
    // A name no device is registered under is never recorded as the rejection's device.
    assertThat(rejectedTopics(fx.http)).contains("flexconnect/ghost-0001/json");
    assertThat(rejectedDevices(fx.http)).doesNotContain("ghost-0001", ACME_DEVICE, GLOBEX_DEVICE);
    assertThat(rejectedTopics(fx.http.withKey(fx.createApiKey("default")))).doesNotContain("flexconnect/ghost-0001/json");
  }

  @Test
  void verifiesThatRedecodingIsAllowedForTheOwnerAndIsNotFoundForTheOtherTenant() {
    String body = "{\"from\":\"2023-11-14T00:00:00Z\",\"to\":\"2023-11-15T00:00:00Z\"}";
    assertThat(acme.post("/api/v1/devices/" + ACME_DEVICE + "/redecode", body).status()).isEqualTo(200);
    assertThat(globex.post("/api/v1/devices/" + GLOBEX_DEVICE + "/redecode", body).status()).isEqualTo(200);
    Http.Response other = acme.post("/api/v1/devices/" + GLOBEX_DEVICE + "/redecode", body);
    assertThat(other.status()).isEqualTo(404);
    assertThat(other.body()).isEqualTo(acme.post("/api/v1/devices/nobody-0001/redecode", body).body()
        .replace("nobody-0001", GLOBEX_DEVICE));
    assertThat(globex.post("/api/v1/devices/" + ACME_DEVICE + "/redecode", body).status()).isEqualTo(404);
  }

  @Test
  void verifiesThatProvisioningCreatesTheDeviceUnderTheKeysTenantAndRefusesAnotherTenant() {
    Http.Response created = acme.post("/api/v1/devices", "{\"device_id\":\"acme-prov-0001\"}");
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().getString("tenant_id")).isEqualTo("acme");
    assertThat(acme.post("/api/v1/devices", "{\"device_id\":\"acme-prov-0002\",\"tenant_id\":\"acme\"}").status())
        .isEqualTo(201);

    Http.Response foreign = acme.post("/api/v1/devices", "{\"device_id\":\"acme-prov-0003\",\"tenant_id\":\"globex\"}");
    assertThat(foreign.status()).isEqualTo(403);
    assertThat(foreign.contentType()).startsWith("application/problem+json");
    assertThat(globex.get("/api/v1/devices/acme-prov-0001/latest").status()).isEqualTo(404);
    assertThat(acme.get("/api/v1/devices/acme-prov-0003/latest").status()).as("nothing was created").isEqualTo(404);
    assertThat(acme.get("/api/v1/devices").json().getJsonArray("devices").stream()
        .map(d -> ((JsonObject) d).getString("device_id"))).contains("acme-prov-0001", "acme-prov-0002");
  }

  @Test
  void verifiesThatRotatingAndRevokingAreAllowedForTheOwnerAndAreNotFoundForTheOtherTenant() {
    assertThat(acme.post("/api/v1/devices", "{\"device_id\":\"acme-rot-0001\"}").status()).isEqualTo(201);
    assertThat(globex.post("/api/v1/devices", "{\"device_id\":\"globex-rot-0001\"}").status()).isEqualTo(201);

    assertThat(globex.post("/api/v1/devices/acme-rot-0001/rotate", "").status()).isEqualTo(404);
    assertThat(globex.post("/api/v1/devices/acme-rot-0001/revoke", "").status()).isEqualTo(404);
    assertThat(acme.post("/api/v1/devices/globex-rot-0001/rotate", "").status()).isEqualTo(404);
    assertThat(acme.post("/api/v1/devices/globex-rot-0001/revoke", "").status()).isEqualTo(404);

    Http.Response rotated = acme.post("/api/v1/devices/acme-rot-0001/rotate", "");
    assertThat(rotated.status()).isEqualTo(200);
    assertThat(rotated.json().getString("tenant_id")).isEqualTo("acme");
    assertThat(globex.post("/api/v1/devices/globex-rot-0001/rotate", "").status()).isEqualTo(200);
    assertThat(acme.post("/api/v1/devices/acme-rot-0001/revoke", "").status()).isEqualTo(200);
    assertThat(globex.post("/api/v1/devices/globex-rot-0001/revoke", "").status()).isEqualTo(200);
  }

  @Test
  void verifiesThatTheOtherTenantsDeviceStillWorksAfterItsRotateAndRevokeWereRefused() {
    globex.post("/api/v1/devices/" + ACME_DEVICE + "/rotate", "");
    globex.post("/api/v1/devices/" + ACME_DEVICE + "/revoke", "");
    try (TestPublisher publisher = fx.publisher("tenant-isolation-after")) {
      publisher.publish("flexconnect/" + ACME_DEVICE + "/json", json(ACME_DEVICE, ACME_TOKEN, TS + 1, "after", 3));
    }
    Await.until("the point stored with the unchanged token", Duration.ofSeconds(20), () ->
        acme.get("/api/v1/devices/" + ACME_DEVICE + "/telemetry?signal=after").json().getInteger("count") == 1 ? true : null);
  }

  // --- authentication -------------------------------------------------------------------------

  static final List<String[]> ENDPOINTS = List.of(
      new String[] {"GET", "/api/v1/devices"},
      new String[] {"GET", "/api/v1/devices/" + ACME_DEVICE + "/telemetry"},
      new String[] {"GET", "/api/v1/devices/" + ACME_DEVICE + "/latest"},
      new String[] {"GET", "/api/v1/rejected"},
      new String[] {"GET", "/api/v1/devices/" + ACME_DEVICE + "/can/unknown"},
      new String[] {"GET", "/api/v1/stream"},
      new String[] {"GET", "/api/v1/no-such-endpoint"},
      new String[] {"POST", "/api/v1/devices/" + ACME_DEVICE + "/redecode"},
      new String[] {"POST", "/api/v1/devices"},
      new String[] {"POST", "/api/v1/devices/" + ACME_DEVICE + "/rotate"},
      new String[] {"POST", "/api/v1/devices/" + ACME_DEVICE + "/revoke"});

  static int status(Http http, String[] endpoint) {
    return endpoint[0].equals("GET") ? http.get(endpoint[1]).status()
        : http.post(endpoint[1], "{\"device_id\":\"auth-probe-0001\",\"from\":0,\"to\":1}").status();
  }

  @Test
  void verifiesThatEveryEndpointRefusesARequestWithoutAKeyAndHealthStaysOpen() {
    Http anonymous = fx.http.withKey(null);
    for (String[] endpoint : ENDPOINTS) {
      assertThat(status(anonymous, endpoint)).as(endpoint[0] + " " + endpoint[1]).isEqualTo(401);
    }
    Http.Response refused = anonymous.get("/api/v1/devices");
    assertThat(refused.contentType()).startsWith("application/problem+json");
    assertThat(refused.wwwAuthenticate()).startsWith("Bearer");
    assertThat(refused.json().getInteger("status")).isEqualTo(401);
    assertThat(anonymous.get("/health").status()).isIn(200, 503);
  }

  @Test
  void verifiesThatEveryEndpointRefusesAnUnknownARevokedAndAMalformedKey() {
    String revoked = fx.createApiKey("acme");
    assertThat(fx.http.withKey(revoked).get("/api/v1/devices").status()).isEqualTo(200);
    fx.revokeApiKey(revoked);
    String unknown = ApiKeys.generate(new SecureRandom()).key();
    String malformed = "fxk_not-a-real-key";
    for (String key : List.of(revoked, unknown, malformed, acmeKey + "x")) {
      for (String[] endpoint : ENDPOINTS) {
        assertThat(status(fx.http.withKey(key), endpoint)).as(endpoint[0] + " " + endpoint[1]).isEqualTo(401);
      }
    }
    Http.Response r = fx.http.withKey(unknown).get("/api/v1/devices");
    assertThat(r.wwwAuthenticate()).contains("error=\"invalid_token\"");
  }

  @Test
  void verifiesThatOnlyTheBearerSchemeIsAccepted() {
    Http.Response basic = fx.http.get("/api/v1/devices", Map.of("authorization", "Basic " + acmeKey));
    Http.Response bare = fx.http.get("/api/v1/devices", Map.of("authorization", acmeKey));
    Http.Response lowerCase = fx.http.get("/api/v1/devices", Map.of("authorization", "bearer " + acmeKey));

    assertThat(basic.status()).isEqualTo(401);
    assertThat(bare.status()).isEqualTo(401);
    assertThat(lowerCase.status()).isEqualTo(200);
  }

  @Test
  void verifiesThatTheAccessTokenQueryParameterIsRefusedOutsideTheStream() {
    Http anonymous = fx.http.withKey(null);

    assertThat(anonymous.get("/api/v1/devices?access_token=" + acmeKey).status()).isEqualTo(401);
    assertThat(anonymous.get("/api/v1/devices/" + ACME_DEVICE + "/latest?access_token=" + acmeKey).status()).isEqualTo(401);
  }

  @Test
  void verifiesThatAPresentedKeyNeverAppearsInA401BodyOrInTheLog() {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Logger ours = (Logger) LoggerFactory.getLogger("io.flexconnect");
    Level before = ours.getLevel();
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    root.addAppender(log);
    ours.setLevel(Level.DEBUG);
    String revoked = fx.createApiKey("acme");
    fx.revokeApiKey(revoked);
    String unknown = ApiKeys.generate(new SecureRandom()).key();
    List<String> secrets = List.of(revoked, unknown, "fxk_my-secret-typo-4711", "s3cr3t-guess-" + "x".repeat(600));
    try {
      for (String key : secrets) {
        for (Http.Response r : List.of(fx.http.withKey(key).get("/api/v1/devices"),
            fx.http.withKey(null).get("/api/v1/stream?access_token=" + key),
            fx.http.get("/api/v1/devices", Map.of("authorization", "Basic " + key)))) {
          assertThat(r.status()).isEqualTo(401);
          assertThat(r.body()).doesNotContain(key).doesNotContain(key.substring(4, 16));
          assertThat(r.wwwAuthenticate()).doesNotContain(key);
        }
        Http.BinaryResponse post = fx.http.withKey(key).post("/api/v1/devices", "{\"device_id\":\"never-0001\"}", null);
        assertThat(post.status()).isEqualTo(401);
        assertThat(post.text()).doesNotContain(key);
      }
    } finally {
      root.detachAppender(log);
      ours.setLevel(before);
    }
    assertThat(log.list).as("log lines were captured").isNotEmpty();
    for (ILoggingEvent event : log.list) {
      String line = event.getFormattedMessage() + (event.getThrowableProxy() == null ? "" : event.getThrowableProxy().getMessage());
      for (String key : secrets) {
        assertThat(line).doesNotContain(key);
      }
    }
  }

  // --- live stream ----------------------------------------------------------------------------

  /** A connected stream client collecting what it receives. */
  record Client(WebSocket ws, List<JsonObject> received) {
    static Client connect(WebSocketConnectOptions options) {
      List<JsonObject> received = new CopyOnWriteArrayList<>();
      WebSocket ws = Await.result(wsClient.connect(options));
      ws.textMessageHandler(text -> received.add(new JsonObject(text)));
      return new Client(ws, received);
    }

    static Client withHeader(String key) {
      return connect(options("/api/v1/stream").addHeader("authorization", "Bearer " + key));
    }

    static Client withQuery(String key) {
      return connect(options("/api/v1/stream?access_token=" + key));
    }

    JsonObject request(String json, String type) {
      int seen = received.size();
      Await.result(ws.writeTextMessage(json));
      return Await.until(type, Duration.ofSeconds(20), () -> received.stream().skip(seen)
          .filter(m -> type.equals(m.getString("type"))).findFirst().orElse(null));
    }

    List<String> pointDevices() {
      return received.stream().filter(m -> "points".equals(m.getString("type"))).map(m -> m.getString("device_id"))
          .toList();
    }
  }

  static WebSocketConnectOptions options(String uri) {
    return new WebSocketConnectOptions().setPort(fx.platform.httpPort()).setHost("127.0.0.1").setURI(uri);
  }

  @Test
  void verifiesThatSubscribingToAnotherTenantsDeviceIsRefusedLikeAnUnknownDevice() {
    Client client = Client.withHeader(acmeKey);
    JsonObject refused = client.request("{\"op\":\"subscribe\",\"devices\":[\"" + ACME_DEVICE + "\",\"" + GLOBEX_DEVICE
        + "\"]}", "error");
    assertThat(refused.getString("detail")).contains("no device '" + GLOBEX_DEVICE + "'").doesNotContain("'" + ACME_DEVICE + "'");
    JsonObject unknown = client.request("{\"op\":\"subscribe\",\"devices\":[\"nobody-0001\"]}", "error");
    assertThat(unknown.getString("detail")).isEqualTo(refused.getString("detail").replace(GLOBEX_DEVICE, "nobody-0001"));

    JsonObject subscribed = client.request("{\"op\":\"subscribe\",\"devices\":[\"" + ACME_DEVICE + "\"]}", "subscribed");
    assertThat(subscribed.getJsonArray("devices")).containsExactly(ACME_DEVICE);
    Await.result(client.ws().close());
  }

  @Test
  void verifiesThatAReplayOfAnotherTenantsDeviceIsRefused() {
    Client client = Client.withHeader(globexKey);
    client.request("{\"op\":\"subscribe\",\"devices\":[\"" + ACME_DEVICE + "\"],\"since\":0}", "error");
    JsonObject replayed = client.request("{\"op\":\"subscribe\",\"devices\":[\"" + GLOBEX_DEVICE + "\"],\"since\":0}",
        "points");
    assertThat(replayed.getString("device_id")).isEqualTo(GLOBEX_DEVICE);
    assertThat(client.pointDevices()).containsOnly(GLOBEX_DEVICE);
    Await.result(client.ws().close());
  }

  @Test
  void verifiesThatTheWildcardMeansEveryDeviceOfTheKeysTenantOnly() throws Exception {
    Client acmeClient = Client.withQuery(acmeKey);
    Client globexClient = Client.withHeader(globexKey);
    acmeClient.request("{\"op\":\"subscribe\",\"devices\":[\"*\"],\"signals\":[\"live\"]}", "subscribed");
    globexClient.request("{\"op\":\"subscribe\",\"devices\":[\"*\"],\"signals\":[\"live\"]}", "subscribed");

    try (TestPublisher publisher = fx.publisher("tenant-isolation-live")) {
      publisher.publish("flexconnect/" + GLOBEX_DEVICE + "/json", json(GLOBEX_DEVICE, GLOBEX_TOKEN, TS + 10, "live", 1));
      Await.until("globex's point at its client", Duration.ofSeconds(20), () ->
          globexClient.pointDevices().contains(GLOBEX_DEVICE) ? true : null);
      publisher.publish("flexconnect/" + ACME_DEVICE + "/json", json(ACME_DEVICE, ACME_TOKEN, TS + 10, "live", 2));
      Await.until("acme's point at its client", Duration.ofSeconds(20), () ->
          acmeClient.pointDevices().contains(ACME_DEVICE) ? true : null);
    }
    Thread.sleep(300); // anything misrouted would have arrived by now: batches are delivered in commit order

    assertThat(acmeClient.pointDevices()).containsOnly(ACME_DEVICE);
    assertThat(globexClient.pointDevices()).containsOnly(GLOBEX_DEVICE);
    Await.result(acmeClient.ws().close());
    Await.result(globexClient.ws().close());
  }

  @Test
  void verifiesThatAStreamWhoseKeyIsRevokedIsToldAndClosed() {
    String key = fx.createApiKey("acme");
    Client client = Client.withHeader(key);
    client.request("{\"op\":\"subscribe\",\"devices\":[\"*\"]}", "subscribed");
    java.util.concurrent.CompletableFuture<Short> closed = new java.util.concurrent.CompletableFuture<>();
    client.ws().closeHandler(v -> closed.complete(client.ws().closeStatusCode()));

    fx.revokeApiKey(key);

    JsonObject told = Await.until("the revocation notice", Duration.ofMillis(LiveStream.KEY_CHECK_MS * 3), () ->
        client.received().stream().filter(m -> "error".equals(m.getString("type"))).findFirst().orElse(null));
    assertThat(told.getString("detail")).contains("revoked").doesNotContain(key);
    assertThat(Await.result(io.vertx.core.Future.fromCompletionStage(closed))).isEqualTo((short) 1008);
  }

  @Test
  void verifiesThatTheStreamRefusesAMissingAWrongOrARevokedKeyAtTheUpgrade() {
    String revoked = fx.createApiKey("acme");
    fx.revokeApiKey(revoked);
    for (WebSocketConnectOptions options : List.of(options("/api/v1/stream"),
        options("/api/v1/stream?access_token=fxk_nope"),
        options("/api/v1/stream?access_token=" + revoked),
        options("/api/v1/stream").addHeader("authorization", "Bearer " + revoked),
        options("/api/v1/stream").addHeader("authorization", "Bearer " + ApiKeys.generate(new SecureRandom()).key()))) {
      assertThatThrownBy(() -> Await.result(wsClient.connect(options)))
          .as(options.getURI())
          .hasRootCauseInstanceOf(UpgradeRejectedException.class)
          .rootCause().satisfies(e -> assertThat(((UpgradeRejectedException) e).getStatus()).isEqualTo(401));
    }
  }
}
