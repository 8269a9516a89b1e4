package io.flexconnect.rules.alert;

import java.util.List;
import java.util.Map;

/**
 * Alert rules as configured (JSON-bindable).
 *
 * <pre>{@code
 * {"latenessMs": 5000, "rules": [
 *   {"id": "coolant-hot", "devices": "truck-*", "tags": {"bus": "1"}, "signal": "EngineData.CoolantTemp",
 *    "when": {"op": ">", "value": 90}, "clear": {"op": "<", "value": 85}, "forMs": 30000,
 *    "severity": "critical", "message": "{device}: {signal} at {value} (limit {threshold})"},
 *   {"id": "speed-jump", "devices": "*", "signal": "EngineData.VehicleSpeed",
 *    "when": {"op": "rate>", "value": 5, "windowMs": 2000}},
 *   {"id": "silent", "devices": "truck-*", "signal": "*", "when": {"op": "nodata", "windowMs": 300000}}
 * ]}
 * }</pre>
 *
 * @param latenessMs how far (event time) a point may arrive behind the newest point of its rule and
 *     device and still be evaluated in order; default {@link #DEFAULT_LATENESS_MS}
 */
public record AlertConfig(Long latenessMs, List<Rule> rules) {

  public static final long DEFAULT_LATENESS_MS = 5_000;

  public AlertConfig {
    rules = rules == null ? List.of() : List.copyOf(rules);
  }

  /**
   * One rule.
   *
   * @param tenant optional: the rule applies to this tenant's devices only
   * @param devices glob over device ids
   * @param tags optional: every entry must be among the point's tags
   * @param signal the signal's exact name; for {@code nodata} a glob (any matching signal is data)
   * @param when the condition that opens an incident
   * @param clear the condition that closes it (hysteresis); default: {@code when} no longer holds
   * @param forMs how long {@code when} must hold (event time) before the alert fires; default 0
   * @param severity free text, default {@code warning}
   * @param message template with {@code {device} {signal} {value} {threshold} {peak} {rule} {severity}}
   */
  public record Rule(String id, String tenant, String devices, Map<String, String> tags, String signal,
      Condition when, Condition clear, Long forMs, String severity, String message) {}

  /**
   * A condition. {@code op} is one of {@code > >= < <= == !=} (with {@code value}), {@code inside} /
   * {@code outside} (with {@code low} and {@code high}, inclusive inside), {@code rate> rate>= rate<
   * rate<=} (change per second over {@code windowMs}, against {@code value}), or {@code nodata} (no
   * point for {@code windowMs}).
   */
  public record Condition(String op, Double value, Double low, Double high, Long windowMs) {}
}
