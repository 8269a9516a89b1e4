package io.flexconnect.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexconnect.testing.PlatformFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Browser front ends of configured origins may call the API; others get no CORS grant. */
class CorsTest {
  static PlatformFixture fx;
  static final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() throws Exception {
    fx = PlatformFixture.start("cors", Map.of("FLEXCONNECT_HTTP_CORS_ORIGINS", "https://app.example.com"));
  }

  @AfterAll
  static void stop() throws Exception {
    fx.close();
  }

  static HttpResponse<String> send(String method, String origin, boolean withKey) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fx.platform.httpPort() + "/api/v1/devices"))
        .method(method, HttpRequest.BodyPublishers.noBody()).header("Origin", origin);
    if (method.equals("OPTIONS")) {
      b.header("Access-Control-Request-Method", "GET").header("Access-Control-Request-Headers", "authorization");
    }
    if (withKey) {
      b.header("Authorization", "Bearer " + fx.http.apiKey());
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void verifiesThatAConfiguredOriginPassesThePreflightWithoutAKeyAndReadsWithOne() throws Exception {
    HttpResponse<String> preflight = send("OPTIONS", "https://app.example.com", false);
    assertThat(preflight.statusCode()).isIn(200, 204);
    assertThat(preflight.headers().firstValue("access-control-allow-origin")).hasValue("https://app.example.com");
    assertThat(preflight.headers().firstValue("access-control-allow-headers").orElse("").toLowerCase())
        .contains("authorization");
    HttpResponse<String> get = send("GET", "https://app.example.com", true);
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(get.headers().firstValue("access-control-allow-origin")).hasValue("https://app.example.com");
  }

  @Test
  void verifiesThatAnotherOriginGetsNoGrant() throws Exception {
    HttpResponse<String> get = send("GET", "https://evil.example.net", true);
    assertThat(get.headers().firstValue("access-control-allow-origin")).isEmpty();
  }
}
