package io.flexconnect.device;

/** Event-bus addresses of the device feature. */
public final class DeviceAddresses {
  private DeviceAddresses() {}

  /**
   * Published (body: the device id) after a device's credentials were rotated or revoked in this
   * JVM, so credential caches drop the device at once, and when {@link CredentialChangesVerticle}
   * notices a change another process made.
   */
  public static final String CREDENTIALS_CHANGED = "flexconnect.device.credentials.changed";
}
