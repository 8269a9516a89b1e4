package io.flexconnect.rules.expr;

import java.util.List;

/**
 * A compiled expression: immutable, thread-safe, evaluated many times without allocating.
 *
 * <p>Values are doubles; booleans are 1 (true) and 0 (false), any non-zero number is true. The
 * result is {@link Double#NaN} — "absent" — when a signal it needs is missing (or NaN), on a
 * division or modulo by zero, or when a function is undefined for its argument ({@code sqrt(-1)}).
 * Absence propagates through every operator; a conditional only evaluates the branch it takes, so
 * a signal missing from the other branch does not make the result absent.
 */
public final class Expression {

  private final String source;
  private final List<String> signals;
  private final Node root;

  Expression(String source, List<String> signals, Node root) {
    this.source = source;
    this.signals = List.copyOf(signals);
    this.root = root;
  }

  /** Compiles {@code source}; see {@link ExpressionParser}. */
  public static Expression compile(String source) {
    return ExpressionParser.parse(source);
  }

  /** The signals the expression reads, in slot order (first occurrence). */
  public List<String> signals() {
    return signals;
  }

  /** The slot of {@code signal}, or -1 if the expression does not read it. */
  public int slotOf(String signal) {
    return signals.indexOf(signal);
  }

  /** Evaluates against a point; NaN means absent. */
  public double evaluate(SlotValues values) {
    return root.eval(values);
  }

  /** Whether a result is "absent". */
  public static boolean isAbsent(double result) {
    return Double.isNaN(result) || Double.isInfinite(result);
  }

  public String source() {
    return source;
  }

  @Override
  public String toString() {
    return source;
  }
}
