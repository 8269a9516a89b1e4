package io.flexconnect.rules.pipeline;

import io.flexconnect.common.Glob;
import java.util.List;

/** A validated pipeline configuration: immutable, shared by every device and thread. */
public final class CompiledPipelines {

  record Group(String name, Glob devices, List<Stage> stages) {}

  private final List<Group> groups;

  CompiledPipelines(List<Group> groups) {
    this.groups = List.copyOf(groups);
  }

  /** No steps at all: every device passes through unchanged. */
  public static CompiledPipelines empty() {
    return new CompiledPipelines(List.of());
  }

  /**
   * A new pipeline for one device, with fresh deadband and interval state. The caller keeps it for
   * as long as it sees the device's messages (one owner per device; not thread-safe).
   */
  public DevicePipeline newDevicePipeline(String deviceId) {
    for (Group g : groups) {
      if (g.devices().matches(deviceId)) {
        Stage[] stages = new Stage[g.stages().size()];
        for (int i = 0; i < stages.length; i++) {
          stages[i] = g.stages().get(i).forDevice();
        }
        return new DevicePipeline(deviceId, g.name(), stages);
      }
    }
    return new DevicePipeline(deviceId, null, new Stage[0]);
  }
}
