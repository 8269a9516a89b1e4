package io.flexconnect.codec.can;

import io.flexconnect.testing.CanMessageBuilder;

import static io.flexconnect.codec.can.CanTestSupport.accepted;
import static io.flexconnect.codec.can.CanTestSupport.bytes;
import static io.flexconnect.codec.can.CanTestSupport.rejection;
import static io.flexconnect.codec.can.CanTestSupport.vector;
import static org.assertj.core.api.Assertions.assertThat;

import io.flexconnect.codec.Decoded;
import io.flexconnect.codec.RejectReason;
import io.flexconnect.codec.Rejection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Malformed messages derived from the seed vector. Seed layout: token length at 0, token 4..49,
 * point 0 at 50 (Length 34, two readings), point 1 at 84 (Length 23, one reading), end at 107.
 */
class CanMalformedCorpusTest {

  private static final int POINT0 = 50;
  private static final int POINT1 = 84;

  private final byte[] seed = vector("seed-binary.bin");

  private static RejectReason expectedForPrefix(int length) {
    if (length == 0) {
      return RejectReason.EMPTY_PAYLOAD;
    }
    if (length < 4) {
      return RejectReason.TRUNCATED;
    }
    if (length < POINT0) {
      return RejectReason.BAD_TOKEN_LENGTH; // 46 declared, fewer remain
    }
    return RejectReason.TRUNCATED;
  }

  @Test
  void verifiesThatTheSeedTruncatedAtEveryOffsetIsRejectedWithAReasonAndOffset() {
    assertThat(seed).hasSize(107);
    for (int length = 0; length < seed.length; length++) {
      if (length == POINT1) {
        continue; // a point boundary: a valid one-point message, see the next test
      }
      Rejection rejection = rejection(Arrays.copyOf(seed, length));
      assertThat(rejection.reason()).as("prefix of %d bytes", length).isEqualTo(expectedForPrefix(length));
      assertThat(rejection.detail()).as("prefix of %d bytes", length).matches("offset \\d+: .+");
    }
  }

  @Test
  void verifiesThatTruncationAtAPointBoundaryIsIndistinguishableFromAShorterMessage() {
    try (CanMessage message = accepted(Arrays.copyOf(seed, POINT1))) {
      assertThat(message.pointCount()).isEqualTo(1);
      assertThat(message.readingCount()).isEqualTo(2);
    }
  }

  @Test
  void verifiesThatTruncationInsideAPointNamesThePointOffset() {
    Rejection rejection = rejection(Arrays.copyOf(seed, 100));
    assertThat(rejection.detail()).startsWith("offset 84: point Length 23 exceeds the 16 bytes");
  }

  @Test
  void verifiesThatTheCompressedSeedTruncatedAtEveryOffsetIsRejected() {
    byte[] compressed = vector("seed-binary-compressed.bin");
    for (int length = 1; length < compressed.length; length++) {
      Rejection rejection = rejection(Arrays.copyOf(compressed, length));
      assertThat(rejection.reason()).as("prefix of %d bytes", length).isEqualTo(RejectReason.BAD_GZIP);
    }
  }

  private byte[] withPointLength(int pointOffset, int length) {
    byte[] copy = seed.clone();
    copy[pointOffset + 10] = (byte) length;
    copy[pointOffset + 11] = (byte) (length >>> 8);
    return copy;
  }

  @Test
  void verifiesThatTheFirstPointLengthOneShortIsABadPointLength() {
    Rejection rejection = rejection(withPointLength(POINT0, 33));
    assertThat(rejection.reason()).isEqualTo(RejectReason.BAD_POINT_LENGTH);
    assertThat(rejection.detail()).startsWith("offset 50: point Length 33")
        .contains("reading 1 at offset 75");
  }

  @Test
  void verifiesThatTheFirstPointLengthOneLongIsABadPointLength() {
    Rejection rejection = rejection(withPointLength(POINT0, 35));
    assertThat(rejection.reason()).isEqualTo(RejectReason.BAD_POINT_LENGTH);
    assertThat(rejection.detail()).startsWith("offset 50: point Length 35")
        .contains("readings end at offset 84");
  }

  @Test
  void verifiesThatTheLastPointLengthOneShortIsABadPointLength() {
    Rejection rejection = rejection(withPointLength(POINT1, 22));
    assertThat(rejection.reason()).isEqualTo(RejectReason.BAD_POINT_LENGTH);
    assertThat(rejection.detail()).startsWith("offset 84:");
  }

  @Test
  void verifiesThatTheLastPointLengthOneLongIsTruncated() {
    Rejection rejection = rejection(withPointLength(POINT1, 24));
    assertThat(rejection.reason()).isEqualTo(RejectReason.TRUNCATED);
    assertThat(rejection.detail()).startsWith("offset 84: point Length 24 exceeds the 23 bytes");
  }

  @Test
  void verifiesThatAPointLengthBelowTheHeaderIsABadPointLength() {
    Rejection rejection = rejection(withPointLength(POINT0, 11));
    assertThat(rejection.reason()).isEqualTo(RejectReason.BAD_POINT_LENGTH);
    assertThat(rejection.detail()).contains("shorter than its 12-byte header");
  }

  @Test
  void verifiesThatAReadingsCountTooHighForTheLengthIsABadPointLength() {
    byte[] copy = seed.clone();
    copy[POINT0 + 8] = 5; // 12 + 5 * 5 = 37 > 34
    assertThat(rejection(copy).reason()).isEqualTo(RejectReason.BAD_POINT_LENGTH);
  }

