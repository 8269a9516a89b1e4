package io.flexconnect.broker;

/**
 * A point-in-time copy of the broker's counters.
 *
 * @param connectionsNow    MQTT connections currently accepted
 * @param connectionsTotal  connections accepted since start
 * @param messagesIn        PUBLISH packets accepted from clients (duplicates of a pending one excluded)
 * @param delivered         PUBLISH packets sent to subscribers, redeliveries included
 * @param acked             QoS 1 deliveries acknowledged by subscribers
 * @param queuedNow         deliveries waiting behind in-flight windows, all sessions
 * @param inflightNow       QoS 1 deliveries sent and not yet acknowledged, all sessions
 * @param overflows         publishes refused (publisher disconnected) because a target queue was full
 * @param oversize          publishes refused (publisher disconnected) for exceeding the size limit
 * @param denied            connects, publishes or subscriptions refused by the {@link BrokerAuthorizer}
 * @param ackTimeouts       subscribers disconnected for not acknowledging within the ack timeout
 */
public record BrokerStats(
    long connectionsNow,
    long connectionsTotal,
    long messagesIn,
    long delivered,
    long acked,
    long queuedNow,
    long inflightNow,
    long overflows,
    long oversize,
    long denied,
    long ackTimeouts) {
}
