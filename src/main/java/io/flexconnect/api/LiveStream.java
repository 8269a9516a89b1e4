package io.flexconnect.api;

import io.flexconnect.auth.ApiPrincipal;
import io.flexconnect.rules.AlertsVerticle;
import io.flexconnect.storage.StorageAddresses;
import io.flexconnect.storage.TelemetryBatch;
import io.flexconnect.storage.TelemetryRow;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/v1/stream}: committed points pushed to WebSocket clients as they are stored.
 *
 * <pre>
 * → {"op": "subscribe", "devices": ["demo-0001"], "signals": ["EngineData.*"], "since": "2021-06-01T00:00:00Z"}
 * ← {"type": "subscribed", ...}
 * ← {"type": "points", "device_id": "demo-0001", "points": [{"signal", "timestamp", "value", "label"?, "tags",
 *                                                           "late"?: true}], "replay"?: true}
 * → {"op": "subscribe", "devices": ["demo-0001"], "alerts": true}   (alert transitions too)
 * ← {"type": "alert", "state": "firing", "rule_id", "device_id", "signal", "severity", "message", ...}
 * ← {"type": "lagged", "missed": 120}        (points messages are split to stay under 64 KB)
 * → {"op": "unsubscribe", "devices": ["demo-0001"]}      (no devices: everything)
 * </pre>
 *
 * A slow client never slows ingestion or grows memory: each connection has a bounded write queue,
 * points that do not fit are dropped and counted, and the client is told how many it missed as
 * soon as it reads again. With {@code since}, a reconnecting client first receives what it missed
 * from storage (bounded), then live points. Points older than one the client already got for the
 * same signal are flagged {@code late}.
 *
 * <p>Each connection acts for the tenant of the API key it was opened with: it may subscribe only
 * to that tenant's devices (another tenant's device gets the same error as an unknown one, and the
 * whole subscribe message is refused), and {@code "*"} means every device of that tenant. The
 * tenant of each device that appears in a committed batch is looked up once and cached (a device
 * never changes tenant); while a lookup is under way, later batches wait behind it so every client
 * still sees a device's points in commit order. Keys are checked again every
 * {@value #KEY_CHECK_MS} ms: a connection whose key was revoked is told so and closed (1008).
 */
final class LiveStream {
  private static final Logger log = LoggerFactory.getLogger(LiveStream.class);
  private static final int MAX_TRACKED_SIGNALS = 10_000;
  private static final int REPLAY_CHUNK = 500;
  /** Points messages stay below this size (characters), well under common client frame limits. */
  private static final int MAX_MESSAGE_CHARS = 60_000;
  static final long KEY_CHECK_MS = 5_000;
  /** Requests of one client waiting for a tenant check; beyond it requests are refused, not queued. */
  static final int MAX_PENDING_REQUESTS = 16;
  /** Devices one subscribe message may name (each is checked against the tenant in one query). */
  static final int MAX_DEVICES_PER_SUBSCRIBE = 1000;
  /** Device → tenant entries kept; beyond it the cache starts over (lookups are one indexed query per batch). */
  private static final int MAX_CACHED_TENANTS = 100_000;

  private final Vertx vertx;
  private final TelemetryQueries queries;
  private final Function<Collection<String>, Future<Set<String>>> inactiveKeys;
  private final int queueBytes;
  private final int maxReplayRows;
  private final Set<Client> clients = new HashSet<>();
  private final Map<String, String> tenantOf = new HashMap<>();
  /** Completes when every batch committed so far has been handed to the clients. */
  private Future<Void> delivered = Future.succeededFuture();
  private MessageConsumer<TelemetryBatch> consumer;

  /**
   * @param inactiveKeys which of the given API key ids are no longer accepted (revoked)
   */
  LiveStream(Vertx vertx, TelemetryQueries queries, Function<Collection<String>, Future<Set<String>>> inactiveKeys,
      int queueBytes, int maxReplayRows) {
    this.vertx = vertx;
    this.queries = queries;
    this.inactiveKeys = inactiveKeys;
    this.queueBytes = queueBytes;
    this.maxReplayRows = maxReplayRows;
  }

  void start() {
    consumer = vertx.eventBus().localConsumer(StorageAddresses.COMMITTED, msg -> publish(msg.body()));
    vertx.eventBus().<JsonObject>localConsumer(AlertsVerticle.ALERTS, msg -> publishAlert(msg.body()));
    // Clustered: what the other members commit and raise reaches this member's clients too.
    vertx.eventBus().<TelemetryBatch>localConsumer(StorageAddresses.COMMITTED_ELSEWHERE, msg -> publish(msg.body()));
    vertx.eventBus().<JsonObject>localConsumer(AlertsVerticle.ALERTS_ELSEWHERE, msg -> publishAlert(msg.body()));
    vertx.setPeriodic(KEY_CHECK_MS, id -> closeRevoked());
  }

  /** Closes the connections whose API key was revoked since they were opened. */
  private void closeRevoked() {
    if (clients.isEmpty()) {
      return;
    }
    Set<String> keyIds = new HashSet<>();
    clients.forEach(c -> keyIds.add(c.principal.keyId()));
    inactiveKeys.apply(keyIds).onSuccess(revoked -> {
      for (Client client : List.copyOf(clients)) {
        if (revoked.contains(client.principal.keyId())) {
          client.error("the API key of this connection was revoked");
          client.ws.close((short) 1008, "API key revoked");
          clients.remove(client);
        }
      }
    }).onFailure(err -> log.warn("Live stream: could not check the API keys of {} connections: {}", clients.size(),
        err.getMessage()));
  }

  /** Serves a connection for the tenant of the API key it was opened with. */
  void accept(ServerWebSocket ws, ApiPrincipal principal) {
    ws.setWriteQueueMaxSize(queueBytes);
    Client client = new Client(ws, principal);
    clients.add(client);
    ws.textMessageHandler(client::onText);
    ws.drainHandler(v -> client.flushLagged());
    ws.closeHandler(v -> clients.remove(client));
    ws.exceptionHandler(err -> log.debug("stream client error: {}", err.getMessage()));
  }

  int clientCount() {
    return clients.size();
  }

  private void publish(TelemetryBatch batch) {
    if (clients.isEmpty()) {
      return;
    }
    // Group once per batch by device; each client then filters its devices and signals.
    Map<String, List<TelemetryRow>> byDevice = new HashMap<>();
    for (TelemetryRow row : batch.rows()) {
      byDevice.computeIfAbsent(row.deviceId(), d -> new ArrayList<>()).add(row);
    }
    boolean anyWildcard = false;
    for (Client client : clients) {
      anyWildcard |= client.filter.allDevices();
    }
    // Explicit subscriptions were checked against the tenant when made: only "*" needs the tenants.
    boolean lookup = anyWildcard;
    delivered = delivered
        .compose(v -> lookup ? resolveTenants(byDevice.keySet()) : Future.<Void>succeededFuture())
        .map(v -> {
          deliver(byDevice);
          return (Void) null;
        })
        .otherwise(err -> {
          log.warn("Live stream: a batch could not be delivered: {}", err.toString());
          return null;
        });
  }

  /** An alert transition, to the clients that subscribed to alerts of its device (in order with points). */
  private void publishAlert(JsonObject alert) {
    if (clients.isEmpty()) {
      return;
    }
    String device = alert.getString("device_id");
    delivered = delivered
        .compose(v -> resolveTenants(Set.of(device)))
        .map(v -> {
          for (Client client : clients) {
            client.sendAlert(device, tenantOf.get(device), alert);
          }
          return (Void) null;
        })
        .otherwise(err -> {
          log.warn("Live stream: an alert could not be delivered: {}", err.toString());
          return null;
        });
  }

  private void deliver(Map<String, List<TelemetryRow>> byDevice) {
    for (Client client : clients) {
      byDevice.forEach((device, rows) -> client.send(device, tenantOf.get(device), rows, false));
    }
  }

  /** Looks up the tenants of devices not cached yet; never fails (an unknown tenant matches no wildcard). */
  private Future<Void> resolveTenants(Set<String> devices) {
    List<String> missing = new ArrayList<>();
    for (String device : devices) {
      if (!tenantOf.containsKey(device)) {
        missing.add(device);
      }
    }
    if (missing.isEmpty()) {
      return Future.succeededFuture();
    }
    return queries.tenantsOf(missing).map(found -> {
      if (tenantOf.size() + found.size() > MAX_CACHED_TENANTS) {
        tenantOf.clear();
      }
      tenantOf.putAll(found);
      return (Void) null;
    }).otherwise(err -> {
      log.warn("Live stream: could not look up the tenants of {} devices ({}); their points reach explicit"
          + " subscribers only", missing.size(), err.getMessage());
      return null;
    });
  }

  static JsonObject point(TelemetryRow row) {
    JsonObject p = new JsonObject().put("signal", row.signal()).put("timestamp", row.timestampMs());
    if (row.numeric()) {
      p.put("value", Double.isFinite(row.value()) ? row.value() : null);
      if (row.text() != null) {
        p.put("label", row.text());
      }
    } else {
      p.put("value", row.text());
    }
    p.put("tags", row.tagsJson() == null ? new JsonObject() : new JsonObject(row.tagsJson()));
    return p;
  }

  private final class Client {
    private final ServerWebSocket ws;
    private final ApiPrincipal principal;
    private final String tenantId;
    private final StreamFilter filter = new StreamFilter();
    private final Map<String, Long> lastSent = new HashMap<>();
    private long missed;
    /** Requests are handled one after the other: a subscribe waits for its tenant check. */
    private Future<Void> handled = Future.succeededFuture();
    private int pending;

    Client(ServerWebSocket ws, ApiPrincipal principal) {
      this.ws = ws;
      this.principal = principal;
      this.tenantId = principal.tenantId();
    }

    void onText(String text) {
      if (pending >= MAX_PENDING_REQUESTS) {
        error("too many requests waiting: send the next one after the answer to the previous ones");
        return;
      }
      pending++;
      handled = handled.compose(v -> handle(text)).recover(err -> {
        log.warn("Live stream: a request failed: {}", err.toString());
        error("the request could not be completed");
        return Future.succeededFuture();
      }).andThen(ar -> pending--);
    }

    private Future<Void> handle(String text) {
      JsonObject request;
      try {
        request = new JsonObject(text);
      } catch (DecodeException | ClassCastException e) {
        error("expected a JSON object such as {\"op\":\"subscribe\",\"devices\":[\"my-device\"]}");
        return Future.succeededFuture();
      }
      String op = request.getValue("op") instanceof String s ? s : "";
      List<String> devices = strings(request.getValue("devices"));
      List<String> signals = strings(request.getValue("signals"));
      if (devices == null || signals == null) {
        error("devices and signals must be arrays of strings");
        return Future.succeededFuture();
      }
      switch (op) {
        case "subscribe" -> {
          return subscribe(request, devices, signals);
        }
        case "unsubscribe" -> {
          filter.unsubscribe(devices);
          write(new JsonObject().put("type", "unsubscribed").put("devices", new JsonArray(devices)));
        }
        default -> error("op must be 'subscribe' or 'unsubscribe', got '" + op + "'");
      }
      return Future.succeededFuture();
    }

    private Future<Void> subscribe(JsonObject request, List<String> devices, List<String> signals) {
      Long since;
      try {
        Object value = request.getValue("since");
        since = value == null ? null : TimeParam.parse("since", String.valueOf(value));
      } catch (ApiException e) {
        error(e.getMessage());
        return Future.succeededFuture();
      }
      if (devices.isEmpty()) {
        error("devices: name at least one device, or \"*\"");
        return Future.succeededFuture();
      }
      if (devices.size() > MAX_DEVICES_PER_SUBSCRIBE) {
        error("devices: at most " + MAX_DEVICES_PER_SUBSCRIBE + " per message (\"*\" means all of yours)");
        return Future.succeededFuture();
      }
      List<String> named = devices.stream().filter(d -> !d.equals("*")).distinct().toList();
      Future<Set<String>> mine = named.isEmpty()
          ? Future.succeededFuture(Set.of())
          : queries.devicesOfTenant(tenantId, named);
      return mine.map(owned -> {
        List<String> unknown = named.stream().filter(d -> !owned.contains(d)).toList();
        if (!unknown.isEmpty()) {
          // The wording of the REST API's 404: another tenant's device looks like no device at all.
          error("no device " + String.join(", ", unknown.stream().map(d -> "'" + d + "'").toList())
              + "; nothing was subscribed");
          return null;
        }
        try {
          filter.subscribe(devices, signals);
        } catch (IllegalArgumentException e) {
          error("signals: " + e.getMessage());
          return null;
        }
        if (Boolean.TRUE.equals(request.getBoolean("alerts"))) {
          filter.subscribeAlerts();
        }
        subscribed(devices, since);
        return null;
      });
    }

    void sendAlert(String device, String deviceTenant, JsonObject alert) {
      if (filter.wantsAlerts() && filter.wantsDevice(device, tenantId.equals(deviceTenant))) {
        write(alert);
      }
    }

    private void subscribed(List<String> devices, Long since) {
      write(new JsonObject().put("type", "subscribed").put("devices", new JsonArray(devices))
          .put("signals", new JsonArray(filter.signalGlobs())).put("alerts", filter.wantsAlerts()));
      if (since != null) {
        for (String device : devices) {
          if (!device.equals("*")) {
            replay(device, since);
          }
        }
      }
    }

    /** Sends what storage holds since {@code since}, oldest first, bounded. */
    private void replay(String device, long since) {
      queries.rowsSince(device, since, maxReplayRows).onSuccess(rows -> {
        List<TelemetryRow> wanted = new ArrayList<>();
        for (TelemetryRow row : rows) {
          if (filter.wantsSignal(row.signal())) {
            wanted.add(row);
          }
        }
        for (int i = 0; i < wanted.size(); i += REPLAY_CHUNK) {
          send(device, tenantId, wanted.subList(i, Math.min(wanted.size(), i + REPLAY_CHUNK)), true);
        }
      }).onFailure(err -> error("replay failed: " + err.getMessage()));
    }

    /**
     * Sends a device's rows if the client subscribed to it: by name (checked to be the tenant's at
     * subscription), or through {@code "*"} when {@code deviceTenant} is the client's.
     */
    void send(String device, String deviceTenant, List<TelemetryRow> rows, boolean replay) {
      if (!filter.wantsDevice(device, tenantId.equals(deviceTenant))) {
        return;
      }
      String head = new JsonObject().put("type", "points").put("device_id", device).encode();
      String prefix = head.substring(0, head.length() - 1) + (replay ? ",\"replay\":true" : "") + ",\"points\":[";
      StringBuilder chunk = new StringBuilder(prefix);
      int inChunk = 0;
      for (TelemetryRow row : rows) {
        if (!filter.wantsSignal(row.signal())) {
          continue;
        }
        JsonObject p = point(row);
        String key = device + '\u0000' + row.signal();
        Long last = lastSent.get(key);
        if (last != null && row.timestampMs() < last) {
          p.put("late", true);
        } else if (lastSent.size() < MAX_TRACKED_SIGNALS || last != null) {
          lastSent.put(key, row.timestampMs());
        }
        if (inChunk > 0) {
          chunk.append(',');
        }
        chunk.append(p.encode());
        inChunk++;
        if (chunk.length() >= MAX_MESSAGE_CHARS) {
          deliver(chunk.append("]}").toString(), inChunk);
          chunk.setLength(0);
          chunk.append(prefix);
          inChunk = 0;
        }
      }
      if (inChunk > 0) {
        deliver(chunk.append("]}").toString(), inChunk);
      }
    }

    /** Writes one points message, or counts its points as missed while the client's queue is full. */
    private void deliver(String message, int points) {
      if (ws.writeQueueFull()) {
        missed += points;
        return;
      }
      flushLagged();
      if (!ws.isClosed()) {
        ws.writeTextMessage(message);
      }
    }

    void flushLagged() {
      if (missed > 0 && !ws.writeQueueFull()) {
        write(new JsonObject().put("type", "lagged").put("missed", missed));
        missed = 0;
      }
    }

    private void error(String detail) {
      write(new JsonObject().put("type", "error").put("detail", detail));
    }

    private void write(JsonObject message) {
      if (!ws.isClosed()) {
        ws.writeTextMessage(message.encode());
      }
    }
  }

  /** A JSON array of strings as a list; absent = empty; anything else = null. */
  private static List<String> strings(Object value) {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array)) {
      return null;
    }
    List<String> out = new ArrayList<>(array.size());
    for (Object o : array) {
      if (!(o instanceof String s)) {
        return null;
      }
      out.add(s);
    }
    return out;
  }
}
