package io.flexconnect.storage;

/**
 * A binary CAN message kept for re-decoding: the points section of the (decompressed) message,
 * without the token.
 */
public record RawCanMessage(String deviceId, long firstTimestampMs, long lastTimestampMs, long receivedAtMs,
    byte[] points) {}
