package io.flexconnect.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.flexconnect.testing.Http;
import io.flexconnect.testing.PlatformFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
    // The console, and the browser's icon, are not part of the API.
    served.removeIf(path -> path.startsWith("/console") || path.equals("/favicon.ico"));
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

  /** A plain GET as a browser sends it: no key, redirects not followed. */
  static HttpResponse<byte[]> browserGet(String path) throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fx.platform.httpPort() + path)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void verifiesThatTheRootLeadsABrowserToTheConsole() throws Exception {
    HttpResponse<byte[]> root = browserGet("/");
    assertThat(root.statusCode()).isEqualTo(302);
    assertThat(root.headers().firstValue("location")).hasValue("/console/");
  }

  @Test
  void verifiesThatTheBrowsersIconRequestIsAnsweredWithAnIcon() throws Exception {
    HttpResponse<byte[]> icon = browserGet("/favicon.ico");
    assertThat(icon.statusCode()).isEqualTo(200);
    assertThat(icon.headers().firstValue("content-type")).hasValue("image/x-icon");
    assertThat(icon.body()).startsWith(0, 0, 1, 0); // an ICO header: reserved 0, type 1 (icon)
  }

  @Test
  void verifiesThatTheConsolePageIsServedWithoutAKey() {
    Http.Response page = fx.http.withKey(null).get("/console/");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.contentType()).startsWith("text/html");
    assertThat(page.body()).contains("<title>Flexconnect console</title>").contains("js/main.js");
  }

  @Test
  void verifiesThatTheConsolesChartLibraryIsServedFromItsWebJarWithItsLicence() {
    Http.Response module = fx.http.withKey(null).get("/console/lib/uplot/dist/uPlot.esm.js");
    assertThat(module.status()).isEqualTo(200);
    assertThat(module.contentType()).contains("javascript");
    assertThat(module.body()).contains("export { uPlot as default }");
    Http.Response licence = fx.http.withKey(null).get("/console/lib/uplot/LICENSE");
    assertThat(licence.status()).isEqualTo(200);
    assertThat(licence.body()).contains("MIT");
  }
}
