package io.flexconnect.grafana;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flexconnect.grafana.GrafanaMacros.TemplateValue;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The test's expander produces the SQL Grafana 11.4 sends to PostgreSQL. The expected strings of the
 * macro tests are those of Grafana's own {@code macros_test.go} where it has them.
 */
class GrafanaMacrosTest {
  // macros_test.go: "Given a time range between 2018-04-12 00:00 and 2018-04-12 00:05"
  static final GrafanaMacros PLAIN = new GrafanaMacros(Instant.parse("2018-04-12T18:00:00Z"),
      Instant.parse("2018-04-12T18:05:00Z"), Duration.ofMinutes(5), Map.of(), false);
  static final GrafanaMacros TIMESCALE = PLAIN.withTimescaledb(true);

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "select $__time(time_column)                 | select time_column AS \"time\"",
      "select min($__time(time_column))            | select min(time_column AS \"time\")",
      "select $__timeEpoch(time_column)            | select extract(epoch from time_column) as \"time\"",
      "WHERE $__timeFilter(time_column)            | WHERE time_column BETWEEN '2018-04-12T18:00:00Z' AND '2018-04-12T18:05:00Z'",
      "select $__timeFrom()                        | select '2018-04-12T18:00:00Z'",
      "select $__timeTo()                          | select '2018-04-12T18:05:00Z'",
      "SELECT $__timeGroup(time_column,'5m')       | SELECT floor(extract(epoch from time_column)/300)*300",
      "SELECT $__timeGroupAlias(time_column,'5m')  | SELECT floor(extract(epoch from time_column)/300)*300 AS \"time\"",
      "$__timeGroup(time_column , '5m')            | floor(extract(epoch from time_column)/300)*300",
      "`SELECT $__timeGroup(time_column,'5m'), value` | `SELECT floor(extract(epoch from time_column)/300)*300 AS \"time\", value`",
      "SELECT $__timeGroup(time_column,'5m') as time | SELECT floor(extract(epoch from time_column)/300)*300 as time",
      "select $__unixEpochFilter(time)             | select time >= 1523556000 AND time <= 1523556300",
      "select $__unixEpochNanoFilter(time)         | select time >= 1523556000000000000 AND time <= 1523556300000000000",
      "select $__unixEpochNanoFrom()               | select 1523556000000000000",
      "select $__unixEpochNanoTo()                 | select 1523556300000000000",
      "select $__unixEpochFrom(), $__unixEpochTo() | select 1523556000, 1523556300",
      "SELECT $__unixEpochGroup(time_column+time_adjustment,'5m') | SELECT floor((time_column+time_adjustment)/300)*300",
      "SELECT $__unixEpochGroupAlias(time_column+time_adjustment,'5m') | SELECT floor((time_column+time_adjustment)/300)*300 AS \"time\""})
  void verifiesThatMacrosExpandAsGrafanasPostgresMacroEngineExpandsThem(String sql, String expected) {
    assertThat(PLAIN.expand(sql)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "GROUP BY $__timeGroup(time_column,'5m')    | GROUP BY time_bucket('300.000s',time_column)",
      "GROUP BY $__timeGroup(time_column , '5m')  | GROUP BY time_bucket('300.000s',time_column)",
      "GROUP BY $__timeGroup(time_column , '12d') | GROUP BY time_bucket('1036800.000s',time_column)",
      "GROUP BY $__timeGroup(time_column , '20ms') | GROUP BY time_bucket('0.020s',time_column)",
      "$__timeGroupAlias(ts, 1m)                  | time_bucket('60.000s',ts) AS \"time\"",
      // the TimescaleDB setting changes $__timeGroup only
      "$__unixEpochGroup(t, '5m')                 | floor((t)/300)*300"})
  void verifiesThatTheTimescaleSettingExpandsTimeGroupToTimeBucket(String sql, String expected) {
    assertThat(TIMESCALE.expand(sql)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "1s     | 1",
      "1.5s   | 1.5",
      "500ms  | 0.5",
      "100us  | 0.0001",
      "10us   | 1e-05",
      "1d     | 86400",
      "1w     | 604800",
      "2w     | 1.2096e+06",
      "1h30m  | 5400"})
  void verifiesThatIntervalsAreWrittenAsGoWritesAFloat(String interval, String seconds) {
    assertThat(PLAIN.expand("$__timeGroup(ts, '" + interval + "')"))
        .isEqualTo("floor(extract(epoch from ts)/" + seconds + ")*" + seconds);
  }

  @Test
  void verifiesThatFractionalSecondsAreWrittenWithoutTrailingZeros() {
    // macros_test.go: "Given a time range between 1960-02-01 07:00:00.5 and 1980-02-03 08:00:00.5"
    GrafanaMacros m = new GrafanaMacros(Instant.parse("1960-02-01T07:00:00.500Z"),
        Instant.parse("1980-02-03T08:00:00.500Z"), Duration.ofMinutes(5), Map.of(), false);
    assertThat(m.expand("WHERE $__timeFilter(time_column)"))
        .isEqualTo("WHERE time_column BETWEEN '1960-02-01T07:00:00.5Z' AND '1980-02-03T08:00:00.5Z'");
    assertThat(m.expand("$__unixEpochFilter(t)")).isEqualTo("t >= -312915600 AND t <= 318412800");
    // the front end sends milliseconds: anything finer never reaches the data source
    GrafanaMacros micros = m.withInterval(Duration.ofMinutes(1));
    assertThat(new GrafanaMacros(Instant.parse("2021-06-01T00:00:00.123456Z"), micros.to(), micros.interval(),
        Map.of(), false).expand("$__timeFrom()")).isEqualTo("'2021-06-01T00:00:00.123Z'");
  }

  @ParameterizedTest(name = "{0} ms")
  @CsvSource({"10000, 10s", "60000, 1m", "90000, 1m", "500, 500ms", "86400000, 1d", "3600000, 1h",
      "63072000000, 2y"})
  void verifiesThatTheFrontEndWritesIntervalAsItsLargestUnitOnly(long ms, String expected) {
    GrafanaMacros m = PLAIN.withInterval(Duration.ofMillis(ms));
    assertThat(m.expand("$__interval $__interval_ms")).isEqualTo(expected + " " + ms);
  }

  @Test
  void verifiesThatTimeGroupUsesTheIntervalTheFrontEndWrote() {
    // 90 s is written "1m" by the front end, so Grafana groups by 60 s while $__interval_ms says 90000
    GrafanaMacros m = PLAIN.withInterval(Duration.ofSeconds(90));
    assertThat(m.expand("$__timeGroupAlias(ts, $__interval), 1000.0 / $__interval_ms"))
        .isEqualTo("floor(extract(epoch from ts)/60)*60 AS \"time\", 1000.0 / 90000");
    assertThat(m.withTimescaledb(true).expand("$__timeGroupAlias(ts, $__interval)"))
        .isEqualTo("time_bucket('60.000s',ts) AS \"time\"");
  }

  @Test
  void verifiesThatVariablesAreQuotedAsGrafanasSqlDataSourceQuotesThem() {
    GrafanaMacros m = PLAIN.withVariables(Map.of(
        "device", TemplateValue.single("o'neil"),
        "signal", TemplateValue.multi(List.of("a", "o'b")),
        "one", TemplateValue.multi(List.of("x"))));
    // single-value: inserted as is with quotes doubled; ${…:sqlstring} always quotes
    assertThat(m.expand("'$device' ${device} [[device]] ${device:sqlstring}"))
        .isEqualTo("'o''neil' o''neil o''neil 'o''neil'");
    // multi-value: quoted and comma-separated, even with one value selected
    assertThat(m.expand("$signal ${signal:sqlstring} $one")).isEqualTo("'a','o''b' 'a','o''b' 'x'");
    // a repeated panel's copy still quotes its one value
    assertThat(m.withRepeatValue("signal", "a").expand("$signal")).isEqualTo("'a'");
  }

  @Test
  void verifiesThatAFillArgumentLeavesTheSqlAsItIs() {
    assertThat(PLAIN.expand("$__timeGroup(ts, '5m', NULL) $__timeGroup(ts, '5m', previous) $__timeGroup(ts, '5m', 0)"))
        .isEqualTo("floor(extract(epoch from ts)/300)*300 floor(extract(epoch from ts)/300)*300 "
            + "floor(extract(epoch from ts)/300)*300");
    assertThatThrownBy(() -> PLAIN.expand("$__timeGroup(ts, '5m', none)")).hasMessageContaining("fill value");
  }

  @Test
  void verifiesThatWhatGrafanaWouldRefuseOrLeaveIsRefused() {
    assertThatThrownBy(() -> PLAIN.expand("$__timeGroup(ts)")).hasMessageContaining("needs time column and interval");
    assertThatThrownBy(() -> PLAIN.expand("$__timeGroup(ts, 'often')")).hasMessageContaining("error parsing interval");
    assertThatThrownBy(() -> PLAIN.expand("$__nosuch(ts)")).hasMessageContaining("unknown macro");
    assertThatThrownBy(() -> PLAIN.expand("$nosuch")).hasMessageContaining("unknown template variable");
    assertThatThrownBy(() -> PLAIN.expand("$__from")).hasMessageContaining("unexpanded");
  }
}
