package io.flexconnect.storage;

/**
 * A refused message as kept in {@code rejected_messages}; the writer replies once it is committed.
 *
 * @param deviceId the device the message claimed or was authenticated as, when known
 * @param payloadHead the first bytes of the payload (bounded by configuration)
 */
public record RejectedMessage(
    long receivedAtMs,
    String topic,
    String reason,
    String detail,
    String deviceId,
    int payloadSize,
    byte[] payloadHead) {}
