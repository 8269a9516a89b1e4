package io.flexconnect.dbc;

/**
 * Splits DBC text into tokens, keeping the 1-based line and column of each. Strings may span lines
 * and may escape a quote with a backslash. A number followed by letters (for example {@code 2ND_GEAR})
 * is an identifier; {@code -} and {@code +} start a number only when a digit or dot follows.
 */
final class DbcLexer {

  enum Kind { IDENT, NUMBER, STRING, PUNCT, EOF }

  record Token(Kind kind, String text, int line, int column) {

    boolean is(String s) {
      return kind != Kind.STRING && text.equals(s);
    }

    String describe() {
      return switch (kind) {
        case EOF -> "end of file";
        case STRING -> "string \"" + abbreviate(text) + "\"";
        default -> "'" + abbreviate(text) + "'";
      };
    }

    private static String abbreviate(String s) {
      return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
  }

  private final String sourceName;
  private final String text;
  private int pos;
  private int line = 1;
  private int column = 1;

  DbcLexer(String sourceName, String text) {
    this.sourceName = sourceName;
    this.text = text;
  }

  Token next() throws DbcParseException {
    skipWhitespaceAndComments();
    if (pos >= text.length()) {
      return new Token(Kind.EOF, "", line, column);
    }
    int startLine = line;
    int startColumn = column;
    char c = text.charAt(pos);
    if (c == '"') {
      return new Token(Kind.STRING, readString(startLine, startColumn), startLine, startColumn);
    }
    if (isDigit(c) || ((c == '-' || c == '+') && pos + 1 < text.length()
        && (isDigit(text.charAt(pos + 1)) || text.charAt(pos + 1) == '.'))) {
      int start = pos;
      if (c == '-' || c == '+') {
        advance();
      }
      boolean number = scanNumberTail();
      if (pos < text.length() && isIdentPart(text.charAt(pos)) && isDigit(text.charAt(start))) {
        while (pos < text.length() && isIdentPart(text.charAt(pos))) {
          advance();
        }
        number = false;
      }
      return new Token(number ? Kind.NUMBER : Kind.IDENT, text.substring(start, pos), startLine,
          startColumn);
    }
    if (c == '.' && pos + 1 < text.length() && isDigit(text.charAt(pos + 1))) {
      int start = pos;
      scanNumberTail();
      return new Token(Kind.NUMBER, text.substring(start, pos), startLine, startColumn);
    }
    if (isIdentStart(c)) {
      int start = pos;
      while (pos < text.length() && isIdentPart(text.charAt(pos))) {
        advance();
      }
      return new Token(Kind.IDENT, text.substring(start, pos), startLine, startColumn);
    }
    advance();
    return new Token(Kind.PUNCT, String.valueOf(c), startLine, startColumn);
  }

  /** Scans digits, an optional fraction and an optional exponent; false when no digit was seen. */
  private boolean scanNumberTail() {
    boolean digits = false;
    while (pos < text.length() && isDigit(text.charAt(pos))) {
      advance();
      digits = true;
    }
    if (pos < text.length() && text.charAt(pos) == '.') {
      advance();
      while (pos < text.length() && isDigit(text.charAt(pos))) {
        advance();
        digits = true;
      }
    }
    if (digits && pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
      int p = pos + 1;
      if (p < text.length() && (text.charAt(p) == '+' || text.charAt(p) == '-')) {
        p++;
      }
      if (p < text.length() && isDigit(text.charAt(p))) {
        while (pos < p) {
          advance();
        }
        while (pos < text.length() && isDigit(text.charAt(pos))) {
          advance();
        }
      }
    }
    return digits;
  }

  private String readString(int startLine, int startColumn) throws DbcParseException {
    advance();
    StringBuilder sb = new StringBuilder();
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c == '"') {
        advance();
        return sb.toString();
      }
      if (c == '\\' && pos + 1 < text.length()
          && (text.charAt(pos + 1) == '"' || text.charAt(pos + 1) == '\\')) {
        advance();
        c = text.charAt(pos);
      }
      sb.append(c);
      advance();
    }
    throw new DbcParseException(sourceName, startLine, startColumn,
        "string opened here is never closed (expected a closing '\"')");
  }

  private void skipWhitespaceAndComments() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\uFEFF') {
        advance();
      } else if (c == '/' && pos + 1 < text.length() && text.charAt(pos + 1) == '/') {
        while (pos < text.length() && text.charAt(pos) != '\n') {
          advance();
        }
      } else {
        return;
      }
    }
  }

  private void advance() {
    if (text.charAt(pos) == '\n') {
      line++;
      column = 1;
    } else {
      column++;
    }
    pos++;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isIdentStart(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
  }

  private static boolean isIdentPart(char c) {
    return isIdentStart(c) || isDigit(c);
  }
}
