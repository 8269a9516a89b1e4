package io.flexconnect.storage;

import java.util.List;

/**
 * The rows of one message (and, for binary CAN, the message itself for re-decoding), written in
 * one transaction with the rest of their flush. The writer replies with the number of rows once
 * they are committed.
 *
 * @param raw the binary message to keep, or null
 */
public record TelemetryBatch(List<TelemetryRow> rows, RawCanMessage raw) {
  public TelemetryBatch {
    rows = List.copyOf(rows);
  }

  public TelemetryBatch(List<TelemetryRow> rows) {
    this(rows, null);
  }
}
