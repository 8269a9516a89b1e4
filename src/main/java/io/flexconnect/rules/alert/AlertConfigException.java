package io.flexconnect.rules.alert;

import java.util.List;

/** Alert rules refused, with every problem found, each naming the rule and field. */
public final class AlertConfigException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final List<String> errors;

  public AlertConfigException(List<String> errors) {
    super(String.join("; ", errors));
    this.errors = List.copyOf(errors);
  }

  public List<String> errors() {
    return errors;
  }
}
