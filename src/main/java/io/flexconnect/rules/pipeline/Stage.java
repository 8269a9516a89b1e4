package io.flexconnect.rules.pipeline;

import io.flexconnect.common.Glob;
import io.flexconnect.storage.TelemetryRow;
import java.util.List;

/**
 * One compiled step. Stateless stages are shared; stateful ones hand each device its own copy
 * through {@link #forDevice()}.
 */
abstract class Stage {

  /** The instance one device uses: {@code this} when the stage holds no state. */
  Stage forDevice() {
    return this;
  }

  /** Appends the rows that survive {@code in} (and any new ones) to {@code out}. */
  abstract void apply(List<TelemetryRow> in, List<TelemetryRow> out);

  /** A set of signal globs; null or empty means every signal. */
  static final class Signals {
    private final Glob[] globs;

    Signals(List<Glob> globs) {
      this.globs = globs.toArray(new Glob[0]);
    }

    boolean matches(String signal) {
      if (globs.length == 0) {
        return true;
      }
      for (Glob g : globs) {
        if (g.matches(signal)) {
          return true;
        }
      }
      return false;
    }
  }

  static TelemetryRow withValue(TelemetryRow r, double value, String unit) {
    return new TelemetryRow(r.deviceId(), r.signal(), r.timestampMs(), true, value, r.text(), r.tagsJson(),
        r.receivedAtMs(), r.source(), unit);
  }
}
