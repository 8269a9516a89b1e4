package io.flexconnect.rules.alert;

import io.flexconnect.rules.alert.AlertEvent.Kind;
import io.flexconnect.rules.alert.DeviceAlertsSnapshot.Sample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The state machine of one rule on one device: {@code OK -> PENDING -> FIRING -> OK}, in event time.
 *
 * <p>Ordering: a point older than {@code watermark - lateness} (watermark = newest point seen) or
 * older than the last evaluated point is ignored and counted. Other points wait in a small sorted
 * buffer until the watermark has moved {@code lateness} past them, and are evaluated in timestamp
 * order; so the outcome does not depend on arrival order within the lateness, at the price of
 * deciding {@code lateness} (event time) later. {@code tick(now)} releases what the buffer holds
 * up to {@code now - lateness}, so an idle device's last points are still evaluated.
 */
final class RuleMachine {

  enum State { OK, PENDING, FIRING }

  /** Most points held back per rule and device; beyond it the oldest is evaluated early. */
  static final int MAX_BUFFERED = 1024;
  /** Most points of rate history; beyond it the window is effectively shortened. */
  static final int MAX_HISTORY = 1024;

  final CompiledRule rule;
  private final String deviceId;
  private final long lateness;

  State state = State.OK;
  long watermark = Long.MIN_VALUE;
  long processed = Long.MIN_VALUE;
  long openedAt;
  long firedAt;
  double peak = Double.NaN;
  /** No-data rules: arrival time of the newest point, MIN_VALUE before the first point or tick. */
  long lastSeen = Long.MIN_VALUE;
  long lateIgnored;
  String lastSignal;

  // Points waiting for the lateness window, sorted by time.
  private long[] bufT = new long[0];
  private double[] bufV = new double[0];
  private int bufN;

  // Rate history, oldest first.
  private long[] histT = new long[0];
  private double[] histV = new double[0];
  private int histN;

  RuleMachine(CompiledRule rule, String deviceId, long lateness) {
    this.rule = rule;
    this.deviceId = deviceId;
    this.lateness = rule.noData() ? 0 : lateness;
    this.lastSignal = rule.signal;
  }

  /** A point of the rule's signal; transitions are appended to {@code out} (created when needed). */
  List<AlertEvent> onPoint(String signal, long t, long arrivedAt, double v, List<AlertEvent> out) {
    lastSignal = signal;
    if (rule.noData()) {
      return onData(arrivedAt, out);
    }
    if (watermark != Long.MIN_VALUE && (t < watermark - lateness || t < processed)) {
      lateIgnored++;
      return out;
    }
    if (t > watermark) {
      watermark = t;
    }
    if (lateness == 0 && bufN == 0) {
      return evaluate(t, v, out);
    }
    out = buffer(t, v, out);
    return release(watermark - lateness, out);
  }

  /** The clock: no-data rules fire here, others release buffered points of an idle device. */
  List<AlertEvent> tick(long now, List<AlertEvent> out) {
    if (!rule.noData()) {
      return bufN == 0 ? out : release(now - lateness, out);
    }
    if (lastSeen == Long.MIN_VALUE) {
      // Nothing heard since this state began: the silence is measured from the first tick.
      lastSeen = now;
      return out;
    }
    long silence = now - lastSeen;
    if (silence < rule.when.windowMs) {
      return out;
    }
    double seconds = silence / 1000.0;
    long condStart = lastSeen + rule.when.windowMs;
    if (state == State.OK) {
      openedAt = condStart;
      peak = seconds;
      if (rule.forMs > 0) {
        state = State.PENDING;
        out = emit(out, Kind.PENDING, now, seconds);
      }
    } else {
      peak = Math.max(peak, seconds);
    }
    if (state != State.FIRING && now - condStart >= rule.forMs) {
      state = State.FIRING;
      firedAt = now;
      out = emit(out, Kind.FIRING, now, seconds);
    }
    return out;
  }

  private List<AlertEvent> onData(long arrivedAt, List<AlertEvent> out) {
    if (lastSeen != Long.MIN_VALUE && arrivedAt <= lastSeen) {
      return out;
    }
    lastSeen = arrivedAt;
    if (state == State.FIRING) {
      out = emit(out, Kind.RESOLVED, arrivedAt, Double.NaN);
      reset();
    } else if (state == State.PENDING) {
      out = emit(out, Kind.CANCELLED, arrivedAt, Double.NaN);
      reset();
    }
    return out;
  }

  private List<AlertEvent> buffer(long t, double v, List<AlertEvent> out) {
    if (bufN == bufT.length) {
      if (bufN == MAX_BUFFERED) {
        // Full: evaluate the oldest now rather than grow without bound.
        long t0 = bufT[0];
        double v0 = bufV[0];
        removeFirstBuffered();
        out = evaluate(t0, v0, out);
      } else {
        int n = Math.max(8, bufN * 2);
        bufT = Arrays.copyOf(bufT, Math.min(n, MAX_BUFFERED));
        bufV = Arrays.copyOf(bufV, Math.min(n, MAX_BUFFERED));
      }
    }
    int i = bufN;
    while (i > 0 && bufT[i - 1] > t) {
      i--;
    }
    System.arraycopy(bufT, i, bufT, i + 1, bufN - i);
    System.arraycopy(bufV, i, bufV, i + 1, bufN - i);
    bufT[i] = t;
    bufV[i] = v;
    bufN++;
    return out;
  }

