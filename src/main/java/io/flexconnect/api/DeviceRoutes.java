package io.flexconnect.api;

import io.flexconnect.device.DeviceRegistry.DeviceException;
import io.flexconnect.device.ProvisionedDevice;
import io.flexconnect.device.ProvisioningService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.sqlclient.Pool;

/**
 * Device provisioning over REST:
 * <ul>
 *   <li>{@code POST /api/v1/devices} {@code {"device_id": "...", "tenant_id": "...", "token": "..."}}
 *       ({@code tenant_id} and {@code token} optional) registers the device and answers 201 with its
 *       files ({@code root-CA.crt}, {@code device_cert.pem}, {@code device_key.key}), token, endpoint
 *       and topics as JSON, or as a zip (the three files and {@code device.json}) with
 *       {@code Accept: application/zip} or {@code ?format=zip};</li>
 *   <li>{@code POST /api/v1/devices/{id}/rotate}: a new token and certificate, the same answer; the
 *       old ones stay valid for {@code pki.rotationGraceSeconds};</li>
 *   <li>{@code POST /api/v1/devices/{id}/revoke}: every credential of the device ends now;</li>
 *   <li>{@code GET /api/v1/devices/{id}/credentials}: every credential the device was given, newest
 *       first, with its certificate serial, validity and state (never a token or its hash).</li>
 * </ul>
 * The private key and the token exist only in that one answer ({@code Cache-Control: no-store}).
 * Errors never echo a request body: it may carry a token.
 *
 * <p>A device is provisioned under the tenant of the request's API key; a {@code tenant_id} naming
 * another tenant is refused with 403 (a key acts for its own tenant only). Rotating or revoking
 * another tenant's device is answered 404, as for a device that does not exist. Device ids are one
 * namespace across tenants (they name MQTT topics and certificate CNs), so provisioning an id that
 * another tenant uses is a 409 like any taken id.
 */
public final class DeviceRoutes {
  private static final long MAX_BODY_BYTES = 16 * 1024;

  /** Builds the provisioning service once the web verticle has its pool. */
  @FunctionalInterface
  public interface Provisioning {
    ProvisioningService create(Vertx vertx, Pool pool);
  }

  private final ProvisioningService provisioning;
  private final TelemetryQueries queries;

  DeviceRoutes(ProvisioningService provisioning, TelemetryQueries queries) {
    this.provisioning = provisioning;
    this.queries = queries;
  }

  void mount(Router router) {
    BodyHandler body = BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES);
    router.post("/api/v1/devices").handler(body).handler(this::provision);
    router.post("/api/v1/devices/:deviceId/rotate").handler(this::rotate);
    router.post("/api/v1/devices/:deviceId/revoke").handler(this::revoke);
    router.get("/api/v1/devices/:deviceId/credentials").handler(this::credentials);
  }

  private void provision(RoutingContext ctx) {
    JsonObject request = jsonBody(ctx);
    String deviceId = text(request, "device_id", true);
    String tenantId = text(request, "tenant_id", false);
    String token = text(request, "token", false);
    String keyTenant = WebVerticle.tenant(ctx);
    if (tenantId != null && !tenantId.equals(keyTenant)) {
      throw new ApiException(403, "Forbidden",
          "tenant_id: this API key provisions devices of its own tenant only; leave tenant_id out or use a key of that tenant");
    }
    bundle(ctx, 201, provisioning.provision(deviceId, keyTenant, token));
  }

  private void rotate(RoutingContext ctx) {
    String deviceId = ctx.pathParam("deviceId");
    bundle(ctx, 200, WebVerticle.requireDevice(queries, WebVerticle.tenant(ctx), deviceId)
        .compose(v -> provisioning.rotate(deviceId)));
  }

  private void revoke(RoutingContext ctx) {
    String deviceId = ctx.pathParam("deviceId");
    WebVerticle.requireDevice(queries, WebVerticle.tenant(ctx), deviceId)
        .compose(v -> provisioning.revoke(deviceId))
        .onSuccess(ended -> {
          JsonArray serials = new JsonArray();
          ended.forEach(r -> serials.add(r.serial().toString(16)));
          ctx.response().putHeader("content-type", "application/json")
              .end(new JsonObject().put("device_id", deviceId).put("revoked_certificates", serials).encode());
        })
        .onFailure(err -> ctx.fail(mapped(err)));
  }

  private void credentials(RoutingContext ctx) {
    String deviceId = ctx.pathParam("deviceId");
    Responses.json(ctx, WebVerticle.requireDevice(queries, WebVerticle.tenant(ctx), deviceId)
        .compose(v -> provisioning.credentials(deviceId))
        .map(list -> {
          JsonArray credentials = new JsonArray();
          list.forEach(c -> credentials.add(new JsonObject()
              .put("certificate_serial", c.certSerial())
              .put("created_at", iso(c.createdAt()))
              .put("not_after", iso(c.notAfter()))
              .put("revoked_at", iso(c.revokedAt()))
              .put("state", c.state())));
          return new JsonObject().put("device_id", deviceId).put("credentials", credentials);
        }));
  }

  private static String iso(java.time.Instant t) {
    return t == null ? null : t.toString();
  }

  private static void bundle(RoutingContext ctx, int status, Future<ProvisionedDevice> result) {
    boolean zip = wantsZip(ctx);
    result.onSuccess(device -> {
      ctx.response().setStatusCode(status).putHeader("cache-control", "no-store");
      if (zip) {
        ctx.response().putHeader("content-type", "application/zip")
            .putHeader("content-disposition", "attachment; filename=\"" + device.deviceId() + ".zip\"")
            .end(Buffer.buffer(device.toZip()));
      } else {
        ctx.response().putHeader("content-type", "application/json").end(device.toJson().encode());
      }
    }).onFailure(err -> ctx.fail(mapped(err)));
  }

  private static boolean wantsZip(RoutingContext ctx) {
    String format = ctx.request().getParam("format");
    if (format != null) {
      if (!format.equals("zip") && !format.equals("json")) {
        throw ApiException.badRequest("format: expected 'json' or 'zip', got '" + format + "'");
      }
      return format.equals("zip");
    }
    String accept = ctx.request().getHeader("accept");
    return accept != null && accept.contains("application/zip");
  }

  private static Throwable mapped(Throwable err) {
    if (err instanceof DeviceException device) {
      return switch (device.kind()) {
        case NOT_FOUND -> ApiException.notFound(device.getMessage());
        case CONFLICT -> new ApiException(409, "Conflict", device.getMessage());
        case INVALID -> ApiException.badRequest(device.getMessage());
      };
    }
    return err;
  }

  private static JsonObject jsonBody(RoutingContext ctx) {
    Buffer raw = ctx.body().buffer();
    if (raw == null || raw.length() == 0) {
      throw ApiException.badRequest("body: expected a JSON object with device_id");
    }
    try {
      return new JsonObject(raw);
    } catch (DecodeException | ClassCastException e) {
      // The parser's message may quote the body, which may hold a token: say only where it broke.
    }
    throw ApiException.badRequest("body: not a JSON object");
  }

  private static String text(JsonObject request, String name, boolean required) {
    Object value = request.getValue(name);
    if (value == null) {
      if (required) {
        throw ApiException.badRequest(name + ": required");
      }
      return null;
    }
    if (!(value instanceof String string)) {
      throw ApiException.badRequest(name + ": must be a string");
    }
    return string;
  }
}
