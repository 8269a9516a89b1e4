package io.flexconnect.rules.pipeline;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The unit conversions by name: temperature (degC, degF), speed (km/h, mph, m/s), pressure (bar,
 * psi, kPa), length (m, ft, km, mi) and volume (L, gal — US gallon). Each name has aliases
 * ({@code °C}, {@code C}, {@code celsius} …); results carry the canonical name.
 */
public final class Units {

  /** A linear conversion {@code to = from * factor + offset}. */
  public record Conversion(String from, String to, double factor, double offset) {
    public double apply(double v) {
      return v * factor + offset;
    }
  }

  private record Unit(String canonical, String dimension, double factor, double offset) {}

  // Each unit as (factor, offset) to its dimension's base unit: base = v * factor + offset.
  private static final Map<String, Unit> UNITS = new HashMap<>();

  static {
    unit("degC", "temperature", 1, 0, "°C", "C", "celsius", "degc");
    unit("degF", "temperature", 5.0 / 9.0, -32 * 5.0 / 9.0, "°F", "F", "fahrenheit", "degf");
    unit("km/h", "speed", 1, 0, "kmh", "kph", "kmph");
    unit("mph", "speed", 1.609344, 0, "mi/h");
    unit("m/s", "speed", 3.6, 0, "mps");
    unit("bar", "pressure", 100, 0);
    unit("kPa", "pressure", 1, 0, "kpa");
    unit("psi", "pressure", 6.894757293168361, 0);
    unit("m", "length", 1, 0, "meter", "metre");
    unit("ft", "length", 0.3048, 0, "feet", "foot");
    unit("km", "length", 1000, 0);
    unit("mi", "length", 1609.344, 0, "mile", "miles");
    unit("L", "volume", 1, 0, "l", "liter", "litre");
    unit("gal", "volume", 3.785411784, 0, "gallon", "gallons", "usgal");
  }

  private Units() {}

  private static void unit(String canonical, String dimension, double factor, double offset, String... aliases) {
    Unit u = new Unit(canonical, dimension, factor, offset);
    UNITS.put(key(canonical), u);
    for (String a : aliases) {
      UNITS.put(key(a), u);
    }
  }

  private static String key(String name) {
    // Case matters only where it separates units; none of ours collide when folded.
    return name.trim().toLowerCase(Locale.ROOT);
  }

  /** The canonical name of a unit, or null if unknown. */
  public static String canonical(String name) {
    Unit u = name == null ? null : UNITS.get(key(name));
    return u == null ? null : u.canonical;
  }

  /**
   * The conversion from one unit to another.
   *
   * @throws IllegalArgumentException naming the unknown unit or the dimension mismatch
   */
  public static Conversion conversion(String from, String to) {
    Unit a = from == null ? null : UNITS.get(key(from));
    Unit b = to == null ? null : UNITS.get(key(to));
    if (a == null) {
      throw new IllegalArgumentException("unknown unit '" + from + "'");
    }
    if (b == null) {
      throw new IllegalArgumentException("unknown unit '" + to + "'");
    }
    if (!a.dimension.equals(b.dimension)) {
      throw new IllegalArgumentException("cannot convert " + a.dimension + " '" + from + "' to " + b.dimension
          + " '" + to + "'");
    }
    // v_base = v*fa + oa ; v_to = (v_base - ob) / fb
    double factor = a.factor / b.factor;
    double offset = (a.offset - b.offset) / b.factor;
    return new Conversion(a.canonical, b.canonical, factor, offset);
  }
}