  private void removeFirstBuffered() {
    System.arraycopy(bufT, 1, bufT, 0, bufN - 1);
    System.arraycopy(bufV, 1, bufV, 0, bufN - 1);
    bufN--;
  }

  private List<AlertEvent> release(long upTo, List<AlertEvent> out) {
    while (bufN > 0 && bufT[0] <= upTo) {
      long t = bufT[0];
      double v = bufV[0];
      removeFirstBuffered();
      out = evaluate(t, v, out);
    }
    return out;
  }

  private List<AlertEvent> evaluate(long t, double v, List<AlertEvent> out) {
    processed = t;
    double observed = rule.when.rate ? rate(t, v) : v;
    if (Double.isNaN(observed)) {
      return out;
    }
    boolean cond = rule.when.test(observed);
    switch (state) {
      case OK:
        if (cond) {
          openedAt = t;
          peak = observed;
          if (rule.forMs == 0) {
            state = State.FIRING;
            firedAt = t;
            out = emit(out, Kind.FIRING, t, observed);
          } else {
            state = State.PENDING;
            out = emit(out, Kind.PENDING, t, observed);
          }
        }
        break;
      case PENDING:
        if (!cond) {
          out = emit(out, Kind.CANCELLED, t, observed);
          reset();
        } else {
          updatePeak(observed);
          if (t - openedAt >= rule.forMs) {
            state = State.FIRING;
            firedAt = t;
            out = emit(out, Kind.FIRING, t, observed);
          }
        }
        break;
      case FIRING:
        if (rule.cleared(observed)) {
          out = emit(out, Kind.RESOLVED, t, observed);
          reset();
        } else {
          updatePeak(observed);
        }
        break;
      default:
        throw new IllegalStateException();
    }
    return out;
  }

  private void updatePeak(double observed) {
    if (Double.isNaN(peak) || rule.when.score(observed) > rule.when.score(peak)) {
      peak = observed;
    }
  }

  private void reset() {
    state = State.OK;
    openedAt = 0;
    firedAt = 0;
    peak = Double.NaN;
  }

  /** Change per second from the oldest point inside the window to this one; NaN without one. */
  private double rate(long t, double v) {
    long from = t - rule.when.windowMs;
    int drop = 0;
    while (drop < histN && histT[drop] < from) {
      drop++;
    }
    if (drop > 0) {
      System.arraycopy(histT, drop, histT, 0, histN - drop);
      System.arraycopy(histV, drop, histV, 0, histN - drop);
      histN -= drop;
    }
    double r = Double.NaN;
    if (histN > 0 && t > histT[0]) {
      r = (v - histV[0]) * 1000.0 / (t - histT[0]);
    }
    if (histN == histT.length) {
      if (histN == MAX_HISTORY) {
        System.arraycopy(histT, 1, histT, 0, histN - 1);
        System.arraycopy(histV, 1, histV, 0, histN - 1);
        histN--;
      } else {
        int n = Math.min(MAX_HISTORY, Math.max(8, histN * 2));
        histT = Arrays.copyOf(histT, n);
        histV = Arrays.copyOf(histV, n);
      }
    }
    histT[histN] = t;
    histV[histN] = v;
    histN++;
    return r;
  }

  private List<AlertEvent> emit(List<AlertEvent> out, Kind kind, long at, double value) {
    if (out == null) {
      out = new ArrayList<>(2);
    }
    double shownPeak = Double.isNaN(peak) ? value : peak;
    out.add(new AlertEvent(kind, rule.id, deviceId, lastSignal, rule.severity,
        rule.message(deviceId, lastSignal, value, shownPeak), at, openedAt, firedAt, value, shownPeak,
        rule.when.threshold()));
    return out;
  }

  DeviceAlertsSnapshot.RuleState snapshot() {
    List<Sample> buffered = new ArrayList<>(bufN);
    for (int i = 0; i < bufN; i++) {
      buffered.add(new Sample(bufT[i], bufV[i]));
    }
    List<Sample> history = new ArrayList<>(histN);
    for (int i = 0; i < histN; i++) {
      history.add(new Sample(histT[i], histV[i]));
    }
    return new DeviceAlertsSnapshot.RuleState(rule.id, state.name(), watermark, processed, openedAt, firedAt, peak,
        lastSeen, lateIgnored, buffered, history);
  }

  void restore(DeviceAlertsSnapshot.RuleState s) {
    state = State.valueOf(s.state());
    watermark = s.watermarkMs();
    processed = s.processedMs();
    openedAt = s.openedAtMs();
    firedAt = s.firedAtMs();
    peak = s.peak();
    lastSeen = s.lastSeenMs();
    lateIgnored = s.lateIgnored();
    bufN = 0;
    for (Sample p : s.buffered()) {
      if (bufN < MAX_BUFFERED) {
        buffer(p.t(), p.v(), null);
      }
    }
    histN = 0;
    int n = Math.min(MAX_HISTORY, s.history().size());
    histT = new long[Math.max(8, n)];
    histV = new double[Math.max(8, n)];
    for (Sample p : s.history().subList(s.history().size() - n, s.history().size())) {
      histT[histN] = p.t();
      histV[histN] = p.v();
      histN++;
    }
  }
}
