package io.flexconnect.storage;

/**
 * One stored value: a signal of a device at a device timestamp.
 *
 * @param value the numeric value; ignored when {@code text} is set
 * @param text the string value, or null for a numeric row
 * @param tagsJson tags as a JSON object text, or null
 * @param source where the signal comes from: {@code json} or {@code can}
 * @param unit the physical unit when known (DBC), else null
 */
public record TelemetryRow(
    String deviceId,
    String signal,
    long timestampMs,
    double value,
    String text,
    String tagsJson,
    long receivedAtMs,
    String source,
    String unit) {

  public boolean isNumeric() {
    return text == null;
  }
}
