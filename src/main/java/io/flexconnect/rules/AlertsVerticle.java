package io.flexconnect.rules;

import io.flexconnect.storage.SqlTime;
import io.flexconnect.cluster.ClusterAddresses;
import io.flexconnect.cluster.Ownership;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flexconnect.mqtt.MqttAddresses;
import io.flexconnect.mqtt.OutboundMessage;
import io.flexconnect.rules.alert.AlertCompiler;
import io.flexconnect.rules.alert.AlertConfigException;
import io.flexconnect.rules.alert.AlertEvent;
import io.flexconnect.rules.alert.CompiledAlertRules;
import io.flexconnect.rules.alert.DeviceAlerts;
import io.flexconnect.rules.alert.DeviceAlertsSnapshot;
import io.flexconnect.storage.Database;
import io.flexconnect.storage.DatabaseConfig;
import io.flexconnect.storage.StorageAddresses;
import io.flexconnect.storage.TelemetryBatch;
import io.flexconnect.storage.TelemetryRow;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rule-based alerting on committed telemetry. Each device has its own alert state machines (event
 * time, lateness, hysteresis, {@code for} durations, no-data); every transition is stored in
 * {@code alerts} (one row per incident), published on {@code flexconnect.alerts} and published to
 * MQTT on {@code flexconnect/{device}/alerts}. Evaluating committed rows keeps alerting off the
 * acknowledgement path: a slow rule never delays ingestion. The state machines are saved every few
 * seconds and when the verticle stops, and restored at start, so an incident firing across a
 * restart stays one incident.
 */
