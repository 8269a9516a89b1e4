package io.flexconnect.auth;

import io.flexconnect.auth.ApiKeyException.Kind;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requires an API key on every request it is mounted on: {@code Authorization: Bearer <key>}, or,
 * on the paths given (the WebSocket stream: browsers cannot set headers on a WebSocket), the
 * WebSocket subprotocols {@code flexconnect.v1, bearer.<key>} (what a browser can send without
 * putting the key in a URL) or the query parameter {@code access_token}. On success the request carries the key's {@link ApiPrincipal}
 * ({@link #principal}); otherwise it fails with {@link ApiKeyException} (MISSING or INVALID), which
 * the API answers with 401. Neither the key nor the query string is ever logged.
 */
public final class ApiKeyAuthHandler implements Handler<RoutingContext> {
  private static final Logger log = LoggerFactory.getLogger(ApiKeyAuthHandler.class);
  private static final String PRINCIPAL = "flexconnect.principal";
  private static final String BEARER = "bearer ";
  /** The stream's WebSocket subprotocol, which the server selects; the key rides beside it. */
  public static final String STREAM_PROTOCOL = "flexconnect.v1";
  /** Prefix of the offered subprotocol carrying the key ({@code bearer.fxk_…}: keys are URL-safe tokens). */
  public static final String BEARER_PROTOCOL = "bearer.";
  /** Longer values are refused without being looked at (keys are {@value ApiKeys#LENGTH} characters). */
  private static final int MAX_PRESENTED = 512;

  /** Checks a presented key; the REST API uses {@link ApiKeyStore}. */
  @FunctionalInterface
  public interface Authenticator {
    Future<Optional<ApiPrincipal>> authenticate(String presentedKey);
  }

  private final Authenticator authenticator;
  private final Set<String> queryTokenPaths;

  /**
   * @param queryTokenPaths paths (exactly) on which {@code ?access_token=} is accepted besides the header
   */
  public ApiKeyAuthHandler(Authenticator authenticator, Set<String> queryTokenPaths) {
    this.authenticator = authenticator;
    this.queryTokenPaths = Set.copyOf(queryTokenPaths);
  }

  /** The principal of an authenticated request; fails closed when the handler did not run. */
  public static ApiPrincipal principal(RoutingContext ctx) {
    ApiPrincipal principal = ctx.get(PRINCIPAL);
    if (principal == null) {
      throw new IllegalStateException("no API key was checked for " + ctx.request().path());
    }
    return principal;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String presented;
    try {
      presented = presented(ctx);
    } catch (ApiKeyException e) {
      refuse(ctx, e);
      return;
    }
    if (presented == null) {
      refuse(ctx, new ApiKeyException(Kind.MISSING,
          "an API key is required: send the header 'Authorization: Bearer <key>'"));
      return;
    }
    if (presented.length() > MAX_PRESENTED) {
      refuse(ctx, invalid());
      return;
    }
    // Hold the body (if any) while the key is checked; a BodyHandler further on reads it (as
    // Vert.x Web's own authentication handlers do).
    HttpServerRequest request = ctx.request();
    if (!request.isEnded()) {
      request.pause();
    }
    authenticator.authenticate(presented).onComplete(ar -> {
      if (!request.isEnded()) {
        request.resume();
      }
      if (ar.failed()) {
        ctx.fail(ar.cause()); // the store is down: a 500, never a silent 401
      } else if (ar.result().isEmpty()) {
        refuse(ctx, invalid());
      } else {
        ctx.put(PRINCIPAL, ar.result().get());
        ctx.next();
      }
    });
  }

  private String presented(RoutingContext ctx) {
    String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (header != null) {
      if (header.length() <= BEARER.length() || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
        throw new ApiKeyException(Kind.INVALID, "the Authorization header must be 'Bearer <key>'");
      }
      return header.substring(BEARER.length()).trim();
    }
    if (queryTokenPaths.contains(ctx.normalizedPath())) {
      String offered = ctx.request().getHeader("Sec-WebSocket-Protocol");
      if (offered != null) {
        for (String protocol : offered.split(",")) {
          String p = protocol.trim();
          if (p.regionMatches(true, 0, BEARER_PROTOCOL, 0, BEARER_PROTOCOL.length())) {
            return p.substring(BEARER_PROTOCOL.length());
          }
        }
      }
      List<String> values = ctx.queryParam("access_token");
      if (values.size() > 1) {
        throw invalid();
      }
      return values.isEmpty() ? null : values.get(0);
    }
    return null;
  }

  private static ApiKeyException invalid() {
    return new ApiKeyException(Kind.INVALID, "the API key is not valid: unknown, revoked or malformed");
  }

  private static void refuse(RoutingContext ctx, ApiKeyException e) {
    // The path only: a query string may hold access_token.
    log.debug("Refused {} {}: {}", ctx.request().method(), ctx.request().path(), e.kind());
    ctx.fail(401, e);
  }
}
