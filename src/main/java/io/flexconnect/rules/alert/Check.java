package io.flexconnect.rules.alert;

import java.math.BigDecimal;
import java.math.MathContext;

/** A compiled condition over an observed value (the value itself, or its rate per second). */
final class Check {

  enum Kind { GT, GE, LT, LE, EQ, NE, INSIDE, OUTSIDE, NODATA }

  final Kind kind;
  final boolean rate;
  final double value;
  final double low;
  final double high;
  final long windowMs;

  Check(Kind kind, boolean rate, double value, double low, double high, long windowMs) {
    this.kind = kind;
    this.rate = rate;
    this.value = value;
    this.low = low;
    this.high = high;
    this.windowMs = windowMs;
  }

  boolean test(double x) {
    switch (kind) {
      case GT: return x > value;
      case GE: return x >= value;
      case LT: return x < value;
      case LE: return x <= value;
      case EQ: return x == value;
      case NE: return x != value;
      case INSIDE: return x >= low && x <= high;
      case OUTSIDE: return x < low || x > high;
      default: return false;
    }
  }

  /** Larger is more extreme: the peak of an incident is the observed value with the highest score. */
  double score(double x) {
    switch (kind) {
      case GT:
      case GE:
        return x;
      case LT:
      case LE:
        return -x;
      case EQ:
        return -Math.abs(x - value);
      case NE:
        return Math.abs(x - value);
      case INSIDE:
        return -Math.abs(x - (low + high) / 2);
      case OUTSIDE:
        return Math.max(low - x, x - high);
      default:
        return x;
    }
  }

  String threshold() {
    switch (kind) {
      case INSIDE:
      case OUTSIDE:
        return format(low) + ".." + format(high);
      case NODATA:
        return format(windowMs / 1000.0) + "s";
      default:
        return format(value);
    }
  }

  static String format(double v) {
    if (Double.isNaN(v)) {
      return "-";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return new BigDecimal(v).round(MathContext.DECIMAL64).round(new MathContext(6)).stripTrailingZeros()
        .toPlainString();
  }
}