public final class AlertsVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(AlertsVerticle.class);

  /** Each alert transition, published as a JSON object. */
  public static final String ALERTS = "flexconnect.alerts";
  /** Alert transitions raised by another member of the cluster, published locally (live streams). */
  public static final String ALERTS_ELSEWHERE = "flexconnect.alerts.elsewhere";

  private static final long TICK_MS = 1000;
  private static final long PERSIST_MS = 5000;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String UPSERT = """
      INSERT INTO alerts (tenant_id, device_id, rule_id, rule_name, severity, state, opened_at, closed_at,
                          peak_value, message)
      VALUES (COALESCE((SELECT tenant_id FROM devices WHERE device_id = $1), 'default'), $1, $2, $2, $3, $4,
              %s, CASE WHEN $4 = 'resolved' THEN %s END, $7, $8)
      ON CONFLICT (rule_id, device_id, opened_at) DO UPDATE SET
        state = EXCLUDED.state, closed_at = EXCLUDED.closed_at, peak_value = EXCLUDED.peak_value,
        message = EXCLUDED.message, severity = EXCLUDED.severity
      """.formatted(SqlTime.param(5), SqlTime.param(6));
  private static final String DELETE_CANCELLED = """
      DELETE FROM alerts WHERE rule_id = $2 AND device_id = $1 AND opened_at = %s AND state = 'pending'
      """.formatted(SqlTime.param(3));
  private static final String SAVE_STATES = """
      INSERT INTO alert_state (device_id, snapshot, updated_at)
      SELECT d, s::jsonb, now() FROM unnest($1::text[], $2::text[]) AS u(d, s)
      ON CONFLICT (device_id) DO UPDATE SET snapshot = EXCLUDED.snapshot, updated_at = EXCLUDED.updated_at
      """;
  private static final String UPDATE_PEAKS = """
      UPDATE alerts a SET peak_value = u.p
      FROM unnest($1::text[], $2::text[], $3::int8[], $4::float8[]) AS u(d, r, o, p)
      WHERE a.device_id = u.d AND a.rule_id = u.r AND a.opened_at = %s AND a.state <> 'resolved'
      """.formatted(SqlTime.fromEpochMs("u.o"));

  /**
   * The rows of devices taken over that their previous owner may not have saved the evaluation of:
   * received since 30 seconds before its last save (commit-to-save lag), or, for a device it never
   * saved (killed within a save interval of its first rows), in the last 5 minutes.
   */
  private static final String REPLAY = """
      SELECT t.device_id, t.signal, (extract(epoch FROM t.ts) * 1000)::int8, t.value, t.value_text, t.tags::text,
             (extract(epoch FROM t.received_at) * 1000)::int8
      FROM telemetry t LEFT JOIN alert_state a ON a.device_id = t.device_id
      WHERE t.device_id = ANY($1)
        AND t.received_at > COALESCE(a.updated_at, now() - interval '5 minutes') - interval '30 seconds'
      ORDER BY t.device_id, t.ts LIMIT 200000
      """;

  private final ProcessingConfig config;
  private final DatabaseConfig database;
  private final Map<String, DeviceAlerts> devices = new HashMap<>();
  private final Set<String> dirty = new HashSet<>();
  /** Device → tenant, for tenant-scoped rules (a device never changes tenant). */
  private final Map<String, String> tenants = new HashMap<>();
  /** Batches are evaluated one after the other, each once its devices' tenants are known. */
  private Future<Void> evaluated = Future.succeededFuture();
  private CompiledAlertRules rules;
  /** Clustered: the devices this member owns now; null owns every device. */
  private Ownership ownership;
  private JsonObject document;
  private Pool pool;

  public AlertsVerticle(ProcessingConfig config, DatabaseConfig database) {
    this.config = config;
    this.database = database;
  }

  @Override
  public Future<?> start() {
    pool = Database.pool(vertx, database, 1);
    return RuleSets.effective(vertx, pool, RuleSets.ALERTS, config.alertsFile()).compose(text -> {
      document = new JsonObject(text);
      rules = compile(text);
      return restoreStates(device -> false);
    }).map(restored -> {
      vertx.eventBus().<TelemetryBatch>localConsumer(StorageAddresses.COMMITTED, msg -> onCommitted(msg.body()));
      vertx.eventBus().localConsumer(RuleSets.DOCUMENT + RuleSets.ALERTS, msg -> msg.reply(document));
      vertx.eventBus().<Ownership>localConsumer(ClusterAddresses.OWNERSHIP, msg -> handOver(msg.body()));
      vertx.eventBus().<JsonObject>consumer(RuleSets.CHANGED, msg -> {
        if (RuleSets.ALERTS.equals(msg.body().getString("kind"))) {
          document = msg.body().getJsonObject("document");
          replaceRules(compile(document.encode()));
        }
      });
      vertx.setPeriodic(TICK_MS, id -> tick());
      vertx.setPeriodic(PERSIST_MS, id -> persist());
      return null;
    });
  }

  @Override
  public Future<?> stop() {
    return pool == null ? Future.succeededFuture() : persist().eventually(pool::close);
  }

  private CompiledAlertRules compile(String document) {
    try {
      CompiledAlertRules compiled = AlertCompiler.compileJson(document);
      log.info("{} alert rules in force", compiled.size());
      return compiled;
    } catch (AlertConfigException e) {
      throw new IllegalStateException((config.alertsFile().isBlank() ? "saved alert rules" : config.alertsFile())
          + ": " + e.getMessage(), e);
    }
  }

  /** New rules keep the state of the rules that stay (an open incident stays open); removed ones end. */
  private void replaceRules(CompiledAlertRules replacement) {
    rules = replacement;
    devices.replaceAll((device, alerts) -> replacement.restore(alerts.snapshot(), tenants.get(device)));
    dirty.addAll(devices.keySet());
  }

  /**
   * Clustered, after a membership change: the state of devices that moved to another member is
   * saved and dropped here; devices that moved here get their state as last saved. Runs between
   * batch evaluations, never during one.
   */
  private void handOver(Ownership next) {
    evaluated = evaluated.compose(v -> {
      Ownership previous = ownership;
      ownership = next;
      Future<Void> saved = persist();
      List<String> lost = devices.keySet().stream().filter(d -> !next.owns(d)).toList();
      lost.forEach(d -> {
        devices.remove(d);
        dirty.remove(d);
      });
      if (!lost.isEmpty()) {
        log.info("Alert state of {} devices handed over to other members", lost.size());
      }
      // A device gained may already hold a fresh machine (a message routed here before this member
      // learnt of the change): the saved state, its history, takes its place.
      // The first table of a member that joins a running cluster gives it devices whose state their
      // previous owners kept: all of its devices count as gained then.
      java.util.function.Predicate<String> gained = d -> previous == null || !previous.owns(d);
      return saved.otherwiseEmpty().compose(s -> restoreStates(gained)).compose(n -> replayGained(gained));
    }).otherwise(err -> {
      log.warn("Alerts: hand-over after a membership change failed: {}", err.toString());
      return null;
    });
  }

  /**
   * Brings back the state machines of the devices this member owns and does not hold yet, as they
   * were at the last save: every device at start, the devices that moved here after a hand-over.
   */
  private Future<Integer> restoreStates(java.util.function.Predicate<String> replace) {
    return pool.query("SELECT a.device_id, a.snapshot::text, d.tenant_id FROM alert_state a "
        + "LEFT JOIN devices d ON d.device_id = a.device_id").execute().map(rows -> {
      int restored = 0;
      for (Row row : rows) {
        String device = row.getString(0);
        if ((devices.containsKey(device) && !replace.test(device)) || (ownership != null && !ownership.owns(device))) {
          continue;
        }
        try {
          DeviceAlertsSnapshot snapshot = JSON.readValue(row.getString(1), DeviceAlertsSnapshot.class);
          tenants.put(row.getString(0), row.getString(2) == null ? "" : row.getString(2));
          devices.put(row.getString(0), rules.restore(snapshot, row.getString(2)));
          restored++;
        } catch (Exception e) {
          log.warn("Alert state of device '{}' not restored: {}", row.getString(0), e.getMessage());
        }
      }
      if (restored > 0) {
        log.info("Alert state of {} devices restored", restored);
      }
      return restored;
    });
  }

  /**
   * Saves the state of the devices that changed since the last save and, in the same transaction,
   * the grown peaks of their open incidents: a stored incident follows its signal within one save
   * interval, at one statement per save however often the peak grows.
   */
  private Future<Void> persist() {
    if (dirty.isEmpty()) {
      return Future.succeededFuture();
    }
    List<String> ids = new ArrayList<>(dirty);
    dirty.clear();
    String[] snapshots = new String[ids.size()];
    List<DeviceAlerts.OpenPeak> peaks = new ArrayList<>();
    try {
      for (int i = 0; i < ids.size(); i++) {
        DeviceAlerts alerts = devices.get(ids.get(i));
        snapshots[i] = JSON.writeValueAsString(alerts.snapshot());
        peaks.addAll(alerts.takeGrownPeaks());
      }
    } catch (Exception e) {
      dirty.addAll(ids);
      return Future.failedFuture(e);
    }
    return pool.withTransaction(conn -> conn.preparedQuery(SAVE_STATES)
            .execute(Tuple.tuple().addValue(ids.toArray(new String[0])).addValue(snapshots))
            .compose(r -> peaks.isEmpty() ? Future.succeededFuture() : conn.preparedQuery(UPDATE_PEAKS).execute(peakColumns(peaks))))
        .<Void>mapEmpty()
        .onFailure(err -> {
          dirty.addAll(ids); // again with the next save (a peak is saved again when it grows or closes)
          log.warn("Alert state not saved: {}", err.getMessage());
        });
  }

  private static Tuple peakColumns(List<DeviceAlerts.OpenPeak> peaks) {
    String[] devices = new String[peaks.size()];
    String[] rules = new String[peaks.size()];
    Long[] opened = new Long[peaks.size()];
    Double[] values = new Double[peaks.size()];
    for (int i = 0; i < peaks.size(); i++) {
      DeviceAlerts.OpenPeak p = peaks.get(i);
      devices[i] = p.deviceId();
      rules[i] = p.ruleId();
      opened[i] = p.openedAtMs();
      values[i] = Double.isFinite(p.peak()) ? p.peak() : null;
    }
    return Tuple.tuple().addValue(devices).addValue(rules).addValue(opened).addValue(values);
  }

  private void onCommitted(TelemetryBatch batch) {
    if (rules.size() == 0) {
      return; // nothing to evaluate: no grouping, no machines, no state to save (rules added later start fresh)
    }
    Map<String, List<TelemetryRow>> byDevice = new LinkedHashMap<>();
    for (TelemetryRow row : batch.rows()) {
      byDevice.computeIfAbsent(row.deviceId(), d -> new ArrayList<>()).add(row);
    }
    evaluated = evaluated.compose(v -> resolveTenants(byDevice.keySet())).map(v -> {
      byDevice.forEach((device, rows) -> {
        if (ownership != null && !ownership.owns(device)) {
          return; // committed here just before the device moved: its new owner evaluates it from storage
        }
        dirty.add(device);
        DeviceAlerts alerts = devices.computeIfAbsent(device, d -> rules.newDeviceAlerts(d, tenants.get(d)));
        emit(alerts.onRows(rows));
      });
      return (Void) null;
    }).otherwise(err -> {
      log.warn("Alerts: a batch could not be evaluated: {}", err.toString());
      return null;
    });
  }

  /**
   * The state saved by a device's previous owner can be up to one save interval old (older still
   * when that owner was killed): the rows it committed since are evaluated here again from the
   * database. Points already evaluated are recognised by the machines (older than what they
   * processed) or give the same transitions again, which the incidents' key stores once. A device
   * whose previous owner never saved its state (killed within a save interval of its first rows)
   * starts from a fresh machine and all its recent rows: every registered device is a candidate.
   */
  private Future<Void> replayGained(java.util.function.Predicate<String> gained) {
    return pool.query("SELECT device_id, tenant_id FROM devices").execute().compose(registered -> {
      List<String> ids = new ArrayList<>();
      for (Row row : registered) {
        String device = row.getString(0);
        if (gained.test(device) && (ownership == null || ownership.owns(device))) {
          ids.add(device);
          tenants.putIfAbsent(device, row.getString(1) == null ? "" : row.getString(1));
        }
      }
      return ids.isEmpty() ? Future.succeededFuture() : replay(ids);
    });
  }

  private Future<Void> replay(List<String> ids) {
    return pool.preparedQuery(REPLAY).execute(Tuple.tuple().addValue(ids.toArray(new String[0]))).map(rows -> {
      Map<String, List<TelemetryRow>> byDevice = new LinkedHashMap<>();
      for (Row r : rows) {
        Double value = r.getDouble(3);
        String text = r.getString(4);
        TelemetryRow row = new TelemetryRow(r.getString(0), r.getString(1), r.getLong(2), value != null,
            value == null ? Double.NaN : value, text, r.getString(5), r.getLong(6), null, null);
        byDevice.computeIfAbsent(row.deviceId(), d -> new ArrayList<>()).add(row);
      }
      byDevice.forEach((device, list) -> {
        dirty.add(device);
        emit(devices.computeIfAbsent(device, d -> rules.newDeviceAlerts(d, tenants.get(d))).onRows(list));
      });
      log.info("Alert state of {} devices taken over; {} committed rows since their last save evaluated again",
          byDevice.size(), rows.size());
      return (Void) null;
    });
  }

  /** Looks up the tenants of devices seen for the first time. */
  private Future<Void> resolveTenants(Set<String> seen) {
    List<String> missing = new ArrayList<>();
    for (String device : seen) {
      if (!tenants.containsKey(device)) {
        missing.add(device);
      }
    }
    if (missing.isEmpty()) {
      return Future.succeededFuture();
    }
    return pool.preparedQuery("SELECT device_id, tenant_id FROM devices WHERE device_id = ANY($1)")
        .execute(Tuple.tuple().addValue(missing.toArray(new String[0])))
        .map(rows -> {
          missing.forEach(d -> tenants.put(d, ""));
          rows.forEach(row -> tenants.put(row.getString(0), row.getString(1)));
          return (Void) null;
        });
  }

  private void tick() {
    long now = System.currentTimeMillis();
    for (DeviceAlerts alerts : devices.values()) {
      List<AlertEvent> events = alerts.tick(now);
      if (!events.isEmpty()) {
        dirty.add(alerts.deviceId());
        emit(events);
      }
    }
  }

  private void emit(List<AlertEvent> events) {
    for (AlertEvent event : events) {
      store(event).onSuccess(v -> publish(event))
          .onFailure(err -> log.warn("Alert {} of device '{}' not stored: {}", event.ruleId(), event.deviceId(),
              err.getMessage()));
    }
  }

  private Future<Void> store(AlertEvent e) {
    if (e.kind() == AlertEvent.Kind.CANCELLED) {
      return pool.preparedQuery(DELETE_CANCELLED).execute(Tuple.of(e.deviceId(), e.ruleId(), e.openedAtMs())).mapEmpty();
    }
    String state = switch (e.kind()) {
      case PENDING -> "pending";
      case FIRING -> "firing";
      default -> "resolved";
    };
    return pool.preparedQuery(UPSERT).execute(Tuple.of(e.deviceId(), e.ruleId(), e.severity(), state,
        e.openedAtMs(), e.atMs(), Double.isFinite(e.peak()) ? e.peak() : null, e.message())).mapEmpty();
  }

  private void publish(AlertEvent e) {
    JsonObject json = toJson(e);
    vertx.eventBus().publish(ALERTS, json);
    OutboundMessage mqtt = new OutboundMessage("flexconnect/" + e.deviceId() + "/alerts",
        json.encode().getBytes(StandardCharsets.UTF_8));
    vertx.eventBus().request(MqttAddresses.PUBLISH, mqtt, new DeliveryOptions().setLocalOnly(true))
        .onFailure(err -> log.debug("Alert not published to MQTT: {}", err.getMessage()));
  }

  public static JsonObject toJson(AlertEvent e) {
    return new JsonObject()
        .put("type", "alert")
        .put("state", e.kind().name().toLowerCase())
        .put("rule_id", e.ruleId())
        .put("device_id", e.deviceId())
        .put("signal", e.signal())
        .put("severity", e.severity())
        .put("message", e.message())
        .put("at", e.atMs())
        .put("opened_at", e.openedAtMs())
        .put("value", Double.isFinite(e.value()) ? e.value() : null)
        .put("peak", Double.isFinite(e.peak()) ? e.peak() : null)
        .put("threshold", e.threshold());
  }
}