  @Test
  void verifiesThatAReadingsCountOneLowIsABadPointLength() {
    byte[] copy = seed.clone();
    copy[POINT0 + 8] = 1;
    assertThat(rejection(copy).reason()).isEqualTo(RejectReason.BAD_POINT_LENGTH);
  }

  @Test
  void verifiesThatAnEmptyPointWithBytesInsideIsABadPointLength() {
    byte[] bytes = CanMessageBuilder.withToken("t").point(1).readingsCount(0).pointBytes(1, 2, 3).build();
    assertThat(rejection(bytes).reason()).isEqualTo(RejectReason.BAD_POINT_LENGTH);
  }

  @Test
  void verifiesThatTrailingBytesShorterThanAPointHeaderAreTruncated() {
    byte[] bytes = Arrays.copyOf(seed, seed.length + 11);
    Rejection rejection = rejection(bytes);
    assertThat(rejection.reason()).isEqualTo(RejectReason.TRUNCATED);
    assertThat(rejection.detail()).startsWith("offset 107: 11 trailing bytes");
  }

  @Test
  void verifiesThatAHugeTokenLengthIsRejectedBeforeAllocation() {
    Rejection rejection = rejection(bytes(0xFF, 0xFF, 0xFF, 0xFF, 't', 'o', 'k'));
    assertThat(rejection.reason()).isEqualTo(RejectReason.BAD_TOKEN_LENGTH);
    assertThat(rejection.detail()).isEqualTo("offset 0: token length 4294967295 exceeds the limit of 1024 bytes");
  }

  @Test
  void verifiesThatATokenLengthJustBeyondWhatRemainsIsRejected() {
    Rejection rejection = rejection(bytes(0, 0, 0, 5, 't', 'o', 'k', 'n'));
    assertThat(rejection.reason()).isEqualTo(RejectReason.BAD_TOKEN_LENGTH);
    assertThat(rejection.detail()).contains("exceeds the 4 bytes that remain");
  }

  @Test
  void verifiesThatATokenAboveTheConfiguredLimitIsRejected() {
    CanMessageDecoder strict = new CanMessageDecoder(CanDecoderLimits.DEFAULTS.withMaxTokenBytes(45));
    assertThat(rejection(strict, seed).reason()).isEqualTo(RejectReason.BAD_TOKEN_LENGTH);
  }

  @Test
  void verifiesThatGarbageAfterTheMarkerIsBadGzip() {
    assertThat(rejection(bytes(0xFC, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19))
        .reason()).isEqualTo(RejectReason.BAD_GZIP);
  }

  @Test
  void verifiesThatALoneMarkerIsBadGzip() {
    assertThat(rejection(bytes(0xFC)).reason()).isEqualTo(RejectReason.BAD_GZIP);
  }

  @Test
  void verifiesThatAGzipBombIsStoppedAtTheDecompressionLimit() {
    byte[] bomb = CanMessageBuilder.compress(new byte[64 * 1024 * 1024]);
    assertThat(bomb.length).isLessThan(128 * 1024);
    assertThat(rejection(bomb).reason()).isEqualTo(RejectReason.DECOMPRESSED_TOO_LARGE);
  }

  @Test
  void verifiesThatAMalformedCompressedMessageReportsTheUncompressedOffset() {
    byte[] compressed = CanMessageBuilder.compress(withPointLength(POINT0, 35));
    Rejection rejection = rejection(compressed);
    assertThat(rejection.reason()).isEqualTo(RejectReason.BAD_POINT_LENGTH);
    assertThat(rejection.detail()).startsWith("offset 50:");
  }

  @Test
  void verifiesThatMorePointsThanTheLimitAreOversized() {
    CanMessageDecoder strict = new CanMessageDecoder(CanDecoderLimits.DEFAULTS.withMaxPoints(1));
    Rejection rejection = rejection(strict, seed);
    assertThat(rejection.reason()).isEqualTo(RejectReason.OVERSIZED);
    assertThat(rejection.detail()).startsWith("offset 84:");
  }

  @Test
  void verifiesThatMoreReadingsPerPointThanTheLimitAreOversized() {
    CanMessageDecoder strict = new CanMessageDecoder(CanDecoderLimits.DEFAULTS.withMaxReadingsPerPoint(1));
    assertThat(rejection(strict, seed).reason()).isEqualTo(RejectReason.OVERSIZED);
  }

  @Test
  void verifiesThatRandomCorruptionNeverThrowsAndAcceptedMessagesStayInBounds() {
    CanMessageDecoder decoder = new CanMessageDecoder();
    Random random = new Random(42);
    byte[] compressed = vector("seed-binary-compressed.bin");
    int accepted = 0;
    for (int round = 0; round < 20_000; round++) {
      byte[] base = round % 10 == 0 ? compressed : seed;
      byte[] bytes = Arrays.copyOf(base, Math.max(1, base.length - random.nextInt(8) + random.nextInt(8)));
      for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
        bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
      }
      ByteBuf payload = Unpooled.wrappedBuffer(bytes);
      Decoded<CanMessage> result = decoder.decode(payload);
      if (result instanceof Decoded.Ok<CanMessage> ok) {
        accepted++;
        try (CanMessage message = ok.value()) {
          int[] total = new int[1];
          message.forEachReading((ts, bus, id, ext, buf, index, length) -> {
            assertThat(index + length).isLessThanOrEqualTo(buf.writerIndex());
            total[0]++;
          });
          assertThat(total[0]).isEqualTo(message.readingCount());
        }
      }
      payload.release();
    }
    assertThat(accepted).isPositive(); // flips inside data bytes keep a message valid
  }
}
