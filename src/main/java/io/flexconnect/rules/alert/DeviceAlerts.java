package io.flexconnect.rules.alert;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flexconnect.storage.TelemetryRow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The alert state machines of one device, one per rule that applies to it. Not thread-safe: one
 * owner per device (the verticle or lane the device is partitioned to).
 *
 * <p>Rows that are not numeric, or whose value is NaN, are not evaluated (but count as data for
 * no-data rules). A rule with tags only sees rows whose tags include every configured entry.
 */
public final class DeviceAlerts {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, Object>> TAGS = new TypeReference<>() {};
  private static final RuleMachine[] NONE = new RuleMachine[0];
  /** Most distinct signal names remembered for routing; more are routed without caching. */
  private static final int MAX_ROUTED_SIGNALS = 4096;

  private final String deviceId;
  private final RuleMachine[] machines;
  private final boolean anyTags;
  private final Map<String, RuleMachine[]> bySignal = new HashMap<>();
  private String lastTagsJson;
  private Map<String, Object> lastTags = Map.of();

  DeviceAlerts(String deviceId, RuleMachine[] machines) {
    this.deviceId = deviceId;
    this.machines = machines;
    boolean tags = false;
    for (RuleMachine m : machines) {
      tags |= !m.rule.tags.isEmpty();
    }
    this.anyTags = tags;
  }

  /**
   * Evaluates the rows of one message.
   *
   * @return the transitions, in order; an empty immutable list when there are none
   */
  public List<AlertEvent> onRows(List<TelemetryRow> rows) {
    if (machines.length == 0) {
      return List.of();
    }
    List<AlertEvent> out = null;
    for (int i = 0; i < rows.size(); i++) {
      TelemetryRow r = rows.get(i);
      RuleMachine[] targets = route(r.signal());
      if (targets.length == 0) {
        continue;
      }
      boolean value = r.numeric() && !Double.isNaN(r.value());
      long arrived = r.receivedAtMs() > 0 ? r.receivedAtMs() : r.timestampMs();
      for (RuleMachine m : targets) {
        if ((value || m.rule.noData()) && tagsMatch(m.rule, r.tagsJson())) {
          out = m.onPoint(r.signal(), r.timestampMs(), arrived, r.value(), out);
        }
      }
    }
    return out == null ? List.of() : out;
  }

  /**
   * Advances the clock: no-data rules fire when nothing arrived for their window, and points held
   * for lateness up to {@code nowMs - lateness} are evaluated. {@code nowMs} is the platform clock
   * (the same one as {@link TelemetryRow#receivedAtMs()}); call it every second or so.
   */
  public List<AlertEvent> tick(long nowMs) {
    List<AlertEvent> out = null;
    for (RuleMachine m : machines) {
      out = m.tick(nowMs, out);
    }
    return out == null ? List.of() : out;
  }

  /** Points ignored because they arrived later than the lateness allows, over all rules. */
  public long latePointsIgnored() {
    long n = 0;
    for (RuleMachine m : machines) {
      n += m.lateIgnored;
    }
    return n;
  }

  /** Ids of the rules currently firing. */
  public List<String> firing() {
    List<String> ids = new ArrayList<>();
    for (RuleMachine m : machines) {
      if (m.state == RuleMachine.State.FIRING) {
        ids.add(m.rule.id);
      }
    }
    return ids;
  }

  /**
   * The open incidents whose peak grew since their last transition or the last call, so the stored
   * incident can follow the signal while it lasts; each growth is reported once.
   */
  public List<OpenPeak> takeGrownPeaks() {
    List<OpenPeak> grown = null;
    for (RuleMachine m : machines) {
      double peak = m.takeGrownPeak();
      if (!Double.isNaN(peak)) {
        if (grown == null) {
          grown = new ArrayList<>(2);
        }
        grown.add(new OpenPeak(m.rule.id, deviceId, m.openedAt, peak));
      }
    }
    return grown == null ? List.of() : grown;
  }

  /** The peak so far of the incident of a rule on a device opened at {@code openedAtMs}. */
  public record OpenPeak(String ruleId, String deviceId, long openedAtMs, double peak) {}

  /** Number of rules that apply to this device. */
  public int ruleCount() {
    return machines.length;
  }

  public String deviceId() {
    return deviceId;
  }

  /** The whole state, to persist; see {@link CompiledAlertRules#restore(DeviceAlertsSnapshot)}. */
  public DeviceAlertsSnapshot snapshot() {
    List<DeviceAlertsSnapshot.RuleState> states = new ArrayList<>(machines.length);
    for (RuleMachine m : machines) {
      states.add(m.snapshot());
    }
    return new DeviceAlertsSnapshot(deviceId, states);
  }

  void restore(DeviceAlertsSnapshot snapshot) {
    Map<String, DeviceAlertsSnapshot.RuleState> byId = new HashMap<>();
    for (DeviceAlertsSnapshot.RuleState s : snapshot.rules()) {
      byId.put(s.ruleId(), s);
    }
    for (RuleMachine m : machines) {
      DeviceAlertsSnapshot.RuleState s = byId.get(m.rule.id);
      if (s != null) {
        m.restore(s);
      }
    }
  }

  private RuleMachine[] route(String signal) {
    RuleMachine[] cached = bySignal.get(signal);
    if (cached != null) {
      return cached;
    }
    List<RuleMachine> found = new ArrayList<>();
    for (RuleMachine m : machines) {
      if (m.rule.appliesTo(signal)) {
        found.add(m);
      }
    }
    RuleMachine[] targets = found.isEmpty() ? NONE : found.toArray(NONE);
    if (bySignal.size() < MAX_ROUTED_SIGNALS) {
      bySignal.put(signal, targets);
    }
    return targets;
  }

  private boolean tagsMatch(CompiledRule rule, String tagsJson) {
    if (rule.tags.isEmpty()) {
      return true;
    }
    if (!anyTags) {
      return true;
    }
    Map<String, Object> tags = parsedTags(tagsJson);
    for (Map.Entry<String, String> e : rule.tags.entrySet()) {
      Object v = tags.get(e.getKey());
      if (v == null || !e.getValue().equals(String.valueOf(v))) {
        return false;
      }
    }
    return true;
  }

  private Map<String, Object> parsedTags(String tagsJson) {
    if (tagsJson == null) {
      return Map.of();
    }
    // Consecutive rows of a message usually share their tags text: parse it once.
    if (!tagsJson.equals(lastTagsJson)) {
      Map<String, Object> parsed;
      try {
        parsed = JSON.readValue(tagsJson, TAGS);
      } catch (Exception e) {
        parsed = Map.of();
      }
      lastTagsJson = tagsJson;
      lastTags = parsed == null ? Map.of() : parsed;
    }
    return lastTags;
  }
}
