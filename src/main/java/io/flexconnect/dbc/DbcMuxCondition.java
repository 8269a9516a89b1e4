package io.flexconnect.dbc;

import java.util.List;

/**
 * A multiplexed signal is present when the named multiplexer signal is present and its raw value
 * lies in one of the ranges ({@code mN} gives the single range N-N; {@code SG_MUL_VAL_} gives any).
 */
public record DbcMuxCondition(String multiplexer, List<Range> ranges) {

  public DbcMuxCondition {
    ranges = List.copyOf(ranges);
  }

  /** Inclusive range of multiplexer raw values. */
  public record Range(long from, long to) {}

  public boolean selects(long raw) {
    for (Range r : ranges) {
      if (raw >= r.from && raw <= r.to) {
        return true;
      }
    }
    return false;
  }
}
