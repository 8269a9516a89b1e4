package io.flexconnect.storage;

/**
 * A refused message as kept in {@code rejected_messages}; the writer replies once it is committed.
 *
 * @param deviceId the device the message was authenticated as, else the registered device it claimed or
 *     whose topic it came on; null when there is none
 * @param authenticated whether the message proved to be {@code deviceId}'s (its token was checked)
 * @param payloadHead the first bytes of the payload (bounded by configuration)
 */
public record RejectedMessage(
    long receivedAtMs,
    String topic,
    String reason,
    String detail,
    String deviceId,
    boolean authenticated,
    int payloadSize,
    byte[] payloadHead) {}
