package io.flexconnect.rules.pipeline;

import java.util.List;

/** A pipeline configuration refused, with every problem found, each naming the step and field. */
public final class PipelineConfigException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final List<String> errors;

  public PipelineConfigException(List<String> errors) {
    super(String.join("; ", errors));
    this.errors = List.copyOf(errors);
  }

  /** One entry per problem, e.g. {@code groups[0].steps[2].expression: column 5: expected ')'}. */
  public List<String> errors() {
    return errors;
  }
}
