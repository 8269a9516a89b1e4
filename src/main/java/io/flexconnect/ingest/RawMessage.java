package io.flexconnect.ingest;

/**
 * An MQTT message as received, before any decoding.
 *
 * @param payload the payload bytes; not modified by anyone after receipt
 * @param receivedAtMs platform clock at receipt
 */
public record RawMessage(String topic, byte[] payload, long receivedAtMs) {}
