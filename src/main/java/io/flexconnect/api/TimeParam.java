package io.flexconnect.api;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the times of query strings, request bodies and stream messages: epoch milliseconds, ISO-8601
 * ({@code 2021-06-01T11:43:20Z}), or a time relative to now as Grafana and InfluxDB users type them:
 * {@code now}, {@code now-1h}, {@code now+30m}, {@code -15m} (units ms, s, m, h, d, w).
 */
public final class TimeParam {
  private static final long MIN_MS = 0L;
  /** 9999-12-31T23:59:59.999Z: the open end of a range, within PostgreSQL's timestamp range. */
  static final long MAX_MS = 253_402_300_799_999L;
  /**
   * {@code now}, {@code now±<n><unit>} or {@code -<n><unit>}. A space stands for {@code +}: that is what an
   * unescaped {@code +} in a query string decodes to.
   */
  private static final Pattern RELATIVE =
      Pattern.compile("(?:now(?:([-+ ])(\\d{1,15})(ms|s|m|h|d|w))?|(-)(\\d{1,15})(ms|s|m|h|d|w))");

  private TimeParam() {}

  /** {@link #parse(String, String, Clock)} relative to the system clock. */
  public static long parse(String name, String value) {
    return parse(name, value, Clock.systemUTC());
  }

  /**
   * @param clock what {@code now} means
   * @return epoch milliseconds
   * @throws ApiException 400 naming the parameter when the value is none of the forms
   */
  public static long parse(String name, String value, Clock clock) {
    String v = value.trim();
    Matcher relative = RELATIVE.matcher(v);
    if (relative.matches()) {
      return relative(name, relative, clock.millis());
    }
    if (!v.isEmpty() && v.chars().allMatch(c -> Character.isDigit(c) || c == '-')) {
      try {
        long ms = Long.parseLong(v);
        if (ms < MIN_MS || ms > MAX_MS) {
          throw ApiException.badRequest(name + ": " + ms + " is outside years 1970 to 9999");
        }
        return ms;
      } catch (NumberFormatException e) {
        throw ApiException.badRequest(name + ": not a number of epoch milliseconds: " + value);
      }
    }
    try {
      return bounded(name, Instant.parse(v).toEpochMilli());
    } catch (DateTimeParseException e) {
      try {
        return bounded(name, OffsetDateTime.parse(v).toInstant().toEpochMilli());
      } catch (DateTimeParseException e2) {
        throw ApiException.badRequest(name + ": expected epoch milliseconds, an ISO-8601 time such as "
            + "2021-06-01T11:43:20Z, or a time relative to now such as now, now-1h, -15m (units ms, s, m, h, d, w), "
            + "got '" + value + "'");
      }
    }
  }

  private static long relative(String name, Matcher m, long nowMs) {
    boolean shortForm = m.group(4) != null;
    String sign = shortForm ? "-" : m.group(1);
    if (sign == null) {
      return bounded(name, nowMs);
    }
    long amount = Long.parseLong(shortForm ? m.group(5) : m.group(2));
    String unit = shortForm ? m.group(6) : m.group(3);
    try {
      long offset = Math.multiplyExact(amount, unitMs(unit));
      return bounded(name, sign.equals("-") ? Math.subtractExact(nowMs, offset) : Math.addExact(nowMs, offset));
    } catch (ArithmeticException e) {
      throw ApiException.badRequest(name + ": outside years 1970 to 9999");
    }
  }

  private static long unitMs(String unit) {
    return switch (unit) {
      case "ms" -> 1L;
      case "s" -> 1_000L;
      case "m" -> 60_000L;
      case "h" -> 3_600_000L;
      case "d" -> 86_400_000L;
      case "w" -> 604_800_000L;
      default -> throw new IllegalArgumentException(unit); // the pattern admits no other
    };
  }

  private static long bounded(String name, long ms) {
    if (ms < MIN_MS || ms > MAX_MS) {
      throw ApiException.badRequest(name + ": outside years 1970 to 9999");
    }
    return ms;
  }
}
