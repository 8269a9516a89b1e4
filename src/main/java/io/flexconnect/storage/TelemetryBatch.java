package io.flexconnect.storage;

import java.util.List;

/**
 * The rows of one message, written in one transaction with the rest of their flush. The writer
 * replies with the number of rows once they are committed.
 */
public record TelemetryBatch(List<TelemetryRow> rows) {
  public TelemetryBatch {
    rows = List.copyOf(rows);
  }
}
