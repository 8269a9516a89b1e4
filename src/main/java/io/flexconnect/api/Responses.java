package io.flexconnect.api;

import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** The JSON request and response plumbing every REST handler shares. */
final class Responses {
  private Responses() {}

  /** Answers with the JSON body, or hands the failure to the router's problem+json handler. */
  static void json(RoutingContext ctx, Future<JsonObject> result) {
    result.onSuccess(body -> ctx.response().putHeader("content-type", "application/json").end(body.encode()))
        .onFailure(ctx::fail);
  }

  /**
   * The request's JSON object body.
   *
   * @param whenMissing the 400 detail for an empty body
   */
  static JsonObject body(RoutingContext ctx, String whenMissing) {
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      throw ApiException.badRequest("body: expected a JSON object");
    }
    if (body == null) {
      throw ApiException.badRequest(whenMissing);
    }
    return body;
  }
}
