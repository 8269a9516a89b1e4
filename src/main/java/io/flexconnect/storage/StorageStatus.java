package io.flexconnect.storage;

/**
 * The writer's state for health checks: whether writes are failing for everyone right now, and how
 * many messages were refused for good because the database can never store them.
 *
 * @param failing the last flush failed with a storage error and none has committed since
 * @param lastError the error of the failing flushes ({@code SQLSTATE: message}), or null when not failing
 * @param failingSinceMs when the current failure began (epoch ms), or 0
 * @param refused messages refused so far (they are rejected with reason {@code storage_refused})
 */
public record StorageStatus(boolean failing, String lastError, long failingSinceMs, long refused) {}
