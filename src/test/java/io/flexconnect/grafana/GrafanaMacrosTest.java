package io.flexconnect.grafana;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The test's macro expander produces what Grafana's PostgreSQL data source sends. */
class GrafanaMacrosTest {
  static final GrafanaMacros MACROS = new GrafanaMacros(Instant.parse("2021-06-01T00:00:00Z"),
      Instant.parse("2021-06-02T00:00:00Z"), Duration.ofMinutes(5),
      Map.of("device", List.of("demo-0001"), "signal", List.of("a", "o'b")), false);

  @Test
  void verifiesThatTimeMacrosExpandLikeGrafanasPostgresDataSource() {
    assertThat(MACROS.expand("SELECT $__timeGroupAlias(ts, $__interval), avg(value) FROM t WHERE $__timeFilter(ts)"))
        .isEqualTo("SELECT floor(extract(epoch from ts)/300)*300 AS \"time\", avg(value) FROM t "
            + "WHERE ts BETWEEN '2021-06-01T00:00:00Z' AND '2021-06-02T00:00:00Z'");
    assertThat(MACROS.expand("$__timeFrom() $__timeTo() $__interval_ms $__timeGroup(ts, '1h')"))
        .isEqualTo("'2021-06-01T00:00:00Z' '2021-06-02T00:00:00Z' 300000 floor(extract(epoch from ts)/3600)*3600");
  }

  @Test
  void verifiesThatTheTimescaleFormUsesTimeBucket() {
    GrafanaMacros timescale = new GrafanaMacros(MACROS.from(), MACROS.to(), MACROS.interval(), MACROS.variables(), true);
    assertThat(timescale.expand("$__timeGroupAlias(bucket, $__interval)"))
        .isEqualTo("time_bucket('300.000s',bucket) AS \"time\"");
  }

  @Test
  void verifiesThatVariablesAreQuotedAsGrafanaQuotesThem() {
    assertThat(MACROS.expand("${device:sqlstring} '$device' ${signal:sqlstring} $signal"))
        .isEqualTo("'demo-0001' 'demo-0001' 'a','o''b' 'a','o''b'");
  }

  @Test
  void verifiesThatAnUnknownMacroOrVariableIsRefused() {
    assertThatThrownBy(() -> MACROS.expand("$__unixEpochFilter(ts)")).hasMessageContaining("not supported");
    assertThatThrownBy(() -> MACROS.expand("$nosuch")).hasMessageContaining("unknown template variable");
  }
}
