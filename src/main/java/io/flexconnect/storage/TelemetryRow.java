package io.flexconnect.storage;

/**
 * One stored value: a signal of a device at a device timestamp.
 *
 * @param numeric whether {@code value} holds a number (JSON numbers, CAN signals)
 * @param value the numeric value when {@code numeric}
 * @param text a string value (JSON strings), or the value-table label of a numeric CAN signal;
 *     null when there is none
 * @param tagsJson tags as a JSON object text, or null
 * @param source where the signal comes from: {@code json} or {@code can}
 * @param unit the physical unit when known (DBC), else null
 */
public record TelemetryRow(
    String deviceId,
    String signal,
    long timestampMs,
    boolean numeric,
    double value,
    String text,
    String tagsJson,
    long receivedAtMs,
    String source,
    String unit) {

  /** A JSON field: a number, or a string when {@code text} is set. */
  public static TelemetryRow json(String deviceId, String signal, long timestampMs, double number, String text,
      String tagsJson, long receivedAtMs) {
    boolean numeric = text == null;
    return new TelemetryRow(deviceId, signal, timestampMs, numeric, numeric ? number : Double.NaN, text, tagsJson,
        receivedAtMs, "json", null);
  }

  /** A decoded CAN signal, with its value-table label when it has one. */
  public static TelemetryRow can(String deviceId, String signal, long timestampMs, double value, String label,
      String tagsJson, long receivedAtMs, String unit) {
    return new TelemetryRow(deviceId, signal, timestampMs, true, value, label, tagsJson, receivedAtMs, "can", unit);
  }
}
