package io.flexconnect.api;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import io.flexconnect.common.Glob;

/**
 * What one live-stream client subscribed to: devices (or {@code *} for all it may see) and signal
 * globs (none = every signal). Mutable, owned by one connection on one event loop.
 */
final class StreamFilter {
  private final Set<String> devices = new HashSet<>();
  private boolean allDevices;
  private final List<String> signalGlobs = new ArrayList<>();
  private final List<Glob> signals = new ArrayList<>();
  private boolean alerts;

  void subscribe(List<String> deviceIds, List<String> signalGlobs) {
    for (String d : deviceIds) {
      if (d.equals("*")) {
        allDevices = true;
      } else {
        devices.add(d);
      }
    }
    for (String glob : signalGlobs) {
      if (!this.signalGlobs.contains(glob)) {
        this.signalGlobs.add(glob);
        signals.add(Glob.of(glob));
      }
    }
  }

  /** Alert transitions of the subscribed devices are sent too. */
  void subscribeAlerts() {
    alerts = true;
  }

  boolean wantsAlerts() {
    return alerts;
  }

  /** Unsubscribes the given devices, or everything when none are given. */
  void unsubscribe(List<String> deviceIds) {
    if (deviceIds.isEmpty()) {
      alerts = false;
      devices.clear();
      allDevices = false;
      signalGlobs.clear();
      signals.clear();
      return;
    }
    for (String d : deviceIds) {
      if (d.equals("*")) {
        allDevices = false;
      } else {
        devices.remove(d);
      }
    }
  }

  /**
   * Whether points of the device are wanted: subscribed by name, or through {@code *} when the
   * device is {@code ofTenant} (of the connection's tenant).
   */
  boolean wantsDevice(String deviceId, boolean ofTenant) {
    return devices.contains(deviceId) || (allDevices && ofTenant);
  }

  boolean wantsSignal(String signal) {
    if (signals.isEmpty()) {
      return true;
    }
    for (Glob g : signals) {
      if (g.matches(signal)) {
        return true;
      }
    }
    return false;
  }

  Set<String> devices() {
    return devices;
  }

  boolean allDevices() {
    return allDevices;
  }

  List<String> signalGlobs() {
    return signalGlobs;
  }

}
