package io.flexconnect.rules.pipeline;

import io.flexconnect.rules.expr.Expression;
import io.flexconnect.rules.expr.SlotValues;
import io.flexconnect.storage.TelemetryRow;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The compiled step kinds. */
final class Stages {

  /**
   * Most signals a stateful step tracks per device; signals beyond it pass through unfiltered
   * (and are counted) instead of growing the state without bound.
   */
  static final int MAX_TRACKED_SIGNALS = 4096;

  private Stages() {}

  static final class Filter extends Stage {
    private final Signals signals;
    private final boolean keepMatching;

    Filter(Signals signals, boolean keepMatching) {
      this.signals = signals;
      this.keepMatching = keepMatching;
    }

    @Override
    void apply(List<TelemetryRow> in, List<TelemetryRow> out) {
      for (int i = 0; i < in.size(); i++) {
        TelemetryRow r = in.get(i);
        if (signals.matches(r.signal()) == keepMatching) {
          out.add(r);
        }
      }
    }
  }

  static final class Rename extends Stage {
    private final String from;
    private final String to;

    Rename(String from, String to) {
      this.from = from;
      this.to = to;
    }

    @Override
    void apply(List<TelemetryRow> in, List<TelemetryRow> out) {
      for (int i = 0; i < in.size(); i++) {
        TelemetryRow r = in.get(i);
        out.add(r.signal().equals(from)
            ? new TelemetryRow(r.deviceId(), to, r.timestampMs(), r.numeric(), r.value(), r.text(), r.tagsJson(),
                r.receivedAtMs(), r.source(), r.unit())
            : r);
      }
    }
  }

  /** Scale and unit conversion: {@code v * factor + offset} on matching numeric rows. */
  static final class Linear extends Stage {
    private final Signals signals;
    private final double factor;
    private final double offset;
    private final String newUnit;
    /** For conversions: the canonical source unit a row must carry (or none); null for scale. */
    private final String requiredUnit;

    Linear(Signals signals, double factor, double offset, String newUnit, String requiredUnit) {
      this.signals = signals;
      this.factor = factor;
      this.offset = offset;
      this.newUnit = newUnit;
      this.requiredUnit = requiredUnit;
    }

    @Override
    void apply(List<TelemetryRow> in, List<TelemetryRow> out) {
      for (int i = 0; i < in.size(); i++) {
        TelemetryRow r = in.get(i);
        if (r.numeric() && signals.matches(r.signal()) && unitFits(r.unit())) {
          out.add(withValue(r, r.value() * factor + offset, newUnit == null ? r.unit() : newUnit));
        } else {
          out.add(r);
        }
      }
    }

    private boolean unitFits(String unit) {
      return requiredUnit == null || unit == null || requiredUnit.equals(Units.canonical(unit));
    }
  }

  /** Last kept point of one signal. */
  static final class Last {
    long timestampMs;
    double value;
  }

  /**
   * Deadband and minimum interval share their shape: per signal, the last kept point decides.
   * A point older than the last kept one of its signal (out of order) passes through and leaves
   * the state alone, so a late point can neither be lost nor rewind the state.
   */
  abstract static class PerSignal extends Stage {
    final Signals signals;
    private final Map<String, Last> last = new HashMap<>();
    long untracked;

    PerSignal(Signals signals) {
      this.signals = signals;
    }

    abstract boolean applies(TelemetryRow r);

    abstract boolean keep(TelemetryRow r, Last last);

    @Override
    void apply(List<TelemetryRow> in, List<TelemetryRow> out) {
      for (int i = 0; i < in.size(); i++) {
        TelemetryRow r = in.get(i);
        if (!applies(r) || !signals.matches(r.signal())) {
          out.add(r);
          continue;
        }
        Last l = last.get(r.signal());
        if (l == null) {
          if (last.size() >= MAX_TRACKED_SIGNALS) {
            untracked++;
            out.add(r);
            continue;
          }
          l = new Last();
          last.put(r.signal(), l);
          remember(l, r);
          out.add(r);
        } else if (r.timestampMs() < l.timestampMs) {
          out.add(r);
        } else if (keep(r, l)) {
          remember(l, r);
          out.add(r);
        }
      }
    }

    private static void remember(Last l, TelemetryRow r) {
      l.timestampMs = r.timestampMs();
      l.value = r.value();
    }
  }

  static final class Deadband extends PerSignal {
    private final double delta;

    Deadband(Signals signals, double delta) {
      super(signals);
      this.delta = delta;
    }

    @Override
    Stage forDevice() {
      return new Deadband(signals, delta);
    }

    @Override
    boolean applies(TelemetryRow r) {
      return r.numeric() && !Double.isNaN(r.value());
    }

    @Override
    boolean keep(TelemetryRow r, Last last) {
      return Math.abs(r.value() - last.value) > delta;
    }
  }

  static final class MinInterval extends PerSignal {
    private final long ms;

    MinInterval(Signals signals, long ms) {
      super(signals);
      this.ms = ms;
    }

    @Override
    Stage forDevice() {
      return new MinInterval(signals, ms);
    }

    @Override
    boolean applies(TelemetryRow r) {
      return true;
    }

    @Override
    boolean keep(TelemetryRow r, Last last) {
      return r.timestampMs() - last.timestampMs >= ms;
    }
  }

  /**
   * A derived signal per timestamp of the message. Its inputs are the numeric rows of that
   * timestamp; when one is missing (or the result is absent) no row is written.
   */
  static final class Derive extends Stage implements SlotValues {
    private final String signal;
    private final Expression expression;
    private final String unit;
    private final Map<String, Integer> slots;
    private final double[] values;
    private long[] seen = new long[4];

    Derive(String signal, Expression expression, String unit) {
      this.signal = signal;
      this.expression = expression;
      this.unit = unit;
      Map<String, Integer> m = new HashMap<>();
      for (int i = 0; i < expression.signals().size(); i++) {
        m.put(expression.signals().get(i), i);
      }
      this.slots = Map.copyOf(m);
      this.values = new double[expression.signals().size()];
    }

    @Override
    Stage forDevice() {
      // The slot array is scratch space: one per device keeps evaluation allocation-free and unshared.
      return new Derive(signal, expression, unit);
    }

    @Override
    public double value(int slot) {
      return values[slot];
    }

    @Override
    void apply(List<TelemetryRow> in, List<TelemetryRow> out) {
      out.addAll(in);
      int points = 0;
      for (int i = 0; i < in.size(); i++) {
        TelemetryRow first = in.get(i);
        long ts = first.timestampMs();
        if (contains(seen, points, ts)) {
          continue;
        }
        if (points == seen.length) {
          seen = Arrays.copyOf(seen, points * 2);
        }
        seen[points++] = ts;
        Arrays.fill(values, Double.NaN);
        for (int j = i; j < in.size(); j++) {
          TelemetryRow r = in.get(j);
          if (r.timestampMs() == ts && r.numeric()) {
            Integer slot = slots.get(r.signal());
            if (slot != null) {
              values[slot] = r.value();
            }
          }
        }
        double v = expression.evaluate(this);
        if (!Expression.isAbsent(v)) {
          out.add(new TelemetryRow(first.deviceId(), signal, ts, true, v, null, first.tagsJson(),
              first.receivedAtMs(), "derived", unit));
        }
      }
    }

    private static boolean contains(long[] a, int n, long v) {
      for (int i = 0; i < n; i++) {
        if (a[i] == v) {
          return true;
        }
      }
      return false;
    }
  }
}
