package io.flexconnect.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.flexconnect.testing.Http;
import io.flexconnect.testing.PlatformFixture;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The OpenAPI document is served without a key and describes exactly the paths the platform serves. */
class OpenApiTest {
  static PlatformFixture fx;

  @BeforeAll
  static void start() throws Exception {
    fx = PlatformFixture.start("openapi", Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    fx.close();
  }

  @Test
  void verifiesThatEveryServedPathIsDocumentedAndNothingElse() throws Exception {
    Http.Response response = fx.http.withKey(null).get("/api/v1/openapi.yaml");
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.contentType()).startsWith("application/yaml");
    JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(response.body());
    assertThat(doc.path("openapi").asText()).startsWith("3.");
    Set<String> documented = new TreeSet<>();
    doc.path("paths").fieldNames().forEachRemaining(documented::add);
    Set<String> served = new TreeSet<>(fx.platform.httpRoutes());
    served.removeIf(path -> path.startsWith("/console")); // the console page is not part of the API
    assertThat(documented).isEqualTo(served);
  }

  @Test
  void verifiesThatRequestsAreValidatedAgainstTheDocument() {
    Http.Response wrongType = fx.http.get("/api/v1/devices?online=soon");
    assertThat(wrongType.status()).isEqualTo(400);
    assertThat(wrongType.contentType()).isEqualTo("application/problem+json");
    assertThat(wrongType.json().getString("detail")).contains("online");
    Http.Response belowMinimum = fx.http.get("/api/v1/devices?limit=0");
    assertThat(belowMinimum.status()).isEqualTo(400);
    assertThat(belowMinimum.json().getString("detail")).contains("limit");
    assertThat(fx.http.get("/api/v1/alerts?state=loud").json().getString("detail")).contains("state");
  }

  @Test
  void verifiesThatTheConsolePageIsServedWithoutAKey() {
    Http.Response page = fx.http.withKey(null).get("/console/");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.contentType()).startsWith("text/html");
    assertThat(page.body()).contains("<title>Flexconnect console</title>").contains("/api/v1/stream?access_token=");
  }
}
