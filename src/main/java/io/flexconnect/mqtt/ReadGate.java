package io.flexconnect.mqtt;

import io.netty.channel.Channel;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageFactory;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.mqtt.MqttClient;
import java.lang.reflect.Field;

/**
 * Stops and resumes reading from the broker connection of a vertx-mqtt {@link MqttClient}, by
 * Netty's {@code autoRead} on its channel, and writes the few packets the client cannot send the
 * way this needs (keep-alive while paused, a DISCONNECT that leaves the close to the broker).
 *
 * <p>Why internals: vertx-mqtt 5.0.7's {@code MqttClient} has no {@code pause()}/{@code resume()}
 * (later versions add them) and does not expose its connection, so the socket is read from the
 * private {@code MqttClientImpl.connection} field. This class is the only place that does so; when
 * the dependency offers {@code pause()}, replace its body with that.
 *
 * <p>While reading is stopped the client cannot see a PINGRESP (it sits behind unread PUBLISH
 * packets), and vertx-mqtt disconnects when a PINGREQ it sent stays unanswered. So, while paused,
 * {@link #keepAlive()} writes PINGREQs itself: the broker sees the client alive, and vertx-mqtt,
 * which pings only when nothing was written for a keep-alive interval, sends none of its own.
 * Their PINGRESPs arrive after reading resumes and are ignored by the client.
 */
final class ReadGate {
  private static final Field CONNECTION = connectionField();
  private static final MqttMessage DISCONNECT = MqttMessageFactory.newMessage(
      new MqttFixedHeader(MqttMessageType.DISCONNECT, false, MqttQoS.AT_MOST_ONCE, false, 0), null, null);

  private final MqttClient client;

  ReadGate(MqttClient client) {
    this.client = client;
  }

  /** Fails at start-up, not under load, when the dependency's internals changed. */
  private static Field connectionField() {
    try {
      Field field = Class.forName("io.vertx.mqtt.impl.MqttClientImpl").getDeclaredField("connection");
      field.setAccessible(true);
      return field;
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("vertx-mqtt's MqttClientImpl has no 'connection' field any more: "
          + "use MqttClient.pause()/resume() in " + ReadGate.class.getName(), e);
    }
  }

  /**
   * Starts or stops reading from the broker. Messages already decoded from the last socket read
   * are still delivered after reading stops (at most one read buffer's worth).
   *
   * @return false when there is no connection right now (a new one reads until told otherwise)
   */
  boolean reading(boolean on) {
    Channel channel = channel();
    if (channel == null) {
      return false;
    }
    channel.config().setAutoRead(on);
    return true;
  }

  /** Whether the current connection reads (true without a connection). */
  boolean isReading() {
    Channel channel = channel();
    return channel == null || channel.config().isAutoRead();
  }

  /** Writes a PINGREQ without waiting for its answer (see the class comment). */
  void keepAlive() {
    NetSocketInternal socket = socket();
    if (socket != null) {
      socket.writeMessage(MqttMessage.PINGREQ);
    }
  }

  /**
   * Writes a DISCONNECT and leaves the connection open for the broker to close: vertx-mqtt's own
   * {@code disconnect()} closes the socket right after writing it (see {@code MqttIngestVerticle}).
   */
  void sendDisconnect() {
    NetSocketInternal socket = socket();
    if (socket != null) {
      socket.writeMessage(DISCONNECT);
    }
  }

  private Channel channel() {
    NetSocketInternal socket = socket();
    return socket == null ? null : socket.channelHandlerContext().channel();
  }

  private NetSocketInternal socket() {
    try {
      return (NetSocketInternal) CONNECTION.get(client);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }
}
