package io.flexconnect.api;

import io.flexconnect.auth.ApiKeyAuthHandler;
import io.flexconnect.rules.AlertsVerticle;
import io.flexconnect.rules.RuleSets;
import io.flexconnect.rules.alert.AlertCompiler;
import io.flexconnect.rules.alert.AlertConfigException;
import io.flexconnect.rules.alert.AlertEvent;
import io.flexconnect.rules.alert.CompiledAlertRules;
import io.flexconnect.rules.alert.DeviceAlerts;
import io.flexconnect.rules.pipeline.PipelineCompiler;
import io.flexconnect.rules.pipeline.PipelineConfigException;
import io.flexconnect.storage.TelemetryRow;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;

/**
 * Pipeline and alert rules, editable at run time. A document or item is validated by compiling the
 * whole resulting document, saved, and swapped in by the processing and alert stages at once.
 *
 * <pre>
 * GET    /api/v1/rules/{pipelines|alerts}          the document in force
 * PUT    /api/v1/rules/{pipelines|alerts}          replace it (422 with every error)
 * GET    /api/v1/rules/{pipelines|alerts}/{id}     one group (by name) or rule (by id)
 * PUT    /api/v1/rules/{pipelines|alerts}/{id}     add or replace it
 * DELETE /api/v1/rules/{pipelines|alerts}/{id}     remove it
 * POST   /api/v1/rules/alerts/dry-run              {"rule", "device_id", "from", "to"}: the alerts it would have raised
 * </pre>
 *
 * Rules apply across tenants (their globs name devices), so changing them takes an operator's key;
 * a dry run reads only the key's tenant's devices.
 */
final class RulesHandler {
  private static final int MAX_DRY_RUN_ROWS = 100_000;

  private final Vertx vertx;
  private final Pool pool;
  private final TelemetryQueries queries;

  RulesHandler(Vertx vertx, Pool pool, TelemetryQueries queries) {
    this.vertx = vertx;
    this.pool = pool;
    this.queries = queries;
  }

  void mount(Router router) {
    BodyHandler body = BodyHandler.create().setBodyLimit(1024 * 1024);
    router.post("/api/v1/rules/alerts/dry-run").handler(body).handler(this::dryRun);
    router.get("/api/v1/rules/:kind").handler(ctx -> Responses.json(ctx, document(kind(ctx))));
    router.put("/api/v1/rules/:kind").handler(body).handler(ctx -> Responses.json(ctx, replace(ctx, kind(ctx), Responses.body(ctx, "body: expected a JSON object"))));
    router.get("/api/v1/rules/:kind/:id").handler(ctx -> Responses.json(ctx, document(kind(ctx))
        .map(doc -> item(doc, kind(ctx), ctx.pathParam("id")))));
    router.put("/api/v1/rules/:kind/:id").handler(body).handler(this::putItem);
    router.delete("/api/v1/rules/:kind/:id").handler(this::deleteItem);
  }

  private Future<JsonObject> document(String kind) {
    return vertx.eventBus().<JsonObject>request(RuleSets.DOCUMENT + kind, "").map(reply -> reply.body());
  }

  private Future<JsonObject> replace(RoutingContext ctx, String kind, JsonObject document) {
    if (!ApiKeyAuthHandler.principal(ctx).operator()) {
      return Future.failedFuture(new ApiException(403, "Forbidden",
          "rules apply to every tenant's devices: changing them takes an operator's API key"));
    }
    List<String> errors = validate(kind, document);
    if (!errors.isEmpty()) {
      return Future.failedFuture(new ApiException(422, "Unprocessable Content", String.join("; ", errors)));
    }
    return RuleSets.save(vertx, pool, kind, document).map(document);
  }

  private void putItem(RoutingContext ctx) {
    String kind = kind(ctx);
    String id = ctx.pathParam("id");
    JsonObject item = Responses.body(ctx, "body: expected a JSON object");
    String key = itemKey(kind);
    if (item.getValue(key) == null) {
      item.put(key, id);
    } else if (!id.equals(item.getValue(key))) {
      throw ApiException.badRequest(key + ": '" + item.getValue(key) + "' differs from the path's '" + id + "'");
    }
    Responses.json(ctx, document(kind).compose(doc -> {
      JsonObject updated = doc.copy();
      JsonArray items = updated.getJsonArray(listKey(kind), new JsonArray());
      updated.put(listKey(kind), items);
      int at = indexOf(items, key, id);
      if (at >= 0) {
        items.set(at, item);
      } else {
        items.add(item);
      }
      return replace(ctx, kind, updated).map(saved -> item);
    }));
  }

