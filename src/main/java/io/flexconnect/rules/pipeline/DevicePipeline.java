package io.flexconnect.rules.pipeline;

import io.flexconnect.storage.TelemetryRow;
import java.util.ArrayList;
import java.util.List;

/**
 * The processing steps of one device with their state (deadband and interval memory per signal).
 * Not thread-safe: one owner per device, e.g. the verticle or lane the device is partitioned to.
 *
 * <p>Out-of-order points: a point older than the last kept point of its signal passes through
 * unfiltered and does not change the state, so a late point is stored rather than lost and cannot
 * rewind the deadband or interval.
 */
public final class DevicePipeline {

  private final String deviceId;
  private final String group;
  private final Stage[] stages;
  private List<TelemetryRow> a = new ArrayList<>();
  private List<TelemetryRow> b = new ArrayList<>();

  DevicePipeline(String deviceId, String group, Stage[] stages) {
    this.deviceId = deviceId;
    this.group = group;
    this.stages = stages;
  }

  /** The rows of one message after every step, in order; the input is not modified. */
  public List<TelemetryRow> apply(List<TelemetryRow> rows) {
    if (stages.length == 0) {
      return rows;
    }
    List<TelemetryRow> in = rows;
    for (Stage stage : stages) {
      List<TelemetryRow> out = in == a ? b : a;
      out.clear();
      stage.apply(in, out);
      in = out;
      if (in.isEmpty()) {
        break;
      }
    }
    List<TelemetryRow> result = new ArrayList<>(in);
    a.clear();
    b.clear();
    return result;
  }

  /** Points passed through unfiltered because a step already tracked its maximum of signals. */
  public long untrackedSignalPoints() {
    long n = 0;
    for (Stage s : stages) {
      if (s instanceof Stages.PerSignal p) {
        n += p.untracked;
      }
    }
    return n;
  }

  public String deviceId() {
    return deviceId;
  }

  /** The name of the group whose steps apply, or null when none matched. */
  public String group() {
    return group;
  }

  /** Whether any step applies to this device. */
  public boolean isPassThrough() {
    return stages.length == 0;
  }
}
