package io.flexconnect.dbc;

import java.util.Map;
import java.util.SortedMap;

/**
 * How a raw value becomes a physical one: {@code raw * factor + offset} in double, plus the value
 * table ({@code VAL_}) keyed by the raw integer (unsigned 64-bit raws are keyed by their bits).
 */
public record DbcConversion(double factor, double offset, double minimum, double maximum, String unit,
    SortedMap<Long, String> choices) {

  public DbcConversion {
    choices = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(choices));
  }

  /** The label for a raw value, or null. */
  public String label(long raw) {
    return choices.get(raw);
  }

  /** The value table as an unmodifiable map. */
  public Map<Long, String> valueTable() {
    return choices;
  }
}
