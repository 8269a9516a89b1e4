package io.flexconnect.bus;

import io.vertx.core.eventbus.MessageCodec;

/**
 * A codec whose records pass between verticles of one JVM by reference (they are immutable); what
 * it does on the wire, if anything, is up to the subclass.
 *
 * @param <T> the record type
 */
public abstract class ByReferenceCodec<T> implements MessageCodec<T, T> {
  private final String name;

  protected ByReferenceCodec(String name) {
    this.name = name;
  }

  @Override
  public final T transform(T t) {
    return t;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final byte systemCodecID() {
    return -1;
  }
}
