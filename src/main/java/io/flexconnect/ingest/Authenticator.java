package io.flexconnect.ingest;

import io.flexconnect.codec.RejectReason;
import io.flexconnect.codec.Rejection;
import io.flexconnect.device.Device;
import io.flexconnect.device.DeviceDirectory;
import io.flexconnect.device.Tokens;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * Decides which device a message may be stored as: the token must be the device's (compared
 * against its stored hash), and where the topic names a device it must be the same one, so a
 * leaked token alone cannot write as another device.
 */
final class Authenticator {
  private final DeviceDirectory devices;
  private final int topicSegment;

  Authenticator(DeviceDirectory devices, int topicSegment) {
    this.devices = devices;
    this.topicSegment = topicSegment;
  }

  /** JSON: the message names its device and carries the token. */
  Future<Identity> byDeviceId(String deviceId, String token, String topic) {
    return devices.byId(deviceId).map(found -> {
      if (found.isEmpty()) {
        return Identity.refused(RejectReason.UNKNOWN_DEVICE, "no device '" + deviceId + "' is registered");
      }
      if (!found.get().acceptsToken(token, Instant.now())) {
        return Identity.refused(RejectReason.WRONG_TOKEN, found.get().tokens().isEmpty()
            ? "device '" + deviceId + "' has no valid credentials (revoked)"
            : "token does not belong to device '" + deviceId + "'");
      }
      return checkTopic(found.get(), topic);
    });
  }

  /** Binary: the token alone identifies the device. */
  Future<Identity> byToken(String token, String topic) {
    return devices.byTokenHash(Tokens.hash(token.getBytes(StandardCharsets.UTF_8))).compose(found -> {
      // Re-checked against the validity: a rotated-out token's grace may end while it is cached.
      if (found.isPresent() && found.get().acceptsToken(token, Instant.now())) {
        return Future.succeededFuture(checkTopic(found.get(), topic));
      }
      String named = TopicDevice.of(topic, topicSegment);
      if (named == null) {
        return Future.succeededFuture(Identity.refused(RejectReason.WRONG_TOKEN, "the token belongs to no registered device"));
      }
      // Tell "no such device" from "not this device's token" when the topic names one.
      return devices.byId(named).map(device -> device.isPresent()
          ? Identity.refused(RejectReason.WRONG_TOKEN, "token does not belong to device '" + named + "'")
          : Identity.refused(RejectReason.UNKNOWN_DEVICE, "no device '" + named + "' is registered"));
    });
  }

  private Identity checkTopic(Device device, String topic) {
    String named = TopicDevice.of(topic, topicSegment);
    if (named != null && !named.equals(device.deviceId())) {
      return new Identity(null, Rejection.of(RejectReason.TOPIC_DEVICE_MISMATCH, "topic names device '" + named
          + "' but the message authenticates as '" + device.deviceId() + "'"), device.deviceId());
    }
    return new Identity(device, null, device.deviceId());
  }

  /**
   * The authenticated device, or the refusal.
   *
   * @param proven the device whose token the message carries, also when it is refused for its topic; null
   *     when the token proved nothing
   */
  record Identity(Device device, Rejection refusal, String proven) {
    static Identity refused(RejectReason reason, String detail) {
      return new Identity(null, Rejection.of(reason, detail), null);
    }

    Optional<Device> accepted() {
      return Optional.ofNullable(device);
    }
  }
}
