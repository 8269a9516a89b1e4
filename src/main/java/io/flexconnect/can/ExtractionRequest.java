package io.flexconnect.can;

import io.flexconnect.codec.can.CanMessage;

/** Decode the frames of {@code message} as signals of {@code deviceId}. The sender keeps ownership. */
public record ExtractionRequest(String deviceId, CanMessage message, long receivedAtMs) {}
