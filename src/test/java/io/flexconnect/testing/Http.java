package io.flexconnect.testing;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * A real HTTP client (the JDK's) against the platform's REST API. Sends its API key (when it has
 * one) as {@code Authorization: Bearer}; {@link #withKey} gives a client with another key or none.
 */
public final class Http {
  // HTTP/1.1 as most API clients speak it; the JDK would otherwise try an h2c upgrade first.
  private final HttpClient client = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();
  private final int port;
  private final String base;
  private final String apiKey;

  /** A client without an API key: only {@code /health} answers it. */
  public Http(int port) {
    this(port, null);
  }

  public Http(int port, String apiKey) {
    this.port = port;
    this.base = "http://127.0.0.1:" + port;
    this.apiKey = apiKey;
  }

  /** The same server with another API key ({@code null}: none). */
  public Http withKey(String otherKey) {
    return new Http(port, otherKey);
  }

  public String apiKey() {
    return apiKey;
  }

  public Response get(String path) {
    return get(path, apiKey == null ? Map.of() : Map.of("authorization", "Bearer " + apiKey));
  }

  /** GET with exactly these headers (none added). */
  public Response get(String path, Map<String, String> headers) {
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60)).GET();
      headers.forEach(request::header);
      HttpResponse<String> r = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.headers().firstValue("content-type").orElse(""), r.body(),
          r.headers().firstValue("www-authenticate").orElse(null));
    } catch (IOException e) {
      throw new AssertionError("GET " + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Any method with an optional JSON body; the answer as text. */
  public Response send(String method, String path, String json) {
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
          .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
      if (json != null) {
        request.header("content-type", "application/json");
      }
      if (apiKey != null) {
        request.header("authorization", "Bearer " + apiKey);
      }
      HttpResponse<String> r = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.headers().firstValue("content-type").orElse(""), r.body(), null);
    } catch (IOException e) {
      throw new AssertionError(method + " " + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** POSTs a JSON body; the answer as text. */
  public Response post(String path, String json) {
    BinaryResponse r = post(path, json, null);
    return new Response(r.status(), r.contentType(), r.text(), null);
  }

  /** POSTs {@code body} (JSON unless empty) with the given {@code accept} header (or none). */
  public BinaryResponse post(String path, String body, String accept) {
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
          .header("content-type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body));
      if (accept != null) {
        request.header("accept", accept);
      }
      if (apiKey != null) {
        request.header("authorization", "Bearer " + apiKey);
      }
      HttpResponse<byte[]> r = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new BinaryResponse(r.statusCode(), r.headers().firstValue("content-type").orElse(""), r.body());
    } catch (IOException e) {
      throw new AssertionError("POST " + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** A response whose body may be binary (a zip). */
  public record BinaryResponse(int status, String contentType, byte[] body) {
    public JsonObject json() {
      return new JsonObject(new String(body, java.nio.charset.StandardCharsets.UTF_8));
    }

    public String text() {
      return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  /** Status, content type and body of one response. */
  public record Response(int status, String contentType, String body, String wwwAuthenticate) {
    public JsonObject json() {
      return new JsonObject(body);
    }
  }
}
