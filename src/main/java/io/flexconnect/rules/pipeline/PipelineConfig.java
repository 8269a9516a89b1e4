package io.flexconnect.rules.pipeline;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * Processing rules as configured (JSON-bindable). Groups are tried in order; a device takes the
 * steps of the first group whose {@code devices} glob matches its id, and passes through unchanged
 * when none does.
 *
 * <pre>{@code
 * {"groups": [{"name": "trucks", "devices": "truck-*", "steps": [
 *   {"type": "deny", "signals": ["*.AliveCounter"]},
 *   {"type": "rename", "from": "EngineData.EngineSpeed", "to": "rpm"},
 *   {"type": "convert", "signals": ["EngineData.CoolantTemp"], "from": "degC", "to": "degF"},
 *   {"type": "scale", "signals": ["ChassisData.SteeringAngle"], "factor": 0.0174533, "offset": 0, "unit": "rad"},
 *   {"type": "deadband", "signals": ["EngineData.CoolantTemp"], "delta": 0.5},
 *   {"type": "minInterval", "signals": ["*"], "ms": 1000},
 *   {"type": "derive", "signal": "load", "expression": "rpm * EngineData.ThrottlePosition / 100", "unit": "%"}
 * ]}]}
 * }</pre>
 */
public record PipelineConfig(List<Group> groups) {

  public PipelineConfig {
    groups = groups == null ? List.of() : List.copyOf(groups);
  }

  /** The steps of the devices whose id matches {@code devices}. */
  public record Group(String name, String devices, List<Step> steps) {
    public Group {
      steps = steps == null ? List.of() : List.copyOf(steps);
    }
  }

  /** One ordered step. {@code signals} lists globs over signal names; absent means every signal. */
  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
  @JsonSubTypes({
      @JsonSubTypes.Type(value = Allow.class, name = "allow"),
      @JsonSubTypes.Type(value = Deny.class, name = "deny"),
      @JsonSubTypes.Type(value = Rename.class, name = "rename"),
      @JsonSubTypes.Type(value = Scale.class, name = "scale"),
      @JsonSubTypes.Type(value = Convert.class, name = "convert"),
      @JsonSubTypes.Type(value = Deadband.class, name = "deadband"),
      @JsonSubTypes.Type(value = MinInterval.class, name = "minInterval"),
      @JsonSubTypes.Type(value = Derive.class, name = "derive")})
  public sealed interface Step permits Allow, Deny, Rename, Scale, Convert, Deadband, MinInterval, Derive {}

  /** Keeps only the signals matching one of the globs. */
  public record Allow(List<String> signals) implements Step {}

  /** Drops the signals matching one of the globs. */
  public record Deny(List<String> signals) implements Step {}

  /** Renames signal {@code from} (exact name) to {@code to}. */
  public record Rename(String from, String to) implements Step {}

  /** {@code value * factor + offset} for numeric signals; {@code unit} replaces the unit when set. */
  public record Scale(List<String> signals, Double factor, Double offset, String unit) implements Step {}

  /**
   * Unit conversion by name ({@link Units}). Applies to matching numeric rows whose unit is
   * {@code from} or unknown (null); a row already in another unit is left alone.
   */
  public record Convert(List<String> signals, String from, String to) implements Step {}

  /** Keeps a numeric value only when it moved more than {@code delta} from the last kept value. */
  public record Deadband(List<String> signals, Double delta) implements Step {}

  /** Drops points of a signal closer than {@code ms} (device time) to the last kept point. */
  public record MinInterval(List<String> signals, Long ms) implements Step {}

  /** Adds {@code signal} = {@code expression} over the numeric signals of the same timestamp. */
  public record Derive(String signal, String expression, String unit) implements Step {}
}