  private void deleteItem(RoutingContext ctx) {
    String kind = kind(ctx);
    String id = ctx.pathParam("id");
    document(kind).compose(doc -> {
      JsonObject updated = doc.copy();
      JsonArray items = updated.getJsonArray(listKey(kind), new JsonArray());
      int at = indexOf(items, itemKey(kind), id);
      if (at < 0) {
        return Future.failedFuture(ApiException.notFound("no " + itemKey(kind) + " '" + id + "'"));
      }
      items.remove(at);
      return replace(ctx, kind, updated);
    }).onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
  }

  /** Evaluates one alert rule over a device's stored history and returns the transitions it would have made. */
  private void dryRun(RoutingContext ctx) {
    JsonObject body = Responses.body(ctx, "body: expected a JSON object");
    JsonObject rule = body.getJsonObject("rule");
    String deviceId = body.getString("device_id");
    if (rule == null || deviceId == null) {
      throw ApiException.badRequest("expected {\"rule\": {...}, \"device_id\": \"…\", \"from\": …, \"to\": …}");
    }
    long from = TimeParam.parse("from", String.valueOf(body.getValue("from", 0)));
    long to = TimeParam.parse("to", String.valueOf(body.getValue("to", TimeParam.MAX_MS)));
    JsonObject document = new JsonObject().put("latenessMs", body.getLong("latenessMs", 0L))
        .put("rules", new JsonArray().add(rule.copy().put("devices", "*").putNull("tenant")));
    CompiledAlertRules rules;
    try {
      rules = AlertCompiler.compileJson(document.encode());
    } catch (AlertConfigException e) {
      throw new ApiException(422, "Unprocessable Content", String.join("; ", e.errors()));
    }
    Responses.json(ctx, WebVerticle.requireDevice(queries, WebVerticle.tenant(ctx), deviceId)
        .compose(v -> queries.rowsSince(deviceId, from, MAX_DRY_RUN_ROWS))
        .map(rows -> {
          DeviceAlerts alerts = rules.newDeviceAlerts(deviceId);
          List<TelemetryRow> inRange = new ArrayList<>();
          for (TelemetryRow row : rows) {
            if (row.timestampMs() < to) {
              inRange.add(row);
            }
          }
          List<AlertEvent> events = new ArrayList<>(alerts.onRows(inRange));
          JsonArray out = new JsonArray();
          events.forEach(e -> out.add(AlertsVerticle.toJson(e)));
          return new JsonObject().put("device_id", deviceId).put("from", from).put("to", to)
              .put("points", inRange.size()).put("truncated", rows.size() == MAX_DRY_RUN_ROWS)
              .put("alerts", out);
        }));
  }

  static List<String> validate(String kind, JsonObject document) {
    try {
      if (kind.equals(RuleSets.PIPELINES)) {
        PipelineCompiler.compileJson(document.encode());
      } else {
        AlertCompiler.compileJson(document.encode());
      }
      return List.of();
    } catch (PipelineConfigException e) {
      return e.errors();
    } catch (AlertConfigException e) {
      return e.errors();
    }
  }

  private static JsonObject item(JsonObject doc, String kind, String id) {
    JsonArray items = doc.getJsonArray(listKey(kind), new JsonArray());
    int at = indexOf(items, itemKey(kind), id);
    if (at < 0) {
      throw ApiException.notFound("no " + itemKey(kind) + " '" + id + "'");
    }
    return items.getJsonObject(at);
  }

  private static int indexOf(JsonArray items, String key, String id) {
    for (int i = 0; i < items.size(); i++) {
      if (items.getValue(i) instanceof JsonObject o && id.equals(o.getValue(key))) {
        return i;
      }
    }
    return -1;
  }

  private static String kind(RoutingContext ctx) {
    String kind = ctx.pathParam("kind");
    if (!RuleSets.PIPELINES.equals(kind) && !RuleSets.ALERTS.equals(kind)) {
      throw ApiException.notFound("no rules '" + kind + "': use 'pipelines' or 'alerts'");
    }
    return kind;
  }

  private static String listKey(String kind) {
    return kind.equals(RuleSets.PIPELINES) ? "groups" : "rules";
  }

  private static String itemKey(String kind) {
    return kind.equals(RuleSets.PIPELINES) ? "name" : "id";
  }
}
