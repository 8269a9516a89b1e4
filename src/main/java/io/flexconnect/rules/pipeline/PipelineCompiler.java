package io.flexconnect.rules.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flexconnect.common.Glob;
import io.flexconnect.rules.expr.Expression;
import io.flexconnect.rules.expr.ExpressionException;
import java.util.ArrayList;
import java.util.List;

/**
 * Validates a {@link PipelineConfig} and compiles it into {@link CompiledPipelines}. Every problem
 * is collected (not just the first) and reported with its location, e.g.
 * {@code groups[0].steps[3] (derive).expression: column 7: expected ')', found end of input}.
 */
public final class PipelineCompiler {

  private static final ObjectMapper JSON = new ObjectMapper();

  private PipelineCompiler() {}

  /** Binds JSON text to a config and compiles it. */
  public static CompiledPipelines compileJson(String json) {
    try {
      return compile(JSON.readValue(json, PipelineConfig.class));
    } catch (JsonProcessingException e) {
      throw new PipelineConfigException(List.of("invalid pipeline JSON: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
              + e.getLocation().getColumnNr())));
    }
  }

  /**
   * Compiles a config.
   *
   * @throws PipelineConfigException listing every problem
   */
  public static CompiledPipelines compile(PipelineConfig config) {
    List<String> errors = new ArrayList<>();
    List<CompiledPipelines.Group> groups = new ArrayList<>();
    for (int g = 0; g < config.groups().size(); g++) {
      PipelineConfig.Group group = config.groups().get(g);
      String at = "groups[" + g + "]" + (group.name() == null ? "" : " (" + group.name() + ")");
      Glob devices = glob(group.devices(), at + ".devices", errors);
      List<Stage> stages = new ArrayList<>();
      for (int s = 0; s < group.steps().size(); s++) {
        PipelineConfig.Step step = group.steps().get(s);
        String stepAt = at + ".steps[" + s + "]";
        if (step == null) {
          errors.add(stepAt + ": missing step");
          continue;
        }
        Stage stage = stage(step, stepAt + " (" + typeName(step) + ")", errors);
        if (stage != null) {
          stages.add(stage);
        }
      }
      if (devices != null) {
        groups.add(new CompiledPipelines.Group(group.name(), devices, List.copyOf(stages)));
      }
    }
    if (!errors.isEmpty()) {
      throw new PipelineConfigException(errors);
    }
    return new CompiledPipelines(groups);
  }

  private static Stage stage(PipelineConfig.Step step, String at, List<String> errors) {
    int before = errors.size();
    if (step instanceof PipelineConfig.Allow a) {
      Stage.Signals signals = signals(a.signals(), at, errors, true);
      return errors.size() > before ? null : new Stages.Filter(signals, true);
    }
    if (step instanceof PipelineConfig.Deny d) {
      Stage.Signals signals = signals(d.signals(), at, errors, true);
      return errors.size() > before ? null : new Stages.Filter(signals, false);
    }
    if (step instanceof PipelineConfig.Rename r) {
      name(r.from(), at + ".from", errors);
      name(r.to(), at + ".to", errors);
      return errors.size() > before ? null : new Stages.Rename(r.from(), r.to());
    }
    if (step instanceof PipelineConfig.Scale sc) {
      Stage.Signals signals = signals(sc.signals(), at, errors, false);
      double factor = sc.factor() == null ? 1 : sc.factor();
      double offset = sc.offset() == null ? 0 : sc.offset();
      if (!Double.isFinite(factor) || !Double.isFinite(offset)) {
        errors.add(at + ": factor and offset must be finite numbers");
      }
      if (sc.factor() == null && sc.offset() == null && sc.unit() == null) {
        errors.add(at + ": needs factor, offset or unit");
      }
      return errors.size() > before ? null : new Stages.Linear(signals, factor, offset, sc.unit(), null);
    }
    if (step instanceof PipelineConfig.Convert c) {
      Stage.Signals signals = signals(c.signals(), at, errors, false);
      try {
        Units.Conversion conv = Units.conversion(c.from(), c.to());
        return errors.size() > before ? null
            : new Stages.Linear(signals, conv.factor(), conv.offset(), conv.to(), conv.from());
      } catch (IllegalArgumentException e) {
        errors.add(at + ": " + e.getMessage());
        return null;
      }
    }
    if (step instanceof PipelineConfig.Deadband d) {
      Stage.Signals signals = signals(d.signals(), at, errors, false);
      if (d.delta() == null || !(d.delta() >= 0) || d.delta().isInfinite()) {
        errors.add(at + ".delta: must be a number >= 0");
      }
      return errors.size() > before ? null : new Stages.Deadband(signals, d.delta());
    }
    if (step instanceof PipelineConfig.MinInterval m) {
      Stage.Signals signals = signals(m.signals(), at, errors, false);
      if (m.ms() == null || m.ms() <= 0) {
        errors.add(at + ".ms: must be a number of milliseconds > 0");
      }
      return errors.size() > before ? null : new Stages.MinInterval(signals, m.ms());
    }
    if (step instanceof PipelineConfig.Derive dv) {
      name(dv.signal(), at + ".signal", errors);
      Expression expression = null;
      if (dv.expression() == null || dv.expression().isBlank()) {
        errors.add(at + ".expression: missing");
      } else {
        try {
          expression = Expression.compile(dv.expression());
        } catch (ExpressionException e) {
          errors.add(at + ".expression: " + e.getMessage());
        }
      }
      return errors.size() > before ? null : new Stages.Derive(dv.signal(), expression, dv.unit());
    }
    errors.add(at + ": unknown step");
    return null;
  }

  private static String typeName(PipelineConfig.Step step) {
    String n = step.getClass().getSimpleName();
    return Character.toLowerCase(n.charAt(0)) + n.substring(1);
  }

  private static Stage.Signals signals(List<String> patterns, String at, List<String> errors, boolean required) {
    List<Glob> globs = new ArrayList<>();
    if (patterns == null || patterns.isEmpty()) {
      if (required) {
        errors.add(at + ".signals: at least one signal pattern is required");
      }
      return new Stage.Signals(globs);
    }
    for (int i = 0; i < patterns.size(); i++) {
      Glob g = glob(patterns.get(i), at + ".signals[" + i + "]", errors);
      if (g != null) {
        globs.add(g);
      }
    }
    return new Stage.Signals(globs);
  }

  private static Glob glob(String pattern, String at, List<String> errors) {
    try {
      return Glob.of(pattern);
    } catch (IllegalArgumentException e) {
      errors.add(at + ": " + e.getMessage());
      return null;
    }
  }

  private static void name(String name, String at, List<String> errors) {
    if (name == null || name.isBlank()) {
      errors.add(at + ": missing signal name");
    } else if (name.length() > 256) {
      errors.add(at + ": signal name longer than 256 characters");
    }
  }
}
