package io.flexconnect.rules.alert;

import java.util.List;

/**
 * The alert state of one device, to persist and restore after a restart
 * ({@link CompiledAlertRules#restore(DeviceAlertsSnapshot)}). Plain records, JSON-bindable.
 */
public record DeviceAlertsSnapshot(String deviceId, List<RuleState> rules) {

  public DeviceAlertsSnapshot {
    rules = rules == null ? List.of() : List.copyOf(rules);
  }

  /** A point of event time and value. */
  public record Sample(long t, double v) {}

  /**
   * The state machine of one rule.
   *
   * @param state {@code OK}, {@code PENDING} or {@code FIRING}
   * @param buffered points held back until the lateness window passes them
   * @param history recent points of rate rules
   */
  public record RuleState(String ruleId, String state, long watermarkMs, long processedMs, long openedAtMs,
      long firedAtMs, double peak, long lastSeenMs, long lateIgnored, List<Sample> buffered,
      List<Sample> history) {

    public RuleState {
      buffered = buffered == null ? List.of() : List.copyOf(buffered);
      history = history == null ? List.of() : List.copyOf(history);
    }
  }
}
