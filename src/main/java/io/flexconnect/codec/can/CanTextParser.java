package io.flexconnect.codec.can;

import java.util.Objects;

/**
 * Parses CAN frames in can-utils text form, for the offline CLI: {@code candump -L} log lines and
 * {@code --frame ID#HEX} arguments. Pure functions; malformed text is an {@link Result.Invalid}
 * result, never an exception.
 *
 * <pre>
 * (1622547800.000000) can0 123#0102030405060708      classic, 11-bit ID (3 hex digits)
 * (1622547800.000000) can0 18FEF100#0102             classic, 29-bit ID (8 hex digits)
 * (1622547800.000000) can1 123##1000102030405060708  CAN FD, flags nibble 1 (BRS), then data
 * (1622547800.000000) can0 123#R                     remote frame: skipped
 * </pre>
 *
 * Data bytes may be separated by {@code .} as cansend allows; a classic frame's {@code _L} DLC
 * suffix is accepted and ignored. Error frames (8-digit ID with bit 29 set), remote frames, blank
 * lines and {@code #} comments are {@link Result.Skipped}. A trailing direction marker ({@code R} or
 * {@code T}) after the frame is ignored.
 */
public final class CanTextParser {

  private CanTextParser() {}

  /** Outcome of parsing one line or argument. */
  public sealed interface Result<T> {
    /** A frame. */
    record Parsed<T>(T value) implements Result<T> {}

    /** Valid text that carries no data frame (remote or error frame, blank line, comment). */
    record Skipped<T>(String why) implements Result<T> {}

    /** Malformed text. */
    record Invalid<T>(String error) implements Result<T> {}
  }

  /** Parses one {@code candump -L} line. */
  public static Result<CanLogEntry> parseCandumpLine(String line) {
    Objects.requireNonNull(line, "line");
    String s = line.strip();
    if (s.isEmpty() || s.startsWith("#")) {
      return new Result.Skipped<>("blank or comment");
    }
    String[] parts = s.split("\\s+");
    if (parts.length < 3 || parts.length > 4) {
      return new Result.Invalid<>("expected '(seconds.fraction) interface frame', got: " + s);
    }
    if (parts.length == 4 && !parts[3].equals("R") && !parts[3].equals("T")) {
      return new Result.Invalid<>("unexpected text after the frame: " + parts[3]);
    }
    long timestampMs = parseTimestamp(parts[0]);
    if (timestampMs < 0) {
      return new Result.Invalid<>("bad timestamp, expected (seconds.fraction): " + parts[0]);
    }
    String iface = parts[1];
    Result<CanTextFrame> frame = parseFrame(parts[2]);
    if (frame instanceof Result.Parsed<CanTextFrame> parsed) {
      return new Result.Parsed<>(new CanLogEntry(timestampMs, iface, busNumber(iface), parsed.value()));
    }
    if (frame instanceof Result.Skipped<CanTextFrame> skipped) {
      return new Result.Skipped<>(skipped.why());
    }
    return new Result.Invalid<>(((Result.Invalid<CanTextFrame>) frame).error());
  }

