package io.flexconnect.mqtt;

/** A message the platform publishes itself (QoS 1), e.g. an alert on {@code flexconnect/{device}/alerts}. */
public record OutboundMessage(String topic, byte[] payload) {}
