/**
 * The processing layer's pure core: filtering and transforming rows ({@code pipeline}), derived
 * signals ({@code expr}) and rule-based alerting ({@code alert}). Plain Java, no Vert.x: compiled
 * configuration objects are immutable and shared; the per-device state ({@code DevicePipeline},
 * {@code DeviceAlerts}) is owned by the caller, one per device, so the work partitions by device id
 * like the writer lanes.
 */
package io.flexconnect.rules;
