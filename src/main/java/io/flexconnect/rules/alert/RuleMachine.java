package io.flexconnect.rules.alert;

import io.flexconnect.rules.alert.AlertEvent.Kind;
import io.flexconnect.rules.alert.DeviceAlertsSnapshot.Sample;
import java.util.ArrayList;
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
  /** The open incident's peak grew since the last transition or {@link #takeGrownPeak} reported it. */
  boolean peakGrown;
  /** No-data rules: arrival time of the newest point, MIN_VALUE before the first point or tick. */
  long lastSeen = Long.MIN_VALUE;
  long lateIgnored;
  String lastSignal;

  /** Points waiting for the lateness window, sorted by time. */
  private final Samples buffered = new Samples(MAX_BUFFERED);
  /** Rate history, oldest first. */
  private final Samples history = new Samples(MAX_HISTORY);

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
    if (lateness == 0 && buffered.size() == 0) {
      return evaluate(t, v, out);
    }
    out = buffer(t, v, out);
    return release(watermark - lateness, out);
  }

  /** The clock: no-data rules fire here, others release buffered points of an idle device. */
  List<AlertEvent> tick(long now, List<AlertEvent> out) {
    if (!rule.noData()) {
      return buffered.size() == 0 ? out : release(now - lateness, out);
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
    } else if (seconds > peak) {
      peak = seconds;
      peakGrown = true;
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
    if (buffered.isFull()) {
      // Full: evaluate the oldest now rather than grow without bound.
      long t0 = buffered.time(0);
      double v0 = buffered.value(0);
      buffered.removeFirst();
      out = evaluate(t0, v0, out);
    }
    buffered.insert(t, v);
    return out;
  }

  private List<AlertEvent> release(long upTo, List<AlertEvent> out) {
    while (buffered.size() > 0 && buffered.time(0) <= upTo) {
      long t = buffered.time(0);
      double v = buffered.value(0);
      buffered.removeFirst();
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
      peakGrown = true;
    }
  }

  /**
   * The open incident's peak when it grew since it was last reported (by a transition or by this
   * method), else NaN; reporting it clears the mark.
   */
  double takeGrownPeak() {
    if (!peakGrown || state == State.OK) {
      peakGrown = false;
      return Double.NaN;
    }
    peakGrown = false;
    return peak;
  }

  private void reset() {
    state = State.OK;
    openedAt = 0;
    firedAt = 0;
    peak = Double.NaN;
    peakGrown = false;
  }

  /** Change per second from the oldest point inside the window to this one; NaN without one. */
  private double rate(long t, double v) {
    long from = t - rule.when.windowMs;
    while (history.size() > 0 && history.time(0) < from) {
      history.removeFirst();
    }
    double r = Double.NaN;
    if (history.size() > 0 && t > history.time(0)) {
      r = (v - history.value(0)) * 1000.0 / (t - history.time(0));
    }
    if (history.isFull()) {
      history.removeFirst();
    }
    history.insert(t, v);
    return r;
  }

  private List<AlertEvent> emit(List<AlertEvent> out, Kind kind, long at, double value) {
    if (out == null) {
      out = new ArrayList<>(2);
    }
    double shownPeak = Double.isNaN(peak) ? value : peak;
    peakGrown = false; // the transition carries it
    out.add(new AlertEvent(kind, rule.id, deviceId, lastSignal, rule.severity,
        rule.message(deviceId, lastSignal, value, shownPeak), at, openedAt, firedAt, value, shownPeak,
        rule.when.threshold()));
    return out;
  }

  DeviceAlertsSnapshot.RuleState snapshot() {
    return new DeviceAlertsSnapshot.RuleState(rule.id, state.name(), watermark, processed, openedAt, firedAt, peak,
        lastSeen, lateIgnored, samples(buffered), samples(history));
  }

  private static List<Sample> samples(Samples s) {
    List<Sample> list = new ArrayList<>(s.size());
    for (int i = 0; i < s.size(); i++) {
      list.add(new Sample(s.time(i), s.value(i)));
    }
    return list;
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
    buffered.clear();
    for (Sample p : s.buffered()) {
      if (!buffered.isFull()) {
        buffered.insert(p.t(), p.v());
      }
    }
    history.clear();
    List<Sample> h = s.history();
    for (Sample p : h.subList(Math.max(0, h.size() - MAX_HISTORY), h.size())) {
      history.insert(p.t(), p.v());
    }
  }
}
