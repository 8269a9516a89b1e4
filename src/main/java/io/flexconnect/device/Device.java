package io.flexconnect.device;

/** A registered device. The token itself is never kept: only its hash. */
public record Device(String deviceId, String tenantId, byte[] tokenHash) {}