  /** Parses a frame as {@code cansend} accepts it: {@code ID#DATA}, {@code ID##F DATA}, {@code ID#R}. */
  public static Result<CanTextFrame> parseFrame(String text) {
    Objects.requireNonNull(text, "text");
    String s = text.strip();
    int hash = s.indexOf('#');
    if (hash < 0) {
      return new Result.Invalid<>("missing '#' in frame: " + s);
    }
    String idText = s.substring(0, hash);
    boolean extended;
    if (idText.length() == 3) {
      extended = false;
    } else if (idText.length() == 8) {
      extended = true;
    } else {
      return new Result.Invalid<>("CAN ID must have 3 (11-bit) or 8 (29-bit) hex digits: " + idText);
    }
    long id = parseHex(idText);
    if (id < 0) {
      return new Result.Invalid<>("CAN ID is not hexadecimal: " + idText);
    }
    if (extended ? id > 0x3FFF_FFFFL : id > 0x7FF) {
      return new Result.Invalid<>("CAN ID out of range: " + idText);
    }
    if (extended && (id & 0x2000_0000L) != 0) {
      return new Result.Skipped<>("error frame"); // CAN_ERR_FLAG, as candump prints error frames
    }
    String rest = s.substring(hash + 1);
    boolean fd = rest.startsWith("#");
    int flags = 0;
    if (fd) {
      if (rest.startsWith("##")) {
        return new Result.Invalid<>("CAN XL frames are not supported: " + s);
      }
      if (rest.length() < 2) {
        return new Result.Invalid<>("CAN FD frame needs a flags nibble after '##': " + s);
      }
      flags = Character.digit(rest.charAt(1), 16);
      if (flags < 0) {
        return new Result.Invalid<>("bad CAN FD flags nibble: " + rest.charAt(1));
      }
      rest = rest.substring(2);
    } else {
      if (!rest.isEmpty() && (rest.charAt(0) == 'R' || rest.charAt(0) == 'r')) {
        return new Result.Skipped<>("remote frame");
      }
      int dlcSuffix = rest.indexOf('_');
      if (dlcSuffix >= 0) {
        if (dlcSuffix != rest.length() - 2 || Character.digit(rest.charAt(dlcSuffix + 1), 16) < 9) {
          return new Result.Invalid<>("bad '_L' DLC suffix: " + rest.substring(dlcSuffix));
        }
        rest = rest.substring(0, dlcSuffix);
      }
    }
    byte[] data = parseData(rest, fd ? 64 : 8);
    if (data == null) {
      return new Result.Invalid<>("bad data (hex byte pairs, optional '.', at most "
          + (fd ? 64 : 8) + " bytes): " + rest);
    }
    return new Result.Parsed<>(new CanTextFrame((int) id, extended, fd, flags, data));
  }

  /** The trailing digits of an interface name ({@code can0} → 0, {@code vcan2} → 2), or -1. */
  public static int busNumber(String iface) {
    int i = iface.length();
    while (i > 0 && Character.isDigit(iface.charAt(i - 1)) && iface.charAt(i - 1) < 128) {
      i--;
    }
    if (i == iface.length() || iface.length() - i > 9) {
      return -1;
    }
    return Integer.parseInt(iface, i, iface.length(), 10);
  }

  /** {@code (seconds.fraction)} to epoch ms, or -1. Exact: no floating point. */
  private static long parseTimestamp(String text) {
    if (text.length() < 3 || text.charAt(0) != '(' || text.charAt(text.length() - 1) != ')') {
      return -1;
    }
    String inner = text.substring(1, text.length() - 1);
    int dot = inner.indexOf('.');
    String secText = dot < 0 ? inner : inner.substring(0, dot);
    String fracText = dot < 0 ? "" : inner.substring(dot + 1);
    if (secText.isEmpty() || secText.length() > 12 || fracText.length() > 9
        || !allDigits(secText) || !allDigits(fracText)) {
      return -1;
    }
    long millis = 0;
    for (int i = 0; i < 3; i++) {
      millis = millis * 10 + (i < fracText.length() ? fracText.charAt(i) - '0' : 0);
    }
    return Long.parseLong(secText) * 1000 + millis;
  }

  private static boolean allDigits(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  private static long parseHex(String s) {
    long value = 0;
    for (int i = 0; i < s.length(); i++) {
      int d = Character.digit(s.charAt(i), 16);
      if (d < 0 || s.charAt(i) > 127) {
        return -1;
      }
      value = value << 4 | d;
    }
    return value;
  }

  private static byte[] parseData(String s, int maxBytes) {
    byte[] out = new byte[maxBytes];
    int n = 0;
    int i = 0;
    while (i < s.length()) {
      if (s.charAt(i) == '.') {
        i++;
        continue;
      }
      if (i + 1 >= s.length() || n == maxBytes) {
        return null;
      }
      int hi = Character.digit(s.charAt(i), 16);
      int lo = Character.digit(s.charAt(i + 1), 16);
      if (hi < 0 || lo < 0 || s.charAt(i) > 127 || s.charAt(i + 1) > 127) {
        return null;
      }
      out[n++] = (byte) (hi << 4 | lo);
      i += 2;
    }
    return java.util.Arrays.copyOf(out, n);
  }
}
