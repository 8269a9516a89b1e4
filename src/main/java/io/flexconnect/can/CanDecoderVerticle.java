package io.flexconnect.can;

import io.flexconnect.codec.Decoded;
import io.flexconnect.codec.can.CanDecoderLimits;
import io.flexconnect.codec.can.CanMessage;
import io.flexconnect.codec.can.CanMessageDecoder;
import io.flexconnect.ingest.RawMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;

/**
 * Decodes binary CAN messages (plain or {@code 0xFC} + gzip) into frames, on a Netty {@code
 * ByteBuf} wrapped around the received bytes: no payload byte is copied, malformed input is
 * answered with a rejection (never an exception), and the bounds of {@link CanDecoderLimits} keep
 * every declared length in check.
 */
public final class CanDecoderVerticle extends VerticleBase {
  private final CanDecoderLimits limits;
  private CanMessageDecoder decoder;

  public CanDecoderVerticle(CanDecoderLimits limits) {
    this.limits = limits;
  }

  @Override
  public Future<?> start() {
    decoder = new CanMessageDecoder(limits);
    vertx.eventBus().<RawMessage>localConsumer(CanAddresses.DECODE, this::decode);
    return Future.succeededFuture();
  }

  private void decode(Message<RawMessage> request) {
    ByteBuf payload = Unpooled.wrappedBuffer(request.body().payload());
    Decoded<CanMessage> decoded;
    try {
      decoded = decoder.decode(payload); // a decoded message retains what it references
    } finally {
      payload.release();
    }
    if (decoded instanceof Decoded.Ok<CanMessage> ok) {
      request.reply(new CanDecodeResult(ok.value(), null));
    } else {
      request.reply(new CanDecodeResult(null, ((Decoded.Rejected<CanMessage>) decoded).rejection()));
    }
  }
}
