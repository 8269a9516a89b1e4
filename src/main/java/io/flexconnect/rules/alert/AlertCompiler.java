package io.flexconnect.rules.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flexconnect.common.Glob;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates {@link AlertConfig} and compiles it. Every problem is reported with the rule and field,
 * e.g. {@code rules[2] (coolant-hot).when.value: required for '>'}.
 */
public final class AlertCompiler {

  /** Longest accepted lateness: points are held back this long (event time). */
  public static final long MAX_LATENESS_MS = 3_600_000;
  public static final String DEFAULT_SEVERITY = "warning";
  public static final String DEFAULT_MESSAGE = "{rule}: {device} {signal} = {value} (threshold {threshold})";

  private static final ObjectMapper JSON = new ObjectMapper();

  private AlertCompiler() {}

  /** Binds JSON text to a config and compiles it. */
  public static CompiledAlertRules compileJson(String json) {
    try {
      return compile(JSON.readValue(json, AlertConfig.class));
    } catch (JsonProcessingException e) {
      throw new AlertConfigException(List.of("invalid alert JSON: " + e.getOriginalMessage()));
    }
  }

  /**
   * Compiles a config.
   *
   * @throws AlertConfigException listing every problem
   */
  public static CompiledAlertRules compile(AlertConfig config) {
    List<String> errors = new ArrayList<>();
    long lateness = config.latenessMs() == null ? AlertConfig.DEFAULT_LATENESS_MS : config.latenessMs();
    if (lateness < 0 || lateness > MAX_LATENESS_MS) {
      errors.add("latenessMs: must be between 0 and " + MAX_LATENESS_MS);
    }
    Set<String> ids = new HashSet<>();
    List<CompiledRule> rules = new ArrayList<>();
    for (int i = 0; i < config.rules().size(); i++) {
      AlertConfig.Rule r = config.rules().get(i);
      String at = "rules[" + i + "]" + (r == null || r.id() == null ? "" : " (" + r.id() + ")");
      if (r == null) {
        errors.add(at + ": missing rule");
        continue;
      }
      int before = errors.size();
      if (r.id() == null || r.id().isBlank()) {
        errors.add(at + ".id: required");
      } else if (!ids.add(r.id())) {
        errors.add(at + ".id: duplicate '" + r.id() + "'");
      }
      Glob devices = glob(r.devices() == null ? "*" : r.devices(), at + ".devices", errors);
      Check when = r.when() == null ? null : check(r.when(), at + ".when", errors);
      if (r.when() == null) {
        errors.add(at + ".when: required");
      }
      Glob signalGlob = null;
      if (r.signal() == null || r.signal().isBlank()) {
        errors.add(at + ".signal: required");
      } else if (when != null && when.kind == Check.Kind.NODATA) {
        signalGlob = glob(r.signal(), at + ".signal", errors);
      } else if (r.signal().indexOf('*') >= 0 || r.signal().indexOf('?') >= 0) {
        errors.add(at + ".signal: must be an exact signal name (patterns only for 'nodata')");
      }
      Check clear = null;
      if (r.clear() != null) {
        clear = check(r.clear(), at + ".clear", errors);
        if (clear != null && when != null) {
          if (when.kind == Check.Kind.NODATA || clear.kind == Check.Kind.NODATA) {
            errors.add(at + ".clear: not allowed with 'nodata' (data arriving clears it)");
          } else if (clear.rate != when.rate) {
            errors.add(at + ".clear: must observe the same quantity as 'when' (both rates or both values)");
          } else if (clear.rate && clear.windowMs != when.windowMs) {
            errors.add(at + ".clear.windowMs: must equal when.windowMs");
          } else if (overlaps(when, clear)) {
            errors.add(at + ".clear: holds at values where 'when' also holds (" + when.threshold() + " vs "
                + clear.threshold() + "), so the alert would fire and clear on the same value");
          }
        }
      }
      long forMs = r.forMs() == null ? 0 : r.forMs();
      if (forMs < 0) {
        errors.add(at + ".forMs: must be >= 0");
      }
      Map<String, String> tags = r.tags() == null ? Map.of() : r.tags();
      for (Map.Entry<String, String> e : tags.entrySet()) {
        if (e.getKey() == null || e.getValue() == null) {
          errors.add(at + ".tags: keys and values must be strings");
        }
      }
      if (errors.size() == before) {
        rules.add(new CompiledRule(r.id(), r.tenant() == null || r.tenant().isBlank() ? null : r.tenant(), devices,
            Map.copyOf(tags), r.signal(), signalGlob, when, clear, forMs,
            r.severity() == null || r.severity().isBlank() ? DEFAULT_SEVERITY : r.severity(),
            r.message() == null ? DEFAULT_MESSAGE : r.message()));
      }
    }
    if (!errors.isEmpty()) {
      throw new AlertConfigException(errors);
    }
    return new CompiledAlertRules(rules, lateness);
  }

