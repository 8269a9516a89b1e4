package io.flexconnect.api;

import io.flexconnect.auth.ApiKeyAuthHandler;
import io.flexconnect.auth.ApiKeyException;
import io.flexconnect.auth.ApiKeyStore;
import io.flexconnect.auth.ApiPrincipal;
import io.flexconnect.can.CanAddresses;
import io.flexconnect.cluster.ClusterAddresses;
import io.flexconnect.common.PortInUse;
import io.flexconnect.mqtt.MqttAddresses;
import io.flexconnect.mqtt.SubscriptionStatus;
import io.flexconnect.storage.Database;
import io.flexconnect.storage.DatabaseConfig;
import io.flexconnect.storage.StorageAddresses;
import io.flexconnect.storage.StorageStatus;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.CorsHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.validation.RequestValidator;
import io.vertx.openapi.validation.ValidatorException;
import io.vertx.sqlclient.Pool;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * REST API ({@code /api/v1}) and health endpoint. Errors are {@code application/problem+json}
 * with a detail a client developer can act on.
 *
 * <p>Everything below {@code /api/} requires an API key ({@link ApiKeyAuthHandler}; 401 without a
 * valid one) and is scoped to the key's tenant: another tenant's device is answered exactly as an
 * unknown one (404), so a key cannot even learn which device ids other tenants use. {@code /health}
 * stays open for load balancers and container health checks.
 */
public final class WebVerticle extends VerticleBase {
  /** Any body in, the Prometheus text exposition of the platform's meters out. */
  public static final String METRICS_SCRAPE = "flexconnect.metrics.scrape";

  private static final Logger log = LoggerFactory.getLogger(WebVerticle.class);
  private static final int DEFAULT_LIMIT = 1000;
  static final String STREAM_PATH = "/api/v1/stream";
  /** uPlot from its WebJar (version as in pom.xml): the console's chart library, served at /console/lib/uplot/. */
  static final String UPLOT_WEBJAR = "META-INF/resources/webjars/uplot/1.6.30";

  private final HttpConfig config;
  private final DatabaseConfig database;
  private final DeviceRoutes.Provisioning provisioning;
  private Pool pool;
  private TelemetryQueries queries;
  private HttpServer server;
  private LiveStream stream;
  private RequestValidator validator;
  private Router router;

  public WebVerticle(HttpConfig config, DatabaseConfig database) {
    this(config, database, null);
  }

  /** With device provisioning ({@code POST /api/v1/devices} and friends) when {@code provisioning} is given. */
  public WebVerticle(HttpConfig config, DatabaseConfig database, DeviceRoutes.Provisioning provisioning) {
    this.config = config;
    this.database = database;
    this.provisioning = provisioning;
  }

  @Override
  public Future<?> start() {
    context.exceptionHandler(WebVerticle::unhandled);
    // The API's own document validates every GET's parameters (bodies are checked by their handlers).
    return vertx.executeBlocking(WebVerticle::requestContract)
        .compose(doc -> OpenAPIContract.from(vertx, doc)).compose(contract -> {
      validator = RequestValidator.create(vertx, contract);
      return startRouter();
    });
  }

