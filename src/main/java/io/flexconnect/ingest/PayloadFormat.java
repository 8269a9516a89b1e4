package io.flexconnect.ingest;

/**
 * Payload formats, detected from the bytes rather than trusted from the topic (the guide's own
 * examples publish both formats to fixed topics): first non-whitespace byte {@code {} → JSON,
 * {@code 0xFC} → gzip-compressed binary, anything else → binary.
 */
public enum PayloadFormat {
  JSON,
  BINARY_COMPRESSED,
  BINARY;

  public static PayloadFormat detect(byte[] payload) {
    if (payload.length > 0 && (payload[0] & 0xFF) == 0xFC) {
      return BINARY_COMPRESSED;
    }
    for (byte b : payload) {
      if (b == ' ' || b == '\t' || b == '\r' || b == '\n') {
        continue;
      }
      return b == '{' ? JSON : BINARY;
    }
    return BINARY;
  }
}
