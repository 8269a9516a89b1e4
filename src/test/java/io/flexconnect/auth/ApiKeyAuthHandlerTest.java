package io.flexconnect.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The handler on a bare router with a stand-in authenticator: what it accepts, refuses and passes on. */
@ExtendWith(VertxExtension.class)
class ApiKeyAuthHandlerTest {
  static final String GOOD = "fxk_0123456789ab_" + "a".repeat(43);

  final List<String> presented = new CopyOnWriteArrayList<>();
  /** Answers after a delay, as a database does, so the request body arrives while the key is checked. */
  ApiKeyAuthHandler.Authenticator authenticator;
  HttpServer server;
  HttpClient client;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    authenticator = key -> {
      presented.add(key);
      Promise<Optional<ApiPrincipal>> answer = Promise.promise();
      vertx.setTimer(50, id -> answer.complete(key.equals(GOOD)
          ? Optional.of(new ApiPrincipal("0123456789ab", "acme", false)) : Optional.empty()));
      return answer.future();
    };
    Router router = Router.router(vertx);
    router.route("/api/*").handler(new ApiKeyAuthHandler(key -> key.equals("store-down")
        ? Future.failedFuture(new IllegalStateException("database unavailable"))
        : authenticator.authenticate(key), Set.of("/api/stream")));
    router.get("/api/stream").handler(rc -> rc.end("stream of " + ApiKeyAuthHandler.principal(rc).tenantId()));
    router.get("/api/data").handler(rc -> rc.end("data of " + ApiKeyAuthHandler.principal(rc).tenantId()));
    router.post("/api/data").handler(BodyHandler.create()).handler(rc -> rc.end("got " + rc.body().length()));
    router.route().failureHandler(rc -> rc.response().setStatusCode(rc.statusCode() > 0 ? rc.statusCode() : 500)
        .end(rc.failure() instanceof ApiKeyException e ? e.kind().name() : "error"));
    client = vertx.createHttpClient();
    vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").onComplete(ctx.succeeding(s -> {
      server = s;
      ctx.completeNow();
    }));
  }

  Future<String> call(HttpMethod method, String uri, Map<String, String> headers, Buffer body) {
    RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(server.actualPort())
        .setURI(uri);
    headers.forEach(options::addHeader);
    return client.request(options)
        .compose(request -> body == null ? request.send() : request.send(body))
        .compose(response -> response.body().map(b -> response.statusCode() + " " + b));
  }

  @Test
  void verifiesThatABearerKeyReachesTheRouteWithItsTenant(VertxTestContext ctx) {
    call(HttpMethod.GET, "/api/data", Map.of("Authorization", "Bearer " + GOOD), null)
        .onComplete(ctx.succeeding(answer -> ctx.verify(() -> {
          assertThat(answer).isEqualTo("200 data of acme");
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatTheQueryTokenCountsOnTheConfiguredPathOnly(VertxTestContext ctx) {
    Future.all(call(HttpMethod.GET, "/api/stream?access_token=" + GOOD, Map.of(), null),
            call(HttpMethod.GET, "/api/data?access_token=" + GOOD, Map.of(), null))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          assertThat(all.<String>resultAt(0)).isEqualTo("200 stream of acme");
          assertThat(all.<String>resultAt(1)).isEqualTo("401 MISSING");
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatAnUnavailableStoreFailsTheRequestRatherThanLettingItPassOrCallingTheKeyInvalid(VertxTestContext ctx) {
    call(HttpMethod.GET, "/api/data", Map.of("Authorization", "Bearer store-down"), null)
        .onComplete(ctx.succeeding(answer -> ctx.verify(() -> {
          assertThat(answer).isEqualTo("500 error");
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatAnOverlongValueIsRefusedWithoutBeingLookedUp(VertxTestContext ctx) {
    call(HttpMethod.GET, "/api/data", Map.of("Authorization", "Bearer " + "k".repeat(4000)), null)
        .onComplete(ctx.succeeding(answer -> ctx.verify(() -> {
          assertThat(answer).isEqualTo("401 INVALID");
          assertThat(presented).isEmpty();
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatABodySentWhileTheKeyIsCheckedReachesTheBodyHandlerWhole(VertxTestContext ctx) {
    Buffer body = Buffer.buffer(new byte[256 * 1024]);
    call(HttpMethod.POST, "/api/data", Map.of("Authorization", "Bearer " + GOOD), body)
        .onComplete(ctx.succeeding(answer -> ctx.verify(() -> {
          assertThat(answer).isEqualTo("200 got " + body.length());
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatOtherSchemesAreRefusedAsInvalid(VertxTestContext ctx) {
    Future.all(call(HttpMethod.GET, "/api/data", Map.of("Authorization", "Basic " + GOOD), null),
            call(HttpMethod.GET, "/api/data", Map.of("Authorization", "Bearer"), null),
            call(HttpMethod.GET, "/api/data", Map.of(), null))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          assertThat(all.<String>resultAt(0)).isEqualTo("401 INVALID");
          assertThat(all.<String>resultAt(1)).isEqualTo("401 INVALID");
          assertThat(all.<String>resultAt(2)).isEqualTo("401 MISSING");
          assertThat(presented).isEmpty();
          ctx.completeNow();
        })));
  }
}
