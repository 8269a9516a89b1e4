package io.flexconnect.rules.expr;

/**
 * An expression refused at compile time, with the 1-based column where parsing stopped and what the
 * parser expected there.
 */
public final class ExpressionException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final int column;
  private final String expected;
  private final String found;

  public ExpressionException(int column, String expected, String found) {
    super("column " + column + ": expected " + expected + (found == null ? "" : ", found " + found));
    this.column = column;
    this.expected = expected;
    this.found = found;
  }

  /** 1-based column of the offending character (length + 1 for "end of input"). */
  public int column() {
    return column;
  }

  /** What the parser would have accepted at {@link #column()}. */
  public String expected() {
    return expected;
  }

  /** What it found instead, or null. */
  public String found() {
    return found;
  }
}
