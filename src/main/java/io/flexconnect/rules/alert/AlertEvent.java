package io.flexconnect.rules.alert;

/**
 * A transition of one rule on one device. One incident is {@code PENDING} (when a {@code for}
 * duration applies), {@code FIRING} once, and {@code RESOLVED} once; a pending condition that stops
 * holding before its duration elapsed ends with {@code CANCELLED} instead.
 *
 * @param atMs when the transition happened (event time; the tick time for no-data rules)
 * @param openedAtMs when the condition began to hold (start of the incident)
 * @param firedAtMs when it fired, or 0 before that
 * @param value the observed value at the transition (the rate per second for rate rules, the silence
 *     in seconds for no-data rules); NaN when there is none
 * @param peak the most extreme observed value of the incident so far
 * @param threshold the limit as text, e.g. {@code 90} or {@code 10..20}
 */
public record AlertEvent(Kind kind, String ruleId, String deviceId, String signal, String severity,
    String message, long atMs, long openedAtMs, long firedAtMs, double value, double peak, String threshold) {

  /** The transitions. */
  public enum Kind { PENDING, FIRING, RESOLVED, CANCELLED }
}
