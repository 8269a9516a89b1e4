package io.flexconnect.decode;

import java.io.IOException;
import java.io.Reader;

/**
 * Reads lines ({@code \n}, {@code \r\n} or {@code \r}) keeping at most {@code maxChars} of each,
 * so a file without line breaks (a binary file given to {@code --candump}) cannot take unbounded
 * memory the way {@link java.io.BufferedReader#readLine()} would.
 */
final class LineReader {

  private final Reader reader;
  private final int maxChars;
  private final char[] buffer = new char[8192];
  private final StringBuilder line = new StringBuilder();
  private int pos;
  private int limit;
  private int number;
  private boolean truncated;
  private boolean skipLf;

  LineReader(Reader reader, int maxChars) {
    this.reader = reader;
    this.maxChars = maxChars;
  }

  /** The next line without its terminator (cut at {@code maxChars}), or null at the end. */
  String next() throws IOException {
    line.setLength(0);
    truncated = false;
    boolean any = false;
    while (true) {
      if (pos == limit) {
        limit = reader.read(buffer, 0, buffer.length);
        pos = 0;
        if (limit <= 0) {
          limit = 0;
          if (!any) {
            return null;
          }
          number++;
          return line.toString();
        }
      }
      char c = buffer[pos++];
      if (skipLf) {
        skipLf = false;
        if (c == '\n') {
          continue;
        }
      }
      any = true;
      if (c == '\n' || c == '\r') {
        skipLf = c == '\r';
        number++;
        return line.toString();
      }
      if (line.length() < maxChars) {
        line.append(c);
      } else {
        truncated = true;
      }
    }
  }

  /** The 1-based number of the line last returned. */
  int number() {
    return number;
  }

  /** Whether the line last returned was longer than {@code maxChars} and was cut. */
  boolean truncated() {
    return truncated;
  }
}
