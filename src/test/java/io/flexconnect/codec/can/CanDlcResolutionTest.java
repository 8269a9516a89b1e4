package io.flexconnect.codec.can;

import io.flexconnect.testing.CanMessageBuilder;

import static io.flexconnect.testing.CanMessageBuilder.range;
import static io.flexconnect.codec.can.CanTestSupport.accepted;
import static io.flexconnect.codec.can.CanTestSupport.rejection;
import static org.assertj.core.api.Assertions.assertThat;

import io.flexconnect.codec.RejectReason;
import io.flexconnect.codec.Rejection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** DLC codes 9–15 as CAN FD codes or byte counts, resolved against each point's Length. */
class CanDlcResolutionTest {

  private static final long TS = 1622547800000L;

  private static List<Integer> lengths(CanMessage message) {
    List<Integer> lengths = new ArrayList<>();
    message.forEachReading((ts, bus, id, ext, buf, index, length) -> lengths.add(length));
    return lengths;
  }

  @Test
  void verifiesThatDlc12IsACanFdCodeFor24BytesWhenThatFits() {
    byte[] bytes = CanMessageBuilder.withToken("t").point(TS).reading(0x100, 0, 12, range(0, 24)).build();
    try (CanMessage message = accepted(bytes)) {
      assertThat(lengths(message)).containsExactly(24);
    }
  }

  @Test
  void verifiesThatDlc12IsAByteCountWhenOnly12BytesFit() {
    byte[] bytes = CanMessageBuilder.withToken("t").point(TS).reading(0x100, 0, 12, range(0, 12)).build();
    try (CanMessage message = accepted(bytes)) {
      assertThat(lengths(message)).containsExactly(12);
      assertThat(message.points().get(0).readings().get(0).dataBytes()).hasSize(12);
    }
  }

  @Test
  void verifiesThatDlcAbove15IsAlwaysAByteCount() {
    byte[] bytes = CanMessageBuilder.withToken("t").point(TS)
        .reading(0x100, 0, 20, range(0, 20))
        .reading(0x101, 0, 31, range(0, 31))
        .build();
    try (CanMessage message = accepted(bytes)) {
      assertThat(lengths(message)).containsExactly(20, 31);
    }
  }

  @Test
  void verifiesThatAPointWrittenWithByteCountsThroughoutNeedsNoSearch() {
    CanMessageBuilder builder = CanMessageBuilder.withToken("t").point(TS);
    for (int i = 0; i < 2_000; i++) {
      int dlc = 9 + i % 7;
      builder.reading(i % 0x800, 0, dlc, range(i, dlc));
    }
    CanMessageDecoder noSearch = new CanMessageDecoder(CanDecoderLimits.DEFAULTS.withMaxDlcSearchSteps(1));
    try (CanMessage message = accepted(noSearch, builder.build())) {
      List<Integer> lengths = lengths(message);
      assertThat(lengths).hasSize(2_000);
      assertThat(lengths.get(0)).isEqualTo(9);
      assertThat(lengths.get(1_999)).isEqualTo(9 + 1_999 % 7);
    }
  }

  @Test
  void verifiesThatEachReadingIsResolvedOnItsOwn() {
    byte[] bytes = CanMessageBuilder.withToken("t").point(TS)
        .reading(0x100, 1, 9, range(0, 12))   // CAN FD: 12 bytes
        .reading(0x101, 1, 9, range(0, 9))    // byte count: 9 bytes
        .reading(0x102, 1, 13, range(0, 32))  // CAN FD: 32 bytes
        .build();
    try (CanMessage message = accepted(bytes)) {
      assertThat(lengths(message)).containsExactly(12, 9, 32);
      assertThat(message.points().get(0).readings()).extracting(CanReading::canId)
          .containsExactly(0x100, 0x101, 0x102);
    }
  }

