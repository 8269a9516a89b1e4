package io.flexconnect.ingest;

import io.flexconnect.codec.Rejection;

/**
 * What became of a message. Both outcomes are final (committed to storage): the MQTT side
 * acknowledges the message on either. A failure of the request itself means "not stored, retry".
 *
 * @param rows rows stored, when accepted
 * @param rejection why it was refused, or null when accepted
 */
public record IngestOutcome(int rows, Rejection rejection) {
  public static IngestOutcome stored(int rows) {
    return new IngestOutcome(rows, null);
  }

  public static IngestOutcome rejected(Rejection rejection) {
    return new IngestOutcome(0, rejection);
  }

  public boolean accepted() {
    return rejection == null;
  }
}
