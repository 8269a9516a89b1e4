package io.flexconnect.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Time parameters: absolute forms and times relative to an injected clock. */
class TimeParamTest {
  static final long NOW = 1_700_000_000_000L; // 2023-11-14T22:13:20Z
  static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);

  static long parse(String value) {
    return TimeParam.parse("from", value, CLOCK);
  }

  @Test
  void verifiesThatEpochMillisecondsAndIso8601StillParse() {
    assertThat(parse("1622547800000")).isEqualTo(1_622_547_800_000L);
    assertThat(parse("2021-06-01T11:43:20Z")).isEqualTo(1_622_547_800_000L);
    assertThat(parse("2021-06-01T13:43:20+02:00")).isEqualTo(1_622_547_800_000L);
  }

  @Test
  void verifiesThatNowIsTheClocksTime() {
    assertThat(parse("now")).isEqualTo(NOW);
    assertThat(parse(" now ")).isEqualTo(NOW);
  }

  @Test
  void verifiesThatEveryUnitCountsBackAndForthFromNow() {
    assertThat(parse("now-250ms")).isEqualTo(NOW - 250);
    assertThat(parse("now-30s")).isEqualTo(NOW - 30_000);
    assertThat(parse("now-15m")).isEqualTo(NOW - 900_000);
    assertThat(parse("now-1h")).isEqualTo(NOW - 3_600_000);
    assertThat(parse("now-7d")).isEqualTo(NOW - 7 * 86_400_000L);
    assertThat(parse("now-2w")).isEqualTo(NOW - 14 * 86_400_000L);
    assertThat(parse("now+1h")).isEqualTo(NOW + 3_600_000);
    assertThat(parse("now-0s")).isEqualTo(NOW);
  }

  @Test
  void verifiesThatTheShortFormMeansBeforeNow() {
    assertThat(parse("-15m")).isEqualTo(NOW - 900_000);
    assertThat(parse("-1d")).isEqualTo(NOW - 86_400_000L);
    assertThat(parse("-500ms")).isEqualTo(NOW - 500);
  }

  @Test
  void verifiesThatAPlusDecodedToASpaceFromAQueryStringStillMeansPlus() {
    assertThat(parse("now 1h")).isEqualTo(NOW + 3_600_000);
  }

  @Test
  void verifiesThatMalformedRelativeTimesAreRefusedWithTheParameterName() {
    for (String bad : new String[] {"now-", "now-1", "now-1y", "now-h", "-15", "+15m", "now--1h", "Now-1h", "now-1.5h",
        "yesterday"}) {
      assertThatThrownBy(() -> parse(bad)).as(bad).isInstanceOf(ApiException.class)
          .hasMessageContaining("from:");
    }
  }

  @Test
  void verifiesThatRelativeTimesOutsideTheSupportedYearsAreRefusedNotWrapped() {
    assertThatThrownBy(() -> parse("now-999999999999999w")).isInstanceOf(ApiException.class)
        .hasMessageContaining("outside years 1970 to 9999");
    assertThatThrownBy(() -> parse("now-60y")).isInstanceOf(ApiException.class);
    assertThatThrownBy(() -> parse("-3000w")).isInstanceOf(ApiException.class)
        .hasMessageContaining("outside years 1970 to 9999");
  }
}
