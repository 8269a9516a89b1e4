package io.flexconnect.codec.can;

import io.flexconnect.testing.CanMessageBuilder;

import static io.flexconnect.codec.can.CanTestSupport.SEED_TOKEN;
import static io.flexconnect.codec.can.CanTestSupport.SEED_TS;
import static io.flexconnect.codec.can.CanTestSupport.accepted;
import static io.flexconnect.codec.can.CanTestSupport.bytes;
import static io.flexconnect.codec.can.CanTestSupport.rejection;
import static io.flexconnect.codec.can.CanTestSupport.vector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flexconnect.codec.Decoded;
import io.flexconnect.codec.RejectReason;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CanMessageDecoderTest {

  private final CanMessageDecoder decoder = new CanMessageDecoder();

  private static void assertSeedContent(CanMessage message) {
    assertThat(message.token()).isEqualTo(SEED_TOKEN);
    List<CanPoint> points = message.points();
    assertThat(points).hasSize(2);
    assertThat(points.get(0).timestampMs()).isEqualTo(SEED_TS);
    assertThat(points.get(1).timestampMs()).isEqualTo(SEED_TS + 100);

    List<CanReading> first = points.get(0).readings();
    assertThat(first).hasSize(2);
    assertThat(first.get(0).canId()).isEqualTo(0x123);
    assertThat(first.get(0).bus()).isEqualTo(1);
    assertThat(first.get(0).extended()).isFalse();
    assertThat(first.get(0).dataBytes()).containsExactly(bytes(1, 2, 3, 4, 5, 6, 7, 8));
    assertThat(first.get(1).canId()).isEqualTo(0x456);
    assertThat(first.get(1).bus()).isEqualTo(1);
    assertThat(first.get(1).dataBytes()).containsExactly(bytes(0xAA, 0xBB, 0xCC, 0xDD));

    List<CanReading> second = points.get(1).readings();
    assertThat(second).hasSize(1);
    assertThat(second.get(0).canId()).isEqualTo(0x789);
    assertThat(second.get(0).bus()).isEqualTo(2);
    assertThat(second.get(0).dataBytes()).containsExactly(bytes(0x11, 0x22, 0x33, 0x44, 0x55, 0x66));
    assertThat(message.readingCount()).isEqualTo(3);
  }

  @Test
  void verifiesThatTheSeedVectorDecodesToTheContractValues() {
    try (CanMessage message = accepted(vector("seed-binary.bin"))) {
      assertSeedContent(message);
      assertThat(message.compressed()).isFalse();
    }
  }

  @Test
  void verifiesThatTheCompressedSeedVectorDecodesToTheSameValues() {
    try (CanMessage message = accepted(vector("seed-binary-compressed.bin"))) {
      assertSeedContent(message);
      assertThat(message.compressed()).isTrue();
      assertThat(message.messageBytes()).isEqualTo(vector("seed-binary.bin").length);
    }
  }

  @Test
  void verifiesThatTheCanFdVectorHasBus3And32DataBytes() {
    try (CanMessage message = accepted(vector("canfd-dlc13.bin"))) {
      CanReading reading = message.points().get(0).readings().get(0);
      assertThat(reading.bus()).isEqualTo(3);
      assertThat(reading.dlc()).isEqualTo(13);
      assertThat(reading.dataBytes()).containsExactly(CanMessageBuilder.rangeBytes(0, 32));
    }
  }

  @Test
  void verifiesThatAHandWrittenMessageDecodes() {
    byte[] message = bytes(
        0x00, 0x00, 0x00, 0x02,                          // token length 2, big-endian
        'a', 'b',                                        // token
        0xC0, 0x9F, 0x62, 0xC7, 0x79, 0x01, 0x00, 0x00,  // timestamp 1622547800000, little-endian
        0x02, 0x00,                                      // 2 readings
        0x1E, 0x00,                                      // Length 30 = 12 + (5 + 2) + (5 + 6)
        0x00, 0xF1, 0xFE, 0x98,                          // CAN ID 0x98FEF100: bit 31, extended
        0x02,                                            // bus 0, dlc 2
        0xCA, 0xFE,
        0xFF, 0x07, 0x00, 0x00,                          // CAN ID 0x7FF: standard
        0xE6,                                            // bus 7, dlc 6
        0x01, 0x02, 0x03, 0x04, 0x05, 0x06);
    try (CanMessage decoded = accepted(message)) {
      assertThat(decoded.token()).isEqualTo("ab");
      List<CanReading> readings = decoded.points().get(0).readings();
      assertThat(readings.get(0).canId()).isEqualTo(0x18FEF100);
      assertThat(readings.get(0).extended()).isTrue();
      assertThat(readings.get(0).dataBytes()).containsExactly(bytes(0xCA, 0xFE));
      assertThat(readings.get(1).canId()).isEqualTo(0x7FF);
      assertThat(readings.get(1).bus()).isEqualTo(7);
      assertThat(readings.get(1).dataBytes()).containsExactly(bytes(1, 2, 3, 4, 5, 6));
    }
  }

  @Test
  void verifiesThatTheDecoderRecoversAfterACorruptMessage() {
    byte[] corrupt = vector("seed-binary.bin");
    corrupt[60] = 0x20; // first point's Length: 32 instead of 34
    assertThat(rejection(decoder, corrupt).reason()).isEqualTo(RejectReason.BAD_POINT_LENGTH);
    try (CanMessage message = accepted(decoder, vector("seed-binary.bin"))) {
      assertSeedContent(message);
    }
  }

  @Test
  void verifiesThatTheVisitorReportsEveryReadingAsPrimitives() {
    List<String> seen = new ArrayList<>();
    try (CanMessage message = accepted(vector("seed-binary.bin"))) {
      message.forEachReading((ts, bus, id, ext, buf, index, length) -> seen.add(
          ts + "/" + bus + "/" + Integer.toHexString(id) + "/" + ext + "/" + length + "/"
              + Integer.toHexString(buf.getUnsignedByte(index))));
    }
    assertThat(seen).containsExactly(
        SEED_TS + "/1/123/false/8/1",
        SEED_TS + "/1/456/false/4/aa",
        (SEED_TS + 100) + "/2/789/false/6/11");
  }

  @Test
  void verifiesThatReadingDataIsASliceOfThePayloadNotACopy() {
    byte[] seed = vector("seed-binary.bin");
    ByteBuf payload = Unpooled.wrappedBuffer(seed);
    try (CanMessage message = ((Decoded.Ok<CanMessage>) decoder.decode(payload)).value()) {
      seed[67] = 0x7E; // first data byte of 0x123, in the caller's array
      assertThat(message.points().get(0).readings().get(0).data().getByte(0)).isEqualTo((byte) 0x7E);
    } finally {
      payload.release();
    }
  }

  @Test
  void verifiesThatTheMessageHoldsOneReferenceToThePayloadUntilClosed() {
    ByteBuf payload = Unpooled.directBuffer().writeBytes(vector("seed-binary.bin"));
    CanMessage message = ((Decoded.Ok<CanMessage>) decoder.decode(payload)).value();
    assertThat(payload.refCnt()).isEqualTo(2);
    message.close();
    message.close(); // idempotent
    assertThat(payload.refCnt()).isEqualTo(1);
    payload.release();
  }

  @Test
  void verifiesThatARejectedPayloadKeepsItsReferenceCountAndIndices() {
    ByteBuf payload = Unpooled.directBuffer().writeBytes(bytes(0, 0, 0, 1, 'x', 1, 2));
    int readerIndex = payload.readerIndex();
    assertThat(decoder.decode(payload)).isInstanceOf(Decoded.Rejected.class);
    assertThat(payload.refCnt()).isEqualTo(1);
    assertThat(payload.readerIndex()).isEqualTo(readerIndex);
    payload.release();
  }

  @Test
  void verifiesThatDecodingStartsAtTheReaderIndexAndLeavesItUnchanged() {
    byte[] seed = vector("seed-binary.bin");
    ByteBuf payload = Unpooled.buffer().writeBytes(bytes(0xEE, 0xEE, 0xEE)).writeBytes(seed);
    payload.readerIndex(3);
    try (CanMessage message = ((Decoded.Ok<CanMessage>) decoder.decode(payload)).value()) {
      assertSeedContent(message);
      assertThat(payload.readerIndex()).isEqualTo(3);
      assertThat(message.buffer().getByte(3)).isEqualTo((byte) 0x2E); // index 0 = message start
    } finally {
      payload.release();
    }
  }

  @Test
  void verifiesThatACompressedPayloadInADirectBufferDecodes() {
    ByteBuf payload = Unpooled.directBuffer().writeBytes(vector("seed-binary-compressed.bin"));
    try (CanMessage message = ((Decoded.Ok<CanMessage>) decoder.decode(payload)).value()) {
      assertSeedContent(message);
    } finally {
      payload.release();
    }
  }

  @Test
  void verifiesThatClosingACompressedMessageReleasesTheDecompressedBuffer() {
    CanMessage message = accepted(vector("seed-binary-compressed.bin"));
    ByteBuf inflated = message.buffer();
    assertThat(inflated.refCnt()).isEqualTo(1);
    message.close();
    assertThat(inflated.refCnt()).isZero();
  }

  @Test
  void verifiesThatUsingAClosedMessageFails() {
    CanMessage message = accepted(vector("seed-binary.bin"));
    message.close();
    assertThatThrownBy(() -> message.forEachReading((a, b, c, d, e, f, g) -> { }))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void verifiesThatToStringNeverShowsTheToken() {
    try (CanMessage message = accepted(vector("seed-binary.bin"))) {
      assertThat(message.toString()).doesNotContain("tok_").contains("points=2");
    }
  }

  @Test
  void verifiesThatAnEmptyPointIsAccepted() {
    byte[] bytes = CanMessageBuilder.withToken("t").point(SEED_TS).build();
    assertThat(bytes).hasSize(4 + 1 + 12);
    try (CanMessage message = accepted(bytes)) {
      assertThat(message.pointCount()).isEqualTo(1);
      assertThat(message.points().get(0).readings()).isEmpty();
    }
  }

  @Test
  void verifiesThatAMessageWithoutPointsIsRejectedAsTruncatedByDefault() {
    byte[] bytes = CanMessageBuilder.withToken("tok").build();
    assertThat(rejection(bytes).reason()).isEqualTo(RejectReason.TRUNCATED);
    assertThat(rejection(bytes).detail()).startsWith("offset 7:").contains("no CAN point");
  }

  @Test
  void verifiesThatAMessageWithoutPointsIsAcceptedWhenConfigured() {
    CanMessageDecoder lenient = new CanMessageDecoder(CanDecoderLimits.DEFAULTS.withAllowEmptyMessage(true));
    try (CanMessage message = accepted(lenient, CanMessageBuilder.withToken("tok").build())) {
      assertThat(message.pointCount()).isZero();
      assertThat(message.token()).isEqualTo("tok");
    }
  }

  @Test
  void verifiesThatExtendedIdsAreDetectedByBit31() {
    byte[] bytes = CanMessageBuilder.withToken("t").point(SEED_TS)
        .reading(0x8000_0123L, 0, 1, 0x42).build();
    try (CanMessage message = accepted(bytes)) {
      CanReading reading = message.points().get(0).readings().get(0);
      assertThat(reading.extended()).isTrue();
      assertThat(reading.canId()).isEqualTo(0x123);
      assertThat(reading.dbcId()).isEqualTo(0x8000_0123);
    }
  }

  @Test
  void verifiesThatIdsAbove0x7ffAreExtendedAndMaskedTo29Bits() {
    byte[] bytes = CanMessageBuilder.withToken("t").point(SEED_TS)
        .reading(0x18FE_F100L, 0, 0)
        .reading(0x7FF, 0, 0)
        .reading(0x7FFF_FFFFL, 7, 0)
        .build();
    try (CanMessage message = accepted(bytes)) {
      List<CanReading> readings = message.points().get(0).readings();
      assertThat(readings.get(0).extended()).isTrue();
      assertThat(readings.get(0).canId()).isEqualTo(0x18FE_F100);
      assertThat(readings.get(1).extended()).isFalse();
      assertThat(readings.get(1).canId()).isEqualTo(0x7FF);
      assertThat(readings.get(2).canId()).isEqualTo(0x1FFF_FFFF);
      assertThat(readings.get(2).bus()).isEqualTo(7);
    }
  }
}