  @Test
  void verifiesThatTheCanFdReadingIsPreferredWhenBothFit() {
    // [12, 9] and [9, 12] both end at Length: reading 0's data holds a plausible header at byte 9
    // whose DLC byte is reading 1's second ID byte (0x09). The CAN FD code wins on reading 0.
    byte[] bytes = CanMessageBuilder.withToken("t").point(TS)
        .reading(0x100, 0, 9, range(0, 12))
        .reading(0x0923, 0, 9, range(0, 9))
        .build();
    try (CanMessage message = accepted(bytes)) {
      assertThat(lengths(message)).containsExactly(12, 9);
    }
  }

  @Test
  void verifiesThatByteCountChoicesAreKeptPerReadingAcrossManyPoints() {
    CanMessageBuilder builder = CanMessageBuilder.withToken("t");
    for (int p = 0; p < 300; p++) {
      builder.point(TS + p).reading(p, 0, 10, range(p, p % 3 == 0 ? 10 : 16));
    }
    try (CanMessage message = accepted(builder.build())) {
      List<Integer> lengths = lengths(message);
      for (int p = 0; p < 300; p++) {
        assertThat(lengths.get(p)).as("point %d", p).isEqualTo(p % 3 == 0 ? 10 : 16);
      }
    }
  }

  @Test
  void verifiesThatADlcFittingNeitherReadingIsABadDlcWithItsOffset() {
    byte[] bytes = CanMessageBuilder.withToken("t").point(TS).reading(0x100, 0, 12, range(0, 16)).build();
    Rejection rejection = rejection(bytes);
    assertThat(rejection.reason()).isEqualTo(RejectReason.BAD_DLC);
    // token length 4 + "t" 1 + point header 12: the reading starts at 17
    assertThat(rejection.detail()).startsWith("offset 17: DLC 12 (CAN FD code for 24 bytes, or a byte count of 12)")
        .contains("point at offset 5");
  }

  @Test
  void verifiesThatAByteCountDlcWithTooFewBytesIsABadDlc() {
    byte[] bytes = CanMessageBuilder.withToken("t").point(TS).reading(0x100, 0, 20, range(0, 19)).build();
    Rejection rejection = rejection(bytes);
    assertThat(rejection.reason()).isEqualTo(RejectReason.BAD_DLC);
    assertThat(rejection.detail()).startsWith("offset 17: DLC 20 (byte count)");
  }

  private static byte[] unresolvable(int readings) {
    // Every byte 0x09: whatever the split, each header reads DLC 9 (14 or 17 bytes a reading), and
    // no mix of 14s and 17s adds up to 14 * n + 1.
    int[] body = new int[14 * readings + 1];
    java.util.Arrays.fill(body, 0x09);
    return CanMessageBuilder.withToken("t").point(TS).readingsCount(readings).pointBytes(body).build();
  }

  @Test
  void verifiesThatAnUnresolvableMixOfAmbiguousDlcsIsABadDlc() {
    Rejection rejection = rejection(unresolvable(40));
    assertThat(rejection.reason()).isEqualTo(RejectReason.BAD_DLC);
    assertThat(rejection.detail()).contains("under any mix of CAN FD codes and byte counts");
  }

  @Test
  void verifiesThatTheDlcSearchIsBoundedByItsBudget() {
    CanMessageDecoder frugal = new CanMessageDecoder(CanDecoderLimits.DEFAULTS.withMaxDlcSearchSteps(10));
    Rejection rejection = rejection(frugal, unresolvable(40));
    assertThat(rejection.reason()).isEqualTo(RejectReason.BAD_DLC);
    assertThat(rejection.detail()).contains("exhausted the search budget");
  }

  @Test
  void verifiesThatAHostileMaximalPointIsResolvedQuickly() {
    // 4,000 readings of all-0x09 bytes: the memo of dead states keeps the search small.
    long start = System.nanoTime();
    Rejection rejection = rejection(unresolvable(4_000));
    assertThat(rejection.reason()).isEqualTo(RejectReason.BAD_DLC);
    assertThat(System.nanoTime() - start).isLessThan(2_000_000_000L);
  }
}