  private static Check check(AlertConfig.Condition c, String at, List<String> errors) {
    String op = c.op() == null ? "" : c.op().trim();
    boolean rate = op.startsWith("rate");
    String cmp = rate ? op.substring(4).trim() : op;
    Check.Kind kind;
    switch (cmp) {
      case ">": kind = Check.Kind.GT; break;
      case ">=": kind = Check.Kind.GE; break;
      case "<": kind = Check.Kind.LT; break;
      case "<=": kind = Check.Kind.LE; break;
      case "==": kind = Check.Kind.EQ; break;
      case "!=": kind = Check.Kind.NE; break;
      case "inside": kind = Check.Kind.INSIDE; break;
      case "outside": kind = Check.Kind.OUTSIDE; break;
      case "nodata": kind = Check.Kind.NODATA; break;
      default:
        errors.add(at + ".op: expected one of > >= < <= == != inside outside rate> rate>= rate< rate<= nodata, found '"
            + c.op() + "'");
        return null;
    }
    int before = errors.size();
    if (rate && kind != Check.Kind.GT && kind != Check.Kind.GE && kind != Check.Kind.LT && kind != Check.Kind.LE) {
      errors.add(at + ".op: a rate compares with > >= < or <=");
    }
    double value = Double.NaN;
    double low = Double.NaN;
    double high = Double.NaN;
    long window = 0;
    if (kind == Check.Kind.INSIDE || kind == Check.Kind.OUTSIDE) {
      if (c.low() == null || c.high() == null || !Double.isFinite(c.low()) || !Double.isFinite(c.high())) {
        errors.add(at + ": '" + op + "' needs finite 'low' and 'high'");
      } else if (c.low() > c.high()) {
        errors.add(at + ": low " + c.low() + " is above high " + c.high());
      } else {
        low = c.low();
        high = c.high();
      }
    } else if (kind != Check.Kind.NODATA) {
      if (c.value() == null || !Double.isFinite(c.value())) {
        errors.add(at + ".value: a finite number is required for '" + op + "'");
      } else {
        value = c.value();
      }
    }
    if (rate || kind == Check.Kind.NODATA) {
      if (c.windowMs() == null || c.windowMs() <= 0) {
        errors.add(at + ".windowMs: a window > 0 is required for '" + op + "'");
      } else {
        window = c.windowMs();
      }
    }
    return errors.size() > before ? null : new Check(kind, rate, value, low, high, window);
  }

  /** For the usual threshold pairs, whether some value satisfies both conditions. */
  private static boolean overlaps(Check when, Check clear) {
    boolean whenUp = when.kind == Check.Kind.GT || when.kind == Check.Kind.GE;
    boolean whenDown = when.kind == Check.Kind.LT || when.kind == Check.Kind.LE;
    boolean clearUp = clear.kind == Check.Kind.GT || clear.kind == Check.Kind.GE;
    boolean clearDown = clear.kind == Check.Kind.LT || clear.kind == Check.Kind.LE;
    if (whenUp && clearDown) {
      return clear.value > when.value
          || (clear.value == when.value && when.kind == Check.Kind.GE && clear.kind == Check.Kind.LE);
    }
    if (whenDown && clearUp) {
      return clear.value < when.value
          || (clear.value == when.value && when.kind == Check.Kind.LE && clear.kind == Check.Kind.GE);
    }
    return false;
  }

  private static Glob glob(String pattern, String at, List<String> errors) {
    try {
      return Glob.of(pattern);
    } catch (IllegalArgumentException e) {
      errors.add(at + ": " + e.getMessage());
      return null;
    }
  }
}