  private Future<?> startRouter() {
    pool = Database.pool(vertx, database, 0);
    queries = new TelemetryQueries(pool);
    router = Router.router(vertx);
    ApiKeyStore keys = new ApiKeyStore(pool);
    stream = new LiveStream(vertx, queries, keys::inactive, config.streamQueueBytes(), config.maxRowsPerResponse());
    stream.start();
    router.get("/health").handler(this::health);
    router.get("/metrics").handler(ctx -> vertx.eventBus().<String>request(METRICS_SCRAPE, "")
        .onSuccess(reply -> ctx.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
            .end(reply.body()))
        .onFailure(ctx::fail));
    if (!config.corsOrigins().isEmpty()) {
      // Before authentication: a browser's preflight carries no key.
      router.route("/api/*").handler(CorsHandler.create().addOrigins(config.corsOrigins())
          .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE))
          .allowedHeaders(Set.of("Authorization", "Content-Type", "Accept")).maxAgeSeconds(600));
    }
    router.get("/api/v1/openapi.yaml").handler(this::openApi); // public: it documents how to authenticate
    // The live console: static files; it asks for an API key and uses the API like any client.
    router.get("/console/lib/uplot/*").handler(StaticHandler.create(UPLOT_WEBJAR));
    router.get("/console/*").handler(StaticHandler.create("webroot/console").setIndexPage("index.html"));
    // A browser pointed at the host lands on the console, and asks for an icon it should get.
    router.get("/").handler(ctx -> ctx.redirect("/console/"));
    router.get("/favicon.ico").handler(ctx -> ctx.response().putHeader("content-type", "image/x-icon")
        .putHeader("cache-control", "public, max-age=86400").sendFile("webroot/favicon.ico"));
    router.route("/api/*").handler(new ApiKeyAuthHandler(keys, Set.of(STREAM_PATH)));
    router.get("/api/v1/*").handler(this::validate);
    router.get(STREAM_PATH).handler(ctx -> {
      ApiPrincipal principal = ApiKeyAuthHandler.principal(ctx);
      ctx.request().toWebSocket()
          .onSuccess(ws -> stream.accept(ws, principal))
          .onFailure(err -> {
            if (ctx.response().headWritten() || ctx.response().closed()) {
              // The client went away during the handshake: nothing to answer, nothing for an operator to do.
              log.debug("WebSocket handshake from {} aborted by the client: {}", ctx.request().remoteAddress(), err.toString());
            } else {
              problem(ctx, ApiException.badRequest("a WebSocket upgrade is required: " + err.getMessage()));
            }
          });
    });
    router.get("/api/v1/devices").handler(this::devices);
    router.get("/api/v1/devices/:deviceId").handler(this::device);
    router.get("/api/v1/devices/:deviceId/telemetry").handler(this::telemetry);
    router.get("/api/v1/devices/:deviceId/latest").handler(this::latest);
    router.get("/api/v1/devices/:deviceId/signals").handler(this::signals);
    router.get("/api/v1/rejected").handler(this::rejected);
    router.get("/api/v1/alerts").handler(this::alerts);
    router.get("/api/v1/devices/:deviceId/can/unknown").handler(this::unknownFrames);
    router.post("/api/v1/devices/:deviceId/redecode").handler(BodyHandler.create().setBodyLimit(64 * 1024))
        .handler(new RedecodeHandler(queries)::handle);
    new RulesHandler(vertx, pool, queries).mount(router);
    if (provisioning != null) {
      new DeviceRoutes(provisioning.create(vertx, pool), queries).mount(router);
    }
    router.route().last().handler(ctx -> problem(ctx, ApiException.notFound("no such endpoint: " + ctx.request().path())));
    router.route().failureHandler(this::failure);
    // The stream's subprotocol is selected when offered: a browser offers it with the key beside it.
    return vertx.createHttpServer(new io.vertx.core.http.HttpServerOptions()
            .addWebSocketSubProtocol(ApiKeyAuthHandler.STREAM_PROTOCOL)).requestHandler(router).listen(config.port(), config.host())
        .recover(e -> Future.failedFuture(PortInUse.named(e, "http.port", config.port(), config.host(),
            "another process listens there; set http.port or FLEXCONNECT_HTTP_PORT")))
        .onSuccess(s -> {
          server = s;
          log.info("REST API on http://{}:{}/api/v1", config.host(), s.actualPort());
        });
  }

  @Override
  public Future<?> stop() {
    return pool.close();
  }

  /** The paths this verticle serves, OpenAPI style ({@code /api/v1/devices/{deviceId}}), for the API document's test. */
  public java.util.Set<String> routePaths() {
    java.util.Set<String> paths = new java.util.TreeSet<>();
    for (io.vertx.ext.web.Route route : router.getRoutes()) {
      String path = route.getPath();
      if (path != null && !path.endsWith("*") && !path.endsWith("/")) { // not the /api/* filters
        paths.add(path.replaceAll(":([A-Za-z]+)", "{$1}"));
      }
    }
    return paths;
  }

  /** The bound port (differs from the configured one when that was 0). */
  public int port() {
    return server.actualPort();
  }

  private void telemetry(RoutingContext ctx) {
    String deviceId = ctx.pathParam("deviceId");
    String signalParam = ctx.request().getParam("signal");
    String[] signals = signalParam == null || signalParam.isBlank() ? null : signalParam.split(",");
    long from = optionalTime(ctx, "from", 0L);
    String intervalParam = ctx.request().getParam("interval");
    // Buckets need a bounded range: an open end means "until now" there.
    long to = optionalTime(ctx, "to", intervalParam == null ? TimeParam.MAX_MS : System.currentTimeMillis() + 1);
    int limit = limit(ctx);
    if (from >= to) {
      throw ApiException.badRequest("from must be before to");
    }
    if (intervalParam != null) {
      aggregated(ctx, deviceId, signals, from, to, intervalParam, limit);
      return;
    }
    String order = ctx.request().getParam("order", "asc");
    if (!order.equals("asc") && !order.equals("desc")) {
      throw ApiException.badRequest("order: expected 'asc' or 'desc', got '" + order + "'");
    }
    String accept = ctx.request().getHeader("accept");
    if (accept != null && accept.contains("text/csv")) {
      // Exports are not capped by maxRowsPerResponse: they stream through a cursor instead.
      requireDevice(ctx, deviceId)
          .compose(v -> queries.streamCsv(deviceId, signals, from, to, order.equals("desc"), ctx.response()))
          .onFailure(err -> {
            if (ctx.response().headWritten()) {
              ctx.response().reset(); // mid-stream: the client sees a truncated transfer, not a clean end
            } else {
              ctx.fail(err);
            }
          });
      return;
    }
    JsonObject tags = tagFilter(ctx);
    String cursorParam = ctx.request().getParam("cursor");
    PageCursor after = cursorParam == null ? null : PageCursor.decode(cursorParam);
    Responses.json(ctx, requireDevice(ctx, deviceId)
        .compose(v -> queries.telemetry(deviceId, signals, from, to, limit, order.equals("desc"), tags, after))
        .map(points -> {
          JsonObject page = new JsonObject()
              .put("device_id", deviceId)
              .put("signal", signalParam)
              .put("from", from)
              .put("to", to)
              .put("limit", limit)
              .put("count", points.size())
              .put("points", points);
          if (points.size() == limit) {
            JsonObject last = points.getJsonObject(points.size() - 1);
            page.put("next", new PageCursor(last.getLong("timestamp"), last.getString("signal")).encode());
          }
          return page;
        }));
  }

  /** {@code tag=site:north&tag=line:2}: points carrying every one of these tags. */
  private static JsonObject tagFilter(RoutingContext ctx) {
    java.util.List<String> specs = ctx.queryParam("tag");
    if (specs.isEmpty()) {
      return null;
    }
    JsonObject tags = new JsonObject();
    for (String spec : specs) {
      int colon = spec.indexOf(':');
      if (colon <= 0) {
        throw ApiException.badRequest("tag: expected key:value, got '" + spec + "'");
      }
      tags.put(spec.substring(0, colon), spec.substring(colon + 1));
    }
    return tags;
  }

  /** {@code interval=1m&agg=avg,max}: buckets per signal instead of raw points. */
  private void aggregated(RoutingContext ctx, String deviceId, String[] signals, long from, long to,
      String intervalParam, int limit) {
    long intervalMs = Interval.parseMillis("interval", intervalParam);
    if ((to - from) / intervalMs > config.maxRowsPerResponse()) {
      throw ApiException.badRequest("interval: " + intervalParam + " makes more than " + config.maxRowsPerResponse()
          + " buckets over this range; choose a longer interval or a shorter range");
    }
    String aggParam = ctx.request().getParam("agg", "avg,min,max,count");
    java.util.List<String> aggregates = java.util.Arrays.stream(aggParam.split(",")).map(String::trim).distinct().toList();
    for (String a : aggregates) {
      if (!TelemetryQueries.AGGREGATES.containsKey(a)) {
        throw ApiException.badRequest("agg: '" + a + "' is not one of " + TelemetryQueries.AGGREGATES.keySet());
      }
    }
    Responses.json(ctx, requireDevice(ctx, deviceId)
        .compose(v -> queries.aggregate(deviceId, signals, from, to, intervalMs, aggregates, limit))
        .map(buckets -> new JsonObject()
            .put("device_id", deviceId)
            .put("from", from)
            .put("to", to)
            .put("interval_ms", intervalMs)
            .put("aggregates", new JsonArray(aggregates))
            .put("count", buckets.size())
            .put("buckets", buckets)));
  }

  /** {@code ?prefix=truck-&online=300&after=truck-0042&limit=100}: a page of the tenant's devices. */
  private void devices(RoutingContext ctx) {
    String prefix = ctx.request().getParam("prefix");
    String online = ctx.request().getParam("online");
    Integer onlineSeconds;
    try {
      onlineSeconds = online == null ? null : Integer.valueOf(online);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("online: seconds since last seen, got '" + online + "'");
    }
    if (onlineSeconds != null && onlineSeconds <= 0) {
      throw ApiException.badRequest("online: must be positive seconds");
    }
    int limit = ctx.request().getParam("limit") == null ? Math.min(100, config.maxRowsPerResponse()) : limit(ctx);
    Responses.json(ctx, queries.devices(tenant(ctx), prefix, onlineSeconds, ctx.request().getParam("after"), limit)
        .map(devices -> new JsonObject().put("devices", devices)
            .put("next", devices.size() == limit ? devices.getJsonObject(devices.size() - 1).getString("device_id") : null)));
  }

  private void device(RoutingContext ctx) {
    String deviceId = ctx.pathParam("deviceId");
    Responses.json(ctx, requireDevice(ctx, deviceId)
        .compose(v -> queries.devices(tenant(ctx), deviceId, null, null, 1000))
        .map(devices -> {
          for (Object d : devices) {
            if (deviceId.equals(((JsonObject) d).getString("device_id"))) {
              return (JsonObject) d;
            }
          }
          throw ApiException.notFound("no device '" + deviceId + "'");
        }));
  }

  private void validate(RoutingContext ctx) {
    if (ctx.request().path().equals(STREAM_PATH)) {
      ctx.next(); // the WebSocket upgrade: its subscriptions are checked message by message
      return;
    }
    validator.validate(ctx.request()).onSuccess(valid -> ctx.next()).onFailure(err -> problem(ctx,
        ApiException.badRequest(err instanceof ValidatorException v ? describe(v) : err.getMessage())));
  }

  /**
   * The API document as the request validator needs it: its responses' media types (YAML, CSV,
   * problem+json) are outside what the validator supports, and responses are not validated.
   */
  @SuppressWarnings("unchecked")
  static JsonObject requestContract() throws java.io.IOException {
    try (java.io.InputStream in = WebVerticle.class.getResourceAsStream("/api/openapi.yaml")) {
      JsonObject doc = new JsonObject((java.util.Map<String, Object>) new org.yaml.snakeyaml.Yaml().load(in));
      JsonObject paths = doc.getJsonObject("paths");
      for (String path : paths.fieldNames()) {
        JsonObject item = paths.getJsonObject(path);
        for (String method : item.fieldNames()) {
          if (item.getValue(method) instanceof JsonObject operation && operation.containsKey("responses")) {
            operation.put("responses", new JsonObject().put("default", new JsonObject().put("description", "any")));
          }
        }
      }
      doc.getJsonObject("components").remove("responses");
      return doc;
    }
  }

  /** A validation failure as a client developer reads it: which parameter, and why. */
  private static String describe(ValidatorException e) {
    return e.getMessage();
  }

  private void openApi(RoutingContext ctx) {
    vertx.executeBlocking(() -> {
      try (java.io.InputStream in = WebVerticle.class.getResourceAsStream("/api/openapi.yaml")) {
        return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      }
    }).onSuccess(yaml -> ctx.response().putHeader("content-type", "application/yaml").end(yaml)).onFailure(ctx::fail);
  }

  /** {@code ?device=&state=firing&limit=}: the tenant's alert incidents, newest first. */
  private void alerts(RoutingContext ctx) {
    String state = ctx.request().getParam("state");
    if (state != null && !Set.of("pending", "firing", "resolved").contains(state)) {
      throw ApiException.badRequest("state: one of pending, firing, resolved; got '" + state + "'");
    }
    Responses.json(ctx, queries.alerts(tenant(ctx), ctx.request().getParam("device"), state, limit(ctx))
        .map(alerts -> new JsonObject().put("alerts", alerts)));
  }

  private void signals(RoutingContext ctx) {
    String deviceId = ctx.pathParam("deviceId");
    Responses.json(ctx, requireDevice(ctx, deviceId).compose(v -> queries.signals(deviceId))
        .map(signals -> new JsonObject().put("device_id", deviceId).put("signals", signals)));
  }

  private void latest(RoutingContext ctx) {
    String deviceId = ctx.pathParam("deviceId");
    Responses.json(ctx, requireDevice(ctx, deviceId).compose(v -> queries.latest(deviceId))
        .map(signals -> new JsonObject().put("device_id", deviceId).put("signals", signals)));
  }

  private void unknownFrames(RoutingContext ctx) {
    String deviceId = ctx.pathParam("deviceId");
    Responses.json(ctx, requireDevice(ctx, deviceId)
        .compose(v -> vertx.eventBus().<JsonObject>request(CanAddresses.UNKNOWN_FRAMES, deviceId))
        .map(reply -> new JsonObject().put("device_id", deviceId).put("unknown_ids", reply.body())));
  }

  private void rejected(RoutingContext ctx) {
    String reason = ctx.request().getParam("reason");
    ApiPrincipal principal = ApiKeyAuthHandler.principal(ctx);
    Responses.json(ctx, queries.rejected(principal.tenantId(), principal.operator(), reason, limit(ctx))
        .map(r -> new JsonObject().put("rejected", r)));
  }

  /**
   * {@code UP} (200); {@code DEGRADED} (503) while storage refuses writes and messages wait
   * unacknowledged on the broker; {@code DOWN} (503) without database or subscription. A
   * deployment uses it for readiness: restarting does not help a failing database.
   */
  private void health(RoutingContext ctx) {
    DeliveryOptions quick = new DeliveryOptions().setSendTimeout(2000).setLocalOnly(true);
    // Clustered only (no consumer otherwise): members, partitions owned, forward traffic.
    Future<JsonObject> cluster = vertx.eventBus().<JsonObject>request(ClusterAddresses.STATUS, "", quick)
        .map(reply -> reply.body()).otherwise((JsonObject) null);
    Future<Boolean> db = queries.ping().map(true).otherwise(false);
    Future<SubscriptionStatus> mqtt = vertx.eventBus()
        .<SubscriptionStatus>request(MqttAddresses.STATUS, "", quick)
        .map(reply -> reply.body()).otherwise((SubscriptionStatus) null);
    // Reachable is not enough: writes can fail while a ping succeeds (a missing table, a full disk).
    Future<StorageStatus> storage = vertx.eventBus().<StorageStatus>request(StorageAddresses.STATUS, "", quick)
        .map(reply -> reply.body())
        .otherwise(err -> new StorageStatus(true, "storage writer not answering: " + err.getMessage(), 0, 0));
    Future.join(db, mqtt, storage, cluster).onComplete(ar -> {
      SubscriptionStatus sub = mqtt.result();
      boolean subscribed = sub != null && sub.subscribed();
      boolean writing = !storage.result().failing();
      boolean waitingForStorage = !writing || (sub != null && sub.storageFailing());
      boolean reachable = db.result() && subscribed;
      String status = !reachable ? "DOWN" : waitingForStorage ? "DEGRADED" : "UP";
      JsonObject body = new JsonObject()
          .put("status", status)
          .put("database", db.result() ? "UP" : "DOWN")
          .put("storage", writing ? "UP" : "FAILING")
          .put("mqtt", subscribed ? "UP" : "DOWN")
          .put("ingest", waitingForStorage ? "WAITING_FOR_STORAGE" : "READY")
          .put("storage_refused", storage.result().refused());
      if (!writing) {
        body.put("storage_error", storage.result().lastError());
      }
      if (cluster.result() != null) {
        body.put("cluster", cluster.result());
      }
      // Not ready while messages cannot be stored; nothing is lost meanwhile (they wait on the broker).
      boolean ready = "UP".equals(status);
      ctx.response().setStatusCode(ready ? 200 : 503).putHeader("content-type", "application/json").end(body.encode());
    });
  }

  private Future<Void> requireDevice(RoutingContext ctx, String deviceId) {
    return requireDevice(queries, tenant(ctx), deviceId);
  }

  /** Succeeds when the device is the tenant's; 404 otherwise, the same answer for every other case. */
  static Future<Void> requireDevice(TelemetryQueries queries, String tenantId, String deviceId) {
    return queries.deviceOfTenant(tenantId, deviceId).compose(mine -> mine
        ? Future.succeededFuture()
        : Future.failedFuture(ApiException.notFound("no device '" + deviceId + "'")));
  }

  /** The tenant of the request's API key. */
  static String tenant(RoutingContext ctx) {
    return ApiKeyAuthHandler.principal(ctx).tenantId();
  }

  private long optionalTime(RoutingContext ctx, String name, long fallback) {
    String value = ctx.request().getParam(name);
    return value == null ? fallback : TimeParam.parse(name, value);
  }

  private int limit(RoutingContext ctx) {
    String value = ctx.request().getParam("limit");
    if (value == null) {
      return Math.min(DEFAULT_LIMIT, config.maxRowsPerResponse());
    }
    try {
      int limit = Integer.parseInt(value);
      if (limit < 1 || limit > config.maxRowsPerResponse()) {
        throw ApiException.badRequest("limit: must be 1 to " + config.maxRowsPerResponse() + ", got " + limit);
      }
      return limit;
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("limit: not a number: '" + value + "'");
    }
  }

  private void failure(RoutingContext ctx) {
    Throwable err = ctx.failure();
    if (err instanceof ApiKeyException key && key.unauthenticated()) {
      // RFC 6750: a presented but unusable key is "invalid_token"; a missing one gets no error code.
      ctx.response().putHeader("www-authenticate", key.kind() == ApiKeyException.Kind.INVALID
          ? "Bearer realm=\"flexconnect\", error=\"invalid_token\"" : "Bearer realm=\"flexconnect\"");
      problem(ctx, new ApiException(401, "Unauthorized", key.getMessage()));
      return;
    }
    if (err instanceof ApiException api) {
      problem(ctx, api);
      return;
    }
    int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
    if (status >= 500) {
      log.error("Request {} {} failed", ctx.request().method(), ctx.request().path(), err);
    }
    problem(ctx, new ApiException(status, status >= 500 ? "Internal Server Error" : "Error",
        status >= 500 ? "the request could not be completed; see the server log" : String.valueOf(err)));
  }

  /**
   * What escapes every handler on this verticle's connections. A client that closes its socket while
   * Vert.x is completing its WebSocket handshake makes Vert.x complete an already failed promise; that is
   * the client's doing, so it is one debug line rather than an error with a stack trace.
   */
  static void unhandled(Throwable err) {
    if (isWebSocketHandshakeAbort(err)) {
      log.debug("WebSocket handshake aborted by the client: {}", err.toString());
    } else {
      log.error("Unhandled exception", err);
    }
  }

  static boolean isWebSocketHandshakeAbort(Throwable err) {
    if (!(err instanceof IllegalStateException)) {
      return false;
    }
    for (StackTraceElement frame : err.getStackTrace()) {
      if (frame.getClassName().startsWith("io.vertx.core.http.impl.Http1xServer")
          && frame.getMethodName().toLowerCase(java.util.Locale.ROOT).contains("websocket")) {
        return true;
      }
    }
    return false;
  }

  private static void problem(RoutingContext ctx, ApiException e) {
    if (ctx.response().headWritten() || ctx.response().closed()) {
      log.debug("{} {}: no problem response ({}), the answer was begun or the client went away",
          ctx.request().method(), ctx.request().path(), e.getMessage());
      return;
    }
    ctx.response().setStatusCode(e.status()).putHeader("content-type", "application/problem+json")
        .end(new JsonObject()
            .put("type", "about:blank")
            .put("title", e.title())
            .put("status", e.status())
            .put("detail", e.getMessage())
            .put("instance", ctx.request().path())
            .encode());
  }

}
