package io.flexconnect.rules.alert;

import java.util.ArrayList;
import java.util.List;

/** Validated alert rules: immutable, shared by every device and thread. */
public final class CompiledAlertRules {

  private final List<CompiledRule> rules;
  private final long latenessMs;

  CompiledAlertRules(List<CompiledRule> rules, long latenessMs) {
    this.rules = List.copyOf(rules);
    this.latenessMs = latenessMs;
  }

  /** Fresh state machines (all {@code OK}) for the rules whose device glob matches {@code deviceId}. */
  public DeviceAlerts newDeviceAlerts(String deviceId) {
    List<RuleMachine> machines = new ArrayList<>();
    for (CompiledRule r : rules) {
      if (r.devices.matches(deviceId)) {
        machines.add(new RuleMachine(r, deviceId, latenessMs));
      }
    }
    return new DeviceAlerts(deviceId, machines.toArray(new RuleMachine[0]));
  }

  /**
   * The state of a device as it was snapshotted, for the current rules: rules no longer configured
   * are dropped, new ones start at {@code OK}; an incident firing before the restart stays one
   * incident (no second {@code FIRING}).
   */
  public DeviceAlerts restore(DeviceAlertsSnapshot snapshot) {
    DeviceAlerts alerts = newDeviceAlerts(snapshot.deviceId());
    alerts.restore(snapshot);
    return alerts;
  }

  public long latenessMs() {
    return latenessMs;
  }

  public int size() {
    return rules.size();
  }
}
