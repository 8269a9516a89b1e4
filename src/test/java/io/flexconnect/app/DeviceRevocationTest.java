package io.flexconnect.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexconnect.testing.Await;
import io.flexconnect.testing.PlatformFixture;
import io.flexconnect.testing.TestDatabase;
import io.flexconnect.testing.TestPublisher;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A revoked device's token-authenticated messages are refused within {@code pki.revocationRefreshSeconds},
 * whether the revocation came from this process (REST) or another one (the CLI), although the
 * ingest credential cache keeps devices for much longer.
 */
class DeviceRevocationTest {
  static final int REFRESH_SECONDS = 2;
  /** Time for the poll's query, the eviction and the message's way through the broker. */
  static final long MARGIN_MS = 800;
  static PlatformFixture fx;
  static Map<String, String> cliEnv;

  @BeforeAll
  static void start() throws Exception {
    fx = PlatformFixture.start("device_revocation", Map.of(
        "FLEXCONNECT_PKI_REVOCATION_REFRESH_SECONDS", String.valueOf(REFRESH_SECONDS),
        "FLEXCONNECT_INGEST_DEVICE_CACHE_SECONDS", "300"));
    cliEnv = Map.of("FLEXCONNECT_DB_URL", fx.dbUrl,
        "FLEXCONNECT_PKI_DIR", PlatformFixture.tempDir("flexconnect-pki-revocation").toString());
  }

  @AfterAll
  static void stop() throws Exception {
    fx.close();
  }

  static byte[] point(String device, long ts) {
    return ("{\"device_id\":\"" + device + "\",\"token\":\"tok_" + device + "-5ecret\",\"points\":[{\"timestamp\":" + ts
        + ",\"fields\":[{\"name\":\"probe\",\"value\":1}]}]}").getBytes(StandardCharsets.UTF_8);
  }

  static long stored(String device) {
    return fx.http.get("/api/v1/devices/" + device + "/telemetry?signal=probe").json().getLong("count");
  }

  /** Reason and detail of the device's rejections, oldest first. */
  static List<String> rejections(String device) {
    return TestDatabase.jdbc(fx.dbUrl, conn -> {
      var rs = conn.createStatement().executeQuery(
          "SELECT reason, detail FROM rejected_messages WHERE device_id = '" + device + "' ORDER BY id");
      List<String> out = new java.util.ArrayList<>();
      while (rs.next()) {
        out.add(rs.getString(1) + ": " + rs.getString(2));
      }
      return out;
    });
  }

  /** Publishes a first point and waits until it is stored, so the device sits in the credential cache. */
  static void warmUp(TestPublisher publisher, String device) {
    publisher.publish("flexconnect/" + device + "/json", point(device, 1_700_000_000_000L));
    Await.until("the first point of " + device, Duration.ofSeconds(20), () -> stored(device) == 1 ? true : null);
  }

  static void assertRefused(TestPublisher publisher, String device) {
    publisher.publish("flexconnect/" + device + "/json", point(device, 1_700_000_001_000L));
    List<String> refused = Await.until("the refusal of " + device, Duration.ofSeconds(10), () -> {
      if (stored(device) > 1) {
        throw new AssertionError("a point of the revoked device " + device + " was stored");
      }
      List<String> r = rejections(device);
      return r.isEmpty() ? null : r;
    });
    assertThat(refused).singleElement().asString().startsWith("wrong_token: ").contains("revoked");
    assertThat(stored(device)).isEqualTo(1);
  }

  @Test
  void verifiesThatACliRevocationReachesIngestionWithinTheRevocationRefresh() throws Exception {
    fx.addDevice("revoke-cli-0001", "tok_revoke-cli-0001-5ecret");
    try (TestPublisher publisher = fx.publisher("revoke-cli")) {
      warmUp(publisher, "revoke-cli-0001");

      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int code = Main.run(List.of("device", "revoke", "revoke-cli-0001"), cliEnv,
          new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8));
      assertThat(code).as(out.toString(StandardCharsets.UTF_8)).isZero();
      Thread.sleep(REFRESH_SECONDS * 1000L + MARGIN_MS);

      assertRefused(publisher, "revoke-cli-0001");
    }
  }

  @Test
  void verifiesThatARestRevocationReachesIngestionAtOnce() {
    fx.addDevice("revoke-rest-0001", "tok_revoke-rest-0001-5ecret");
    try (TestPublisher publisher = fx.publisher("revoke-rest")) {
      warmUp(publisher, "revoke-rest-0001");

      assertThat(fx.http.post("/api/v1/devices/revoke-rest-0001/revoke", "", null).status()).isEqualTo(200);

      assertRefused(publisher, "revoke-rest-0001");
    }
  }
}
