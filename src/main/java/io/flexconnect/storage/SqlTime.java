package io.flexconnect.storage;

/**
 * Epoch milliseconds travel as {@code int8} parameters and become {@code timestamptz} in SQL: exact
 * to the millisecond (no floating-point {@code to_timestamp}) and no {@code OffsetDateTime} per row.
 */
public final class SqlTime {
  private SqlTime() {}

  /** SQL turning the epoch-milliseconds expression {@code expr} (a column or {@code $n}) into a timestamptz. */
  public static String fromEpochMs(String expr) {
    return "timestamptz 'epoch' + " + expr + " * interval '1 millisecond'";
  }

  /** {@link #fromEpochMs} of the statement parameter {@code $n}. */
  public static String param(int n) {
    return fromEpochMs("$" + n);
  }
}
