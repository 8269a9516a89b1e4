package io.flexconnect.dbc;

/**
 * Something sloppy in a DBC file that the loader accepted (see {@code docs/dbc.md} for the policy).
 *
 * @param line 1-based line of the statement concerned
 * @param column 1-based column of the token concerned
 * @param message what was found and what the loader did about it
 */
public record DbcWarning(int line, int column, String message) {

  @Override
  public String toString() {
    return line + ":" + column + ": " + message;
  }
}
