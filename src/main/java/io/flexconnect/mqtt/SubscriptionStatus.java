package io.flexconnect.mqtt;

/**
 * The state of the platform's broker subscription, for health checks and metrics.
 *
 * @param inFlight messages received and not yet acknowledged (waiting for storage)
 * @param retries deliveries to the pipeline that failed and were retried
 */
public record SubscriptionStatus(
    boolean subscribed, String broker, String topicFilter, long received, long acknowledged,
    long inFlight, long retries, long reconnects) {}
