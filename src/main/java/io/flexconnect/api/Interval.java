package io.flexconnect.api;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses bucket intervals: {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}, {@code 1d}, or milliseconds. */
final class Interval {
  private static final Pattern FORM = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)?");

  private Interval() {}

  static long parseMillis(String name, String value) {
    Matcher m = FORM.matcher(value.trim());
    if (!m.matches()) {
      throw ApiException.badRequest(name + ": expected a duration such as 10s, 5m, 1h or 1d, got '" + value + "'");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "ms" : m.group(2);
    long ms = switch (unit) {
      case "ms" -> n;
      case "s" -> n * 1000L;
      case "m" -> n * 60_000L;
      case "h" -> n * 3_600_000L;
      default -> n * 86_400_000L;
    };
    if (ms < 1 || ms > 366L * 86_400_000L) {
      throw ApiException.badRequest(name + ": must be between 1 ms and 366 days, got '" + value + "'");
    }
    return ms;
  }
}
