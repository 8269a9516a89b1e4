package io.flexconnect.dbc;

/**
 * A DBC file that cannot be loaded. Carries the source name, the 1-based line and column of the
 * offending token and a sentence saying what was expected, so a user can fix the file.
 */
public final class DbcParseException extends Exception {

  private static final long serialVersionUID = 1L;

  private final String sourceName;
  private final int line;
  private final int column;
  private final String reason;

  public DbcParseException(String sourceName, int line, int column, String reason) {
    super(sourceName + ":" + line + ":" + column + ": " + reason);
    this.sourceName = sourceName;
    this.line = line;
    this.column = column;
    this.reason = reason;
  }

  public String sourceName() {
    return sourceName;
  }

  public int line() {
    return line;
  }

  public int column() {
    return column;
  }

  /** The message without the location prefix. */
  public String reason() {
    return reason;
  }
}
