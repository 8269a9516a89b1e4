package io.flexconnect.api;

import io.flexconnect.can.CanConfig.DbcMapping;
import io.flexconnect.can.RedecodeRequest;
import io.flexconnect.can.RedecodeResult;
import io.flexconnect.can.RedecodeVerticle;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /api/v1/devices/{id}/redecode}: decodes a device's stored binary messages in a range
 * again and replaces the derived rows.
 *
 * <pre>
 * {"from": "2021-06-01T00:00:00Z", "to": 1622592000000,
 *  "dbc": "vehicle-v2.dbc"                          // every bus, or
 *  "dbc": [{"bus": 1, "file": "powertrain-v2.dbc"}, {"bus": 2, "file": "chassis.dbc"}]}
 * </pre>
 *
 * Without {@code dbc} the device's configured mapping is used (after its files changed on disk).
 */
final class RedecodeHandler {
  private final TelemetryQueries queries;

  RedecodeHandler(TelemetryQueries queries) {
    this.queries = queries;
  }

  void handle(RoutingContext ctx) {
    String deviceId = ctx.pathParam("deviceId");
    RedecodeRequest request = parse(deviceId, ctx);
    Future<JsonObject> result = WebVerticle.requireDevice(queries, WebVerticle.tenant(ctx), deviceId)
        .compose(v -> ctx.vertx().eventBus().<RedecodeResult>request(RedecodeVerticle.ADDRESS, request,
            new DeliveryOptions().setLocalOnly(true).setSendTimeout(30 * 60_000)))
        .recover(err -> Future.failedFuture(err instanceof ReplyException re && re.failureCode() == 400
            ? new ApiException(422, "Unprocessable Content", re.getMessage()) : err))
        .map(reply -> {
          RedecodeResult r = reply.body();
          return new JsonObject()
              .put("device_id", deviceId)
              .put("from", r.fromMs()) // later than asked when clipped to the retention horizon
              .put("to", request.toMs())
              .put("messages", r.messages())
              .put("frames", r.frames())
              .put("unknown_frames", r.unknownFrames())
              .put("rows_deleted", r.rowsDeleted())
              .put("rows_written", r.rowsWritten())
              .put("dbc", new JsonObject(new java.util.LinkedHashMap<>(r.dbcVersions())));
        });
    Responses.json(ctx, result);
  }

  private static RedecodeRequest parse(String deviceId, RoutingContext ctx) {
    JsonObject body = Responses.body(ctx, "body: expected {\"from\": …, \"to\": …, \"dbc\": …}");
    long from = time(body, "from");
    long to = time(body, "to");
    if (from >= to) {
      throw ApiException.badRequest("from must be before to");
    }
    return new RedecodeRequest(deviceId, from, to, mappings(body.getValue("dbc")));
  }

  private static long time(JsonObject body, String name) {
    Object v = body.getValue(name);
    if (v == null) {
      throw ApiException.badRequest(name + ": required (epoch milliseconds or ISO-8601)");
    }
    return TimeParam.parse(name, String.valueOf(v));
  }

  private static List<DbcMapping> mappings(Object dbc) {
    List<DbcMapping> out = new ArrayList<>();
    if (dbc == null) {
      return out;
    }
    if (dbc instanceof String file) {
      out.add(new DbcMapping("*", null, file));
      return out;
    }
    if (!(dbc instanceof JsonArray array)) {
      throw ApiException.badRequest("dbc: expected a file name or [{\"bus\": n, \"file\": \"…\"}]");
    }
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof JsonObject m) || m.getString("file") == null) {
        throw ApiException.badRequest("dbc[" + i + "]: expected {\"bus\": n, \"file\": \"…\"}");
      }
      Integer bus = m.getInteger("bus");
      if (bus != null && (bus < 0 || bus > 7)) {
        throw ApiException.badRequest("dbc[" + i + "].bus: must be 0-7");
      }
      out.add(new DbcMapping("*", bus, m.getString("file")));
    }
    return out;
  }
}
