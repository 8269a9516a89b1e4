package io.flexconnect.bus;

import io.vertx.core.buffer.Buffer;

/**
 * Passes immutable records between verticles of one JVM by reference. The built-in JSON and buffer
 * codecs copy on every send; these messages never leave the instance that received the MQTT
 * message (each instance has its own subscription), so they need no wire format. The few records
 * that cross to another member of a cluster do so under a named wire codec of their own.
 *
 * @param <T> the record type
 */
public final class LocalCodec<T> extends ByReferenceCodec<T> {
  public LocalCodec(Class<T> type) {
    super("local:" + type.getName());
  }

  @Override
  public void encodeToWire(Buffer buffer, T t) {
    throw new UnsupportedOperationException(name() + " is local-only");
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    throw new UnsupportedOperationException(name() + " is local-only");
  }
}
