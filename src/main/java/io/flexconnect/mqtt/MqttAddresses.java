package io.flexconnect.mqtt;

/** Event-bus addresses served by the MQTT feature. */
public final class MqttAddresses {
  private MqttAddresses() {}

  /** Any body in, a {@link SubscriptionStatus} out. */
  public static final String STATUS = "flexconnect.mqtt.status";

  /** {@link OutboundMessage} in; replied once the broker acknowledged it (QoS 1). */
  public static final String PUBLISH = "flexconnect.mqtt.publish";
}
