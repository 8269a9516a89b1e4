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

  /** Fresh state machines for a device whose tenant is not known: tenant-scoped rules do not apply. */
  public DeviceAlerts newDeviceAlerts(String deviceId) {
    return newDeviceAlerts(deviceId, null);
  }

  /** Fresh state machines (all {@code OK}) for the rules whose scope covers the device. */
  public DeviceAlerts newDeviceAlerts(String deviceId, String tenantId) {
    List<RuleMachine> machines = new ArrayList<>();
    for (CompiledRule r : rules) {
      if (r.covers(deviceId, tenantId)) {
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
    return restore(snapshot, null);
  }

  /** {@link #restore(DeviceAlertsSnapshot)} for a device of a known tenant. */
  public DeviceAlerts restore(DeviceAlertsSnapshot snapshot, String tenantId) {
    DeviceAlerts alerts = newDeviceAlerts(snapshot.deviceId(), tenantId);
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
