package io.flexconnect.api;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Parses query-string times: epoch milliseconds or ISO-8601 ({@code 2021-06-01T11:43:20Z}). */
public final class TimeParam {
  private static final long MIN_MS = 0L;
  /** 9999-12-31T23:59:59.999Z: the open end of a range, within PostgreSQL's timestamp range. */
  static final long MAX_MS = 253_402_300_799_999L;

  private TimeParam() {}

  /**
   * @return epoch milliseconds
   * @throws ApiException 400 naming the parameter when the value is neither form
   */
  public static long parse(String name, String value) {
    String v = value.trim();
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
        throw ApiException.badRequest(name + ": expected epoch milliseconds or an ISO-8601 time such as "
            + "2021-06-01T11:43:20Z, got '" + value + "'");
      }
    }
  }

  private static long bounded(String name, long ms) {
    if (ms < MIN_MS || ms > MAX_MS) {
      throw ApiException.badRequest(name + ": outside years 1970 to 9999");
    }
    return ms;
  }
}
