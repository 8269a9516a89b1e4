package io.flexconnect.mqtt;

/**
 * The state of the platform's broker subscription, for health checks and metrics.
 *
 * @param inFlight messages received and not yet acknowledged (in the pipeline or waiting for storage)
 * @param retries deliveries to the pipeline that failed and were retried
 * @param waiting messages whose delivery failed, waiting for storage to take them
 * @param storageFailing the last delivery failed or the writer reported failing writes, and no
 *     commit came since
 * @param reading false while intake is stopped ({@code mqtt.maxUnacknowledged} reached, or stopping)
 */
public record SubscriptionStatus(
    boolean subscribed, String broker, String topicFilter, long received, long acknowledged,
    long inFlight, long retries, long reconnects, int waiting, boolean storageFailing, boolean reading) {}
