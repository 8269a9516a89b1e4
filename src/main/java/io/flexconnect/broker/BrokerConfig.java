package io.flexconnect.broker;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the embedded MQTT broker, validated once at construction.
 *
 * @param host                  interface to bind the plain MQTT listener to
 * @param port                  TCP port of the plain listener; {@code 0} picks a free port
 *                              (read it back with {@link EmbeddedBrokerVerticle#actualPort()})
 * @param maxInflightPerSession unacknowledged QoS 1 deliveries per subscriber session (1..65535,
 *                              bounded by the MQTT packet-id space)
 * @param maxQueuedPerSession   deliveries waiting behind the in-flight window per session; a memory
 *                              bound: when reached, publishers are disconnected instead of messages dropped
 * @param maxQueuedBytesPerSession payload bytes those waiting deliveries may hold, the same kind of bound
 *                              (whichever is reached first), so memory is bounded whatever the message size
 * @param maxMessageBytes       largest accepted PUBLISH payload; larger ones disconnect the publisher
 * @param ackTimeout            a connected subscriber whose oldest in-flight delivery stays unacknowledged
 *                              longer than this is disconnected (its persistent session keeps the
 *                              messages for redelivery); {@link Duration#ZERO} disables the check
 * @param maxRetainedMessages   number of distinct retained topics kept in memory
 * @param maxClientIdLength     longest accepted client identifier
 */
public record BrokerConfig(
    String host,
    int port,
    int maxInflightPerSession,
    int maxQueuedPerSession,
    long maxQueuedBytesPerSession,
    int maxMessageBytes,
    Duration ackTimeout,
    int maxRetainedMessages,
    int maxClientIdLength) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 1883;
  public static final int DEFAULT_MAX_INFLIGHT = 1000;
  public static final int DEFAULT_MAX_QUEUED = 1_000_000;
  public static final long DEFAULT_MAX_QUEUED_BYTES = 64L * 1024 * 1024;
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;
  public static final int DEFAULT_MAX_RETAINED = 10_000;
  /** Generous compared with the 23 of MQTT 3.1.1: device ids often embed serial numbers. */
  public static final int DEFAULT_MAX_CLIENT_ID_LENGTH = 256;

  /** Largest packet id in MQTT; more in-flight deliveries could not be told apart. */
  static final int MAX_PACKET_ID = 65_535;

  public BrokerConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(ackTimeout, "ackTimeout");
    require(port >= 0 && port <= 65_535, "port must be in 0..65535, was " + port);
    require(maxInflightPerSession >= 1 && maxInflightPerSession <= MAX_PACKET_ID,
        "maxInflightPerSession must be in 1..65535, was " + maxInflightPerSession);
    require(maxQueuedPerSession >= 1, "maxQueuedPerSession must be positive, was " + maxQueuedPerSession);
    require(maxQueuedBytesPerSession >= 1,
        "maxQueuedBytesPerSession must be positive, was " + maxQueuedBytesPerSession);
    require(maxMessageBytes >= 1, "maxMessageBytes must be positive, was " + maxMessageBytes);
    // The decoder limit is maxMessageBytes plus header room and must stay an int.
    require(maxMessageBytes <= 256 * 1024 * 1024, "maxMessageBytes must be at most 256 MiB, was " + maxMessageBytes);
    require(!ackTimeout.isNegative(), "ackTimeout must not be negative, was " + ackTimeout);
    require(maxRetainedMessages >= 0, "maxRetainedMessages must not be negative, was " + maxRetainedMessages);
    require(maxClientIdLength >= 1, "maxClientIdLength must be positive, was " + maxClientIdLength);
  }

  /** The zero-config defaults: loopback, port 1883, 1000 in flight, 1,000,000 or 64 MiB queued, 1 MiB. */
  public static BrokerConfig defaults() {
    return new BrokerConfig(DEFAULT_HOST, DEFAULT_PORT, DEFAULT_MAX_INFLIGHT, DEFAULT_MAX_QUEUED,
        DEFAULT_MAX_QUEUED_BYTES, DEFAULT_MAX_MESSAGE_BYTES, Duration.ZERO, DEFAULT_MAX_RETAINED, DEFAULT_MAX_CLIENT_ID_LENGTH);
  }

  public BrokerConfig withHost(String newHost) {
    return new BrokerConfig(newHost, port, maxInflightPerSession, maxQueuedPerSession, maxQueuedBytesPerSession, maxMessageBytes,
        ackTimeout, maxRetainedMessages, maxClientIdLength);
  }

  public BrokerConfig withPort(int newPort) {
    return new BrokerConfig(host, newPort, maxInflightPerSession, maxQueuedPerSession, maxQueuedBytesPerSession, maxMessageBytes,
        ackTimeout, maxRetainedMessages, maxClientIdLength);
  }

  public BrokerConfig withMaxInflightPerSession(int value) {
    return new BrokerConfig(host, port, value, maxQueuedPerSession, maxQueuedBytesPerSession, maxMessageBytes,
        ackTimeout, maxRetainedMessages, maxClientIdLength);
  }

  public BrokerConfig withMaxQueuedPerSession(int value) {
    return new BrokerConfig(host, port, maxInflightPerSession, value, maxQueuedBytesPerSession, maxMessageBytes,
        ackTimeout, maxRetainedMessages, maxClientIdLength);
  }

  public BrokerConfig withMaxQueuedBytesPerSession(long value) {
    return new BrokerConfig(host, port, maxInflightPerSession, maxQueuedPerSession, value, maxMessageBytes,
        ackTimeout, maxRetainedMessages, maxClientIdLength);
  }

  public BrokerConfig withMaxMessageBytes(int value) {
    return new BrokerConfig(host, port, maxInflightPerSession, maxQueuedPerSession, maxQueuedBytesPerSession, value,
        ackTimeout, maxRetainedMessages, maxClientIdLength);
  }

  public BrokerConfig withAckTimeout(Duration value) {
    return new BrokerConfig(host, port, maxInflightPerSession, maxQueuedPerSession, maxQueuedBytesPerSession, maxMessageBytes,
        value, maxRetainedMessages, maxClientIdLength);
  }

  public BrokerConfig withMaxRetainedMessages(int value) {
    return new BrokerConfig(host, port, maxInflightPerSession, maxQueuedPerSession, maxQueuedBytesPerSession, maxMessageBytes,
        ackTimeout, value, maxClientIdLength);
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
