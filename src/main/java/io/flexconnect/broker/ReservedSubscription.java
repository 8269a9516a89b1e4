package io.flexconnect.broker;

import java.util.Objects;

/**
 * A persistent QoS 1 subscription the broker holds from its first moment, before its client ever
 * connected: the platform's own ingest subscription in zero-config mode. Publishes matching it are
 * queued for the client from the start, and ack-through holds each device's PUBACK until the client
 * acknowledged the message, so a device that reconnects while the platform is still starting is
 * not told "received" for a message nobody has.
 *
 * @param clientId the client id the subscriber connects with (clean session false)
 * @param filter   its topic filter, plain or {@code $share/{group}/...}
 */
public record ReservedSubscription(String clientId, String filter) {

  public ReservedSubscription {
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(filter, "filter");
    if (clientId.isEmpty()) {
      throw new IllegalArgumentException("a reserved subscription needs a client id");
    }
    boolean valid = TopicFilter.isShared(filter) ? TopicFilter.isValidSharedFilter(filter)
        : TopicFilter.isValidFilter(filter);
    if (!valid) {
      throw new IllegalArgumentException("invalid topic filter of reserved subscription: '" + filter + "'");
    }
  }
}
