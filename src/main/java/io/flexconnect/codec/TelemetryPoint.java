package io.flexconnect.codec;

import java.util.List;
import java.util.Map;

/**
 * One timestamped set of field values, tags already merged (point tags override message tags).
 *
 * @param timestampMs device time, epoch milliseconds
 */
public record TelemetryPoint(long timestampMs, Map<String, String> tags, List<Field> fields) {

  public TelemetryPoint {
    tags = Map.copyOf(tags);
    fields = List.copyOf(fields);
  }

  /**
   * A named value: numeric when {@code text} is null, otherwise a string value.
   */
  public record Field(String name, double number, String text) {
    public static Field numeric(String name, double value) {
      return new Field(name, value, null);
    }

    public static Field text(String name, String value) {
      return new Field(name, Double.NaN, value);
    }

    public boolean isNumeric() {
      return text == null;
    }
  }
}
