package io.flexconnect.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexconnect.grafana.Dashboards.Dashboard;
import io.flexconnect.grafana.Dashboards.Query;
import io.flexconnect.grafana.Dashboards.Variable;
import io.flexconnect.grafana.GrafanaMacros.TemplateValue;
import io.flexconnect.testing.PlatformFixture;
import io.flexconnect.testing.TestDatabase;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every query of every provisioned dashboard (panels, template variables, annotations), expanded as
 * Grafana expands it, run as the read-only role Grafana connects as, against a real PostgreSQL
 * holding real ingested data. Each must succeed and return rows.
 */
class DashboardQueriesTest {
  static PlatformFixture fx;
  static Instant now;

  @BeforeAll
  static void start() throws Exception {
    fx = PlatformFixture.start("grafana_dash", Map.of());
    now = DashboardData.load(fx);
    // TimescaleDB's time_bucket for the macro form Grafana uses with "timescaledb: true" (the test
    // server is plain PostgreSQL); the dashboards themselves never call it.
    TestDatabase.jdbc(fx.dbUrl, conn -> conn.createStatement().execute("""
        CREATE FUNCTION time_bucket(bucket_width interval, ts timestamptz) RETURNS timestamptz
        LANGUAGE sql IMMUTABLE AS $$
          SELECT to_timestamp(floor(extract(epoch FROM ts) / extract(epoch FROM bucket_width))
                              * extract(epoch FROM bucket_width))
        $$"""));
  }

  @AfterAll
  static void stop() throws Exception {
    fx.close();
  }

  @ParameterizedTest(name = "last {0} hours at {1}s, timescale macros {2}")
  @CsvSource({
      "6, 10, false",      // raw telemetry below one-minute intervals
      "6, 10, true",
      "52000, 86400, false", // six years: the 1-minute rollup
      "52000, 86400, true"})
  void verifiesThatEveryDashboardQueryRunsAsTheReaderAndReturnsRows(long hours, long intervalSeconds,
      boolean timescale) {
    GrafanaMacros base = new GrafanaMacros(now.minus(Duration.ofHours(hours)), now.plus(Duration.ofMinutes(10)),
        Duration.ofSeconds(intervalSeconds), Map.of(), timescale);
    List<String> failures = new ArrayList<>();
    int ran = 0;
    for (Dashboard dashboard : Dashboards.all()) {
      GrafanaMacros macros = resolveVariables(dashboard, base, failures);
      for (Query q : dashboard.queries()) {
        GrafanaMacros m = q.minInterval() != null && q.minInterval().compareTo(macros.interval()) > 0
            ? macros.withInterval(q.minInterval()) : macros;
        List<GrafanaMacros> runs = new ArrayList<>();
        if (q.repeatBy() == null) {
          runs.add(m);
        } else {
          // A repeated panel runs once per selected value of its variable.
          for (String value : m.variables().get(q.repeatBy()).values()) {
            runs.add(m.withRepeatValue(q.repeatBy(), value));
          }
        }
        for (GrafanaMacros run : runs) {
          ran++;
          String where = dashboard.uid() + " " + q.where();
          try {
            Result r = runAsReader(run.expand(q.sql()));
            if (r.rows() == 0) {
              failures.add(where + ": no rows");
            }
            boolean needsTime = q.format().equals("time_series") || q.where().startsWith("annotation");
            if (needsTime && !r.columns().contains("time")) {
              failures.add(where + ": no \"time\" column in " + r.columns());
            }
          } catch (RuntimeException e) {
            failures.add(where + ": " + e.getMessage());
          }
        }
      }
    }
    assertThat(failures).isEmpty();
    // 27 queries in 4 dashboards; the repeated CAN panel runs once per message (3).
    assertThat(ran).isEqualTo(29);
  }

  /** Runs each variable's query in order, selecting every value of multi-value ones, else the first. */
  private static GrafanaMacros resolveVariables(Dashboard dashboard, GrafanaMacros base, List<String> failures) {
    Map<String, TemplateValue> values = new LinkedHashMap<>();
    GrafanaMacros m = base;
    for (Variable v : dashboard.variables()) {
      List<String> options = new ArrayList<>();
      try {
        Result r = runAsReader(m.expand(v.sql()));
        options.addAll(r.firstColumn());
      } catch (RuntimeException e) {
        failures.add(dashboard.uid() + " variable $" + v.name() + ": " + e.getMessage());
      }
      if (options.isEmpty()) {
        failures.add(dashboard.uid() + " variable $" + v.name() + ": no values");
        options.add("none");
      }
      values.put(v.name(), v.multi() || v.includeAll() ? TemplateValue.multi(options)
          : TemplateValue.single(options.get(0)));
      m = base.withVariables(values);
    }
    return m;
  }

  record Result(int rows, List<String> columns, List<String> firstColumn) {}

  static Result runAsReader(String sql) {
    return TestDatabase.jdbc(fx.dbUrl, conn -> {
      try (Statement st = conn.createStatement()) {
        st.execute("SET ROLE flexconnect_reader");
        st.execute("SET statement_timeout = '10s'");
        try (ResultSet rs = st.executeQuery(sql)) {
          return read(rs);
        } catch (SQLException e) {
          throw new IllegalStateException(e.getMessage() + "\n--- expanded SQL ---\n" + sql, e);
        }
      }
    });
  }

  private static Result read(ResultSet rs) throws SQLException {
    ResultSetMetaData md = rs.getMetaData();
    List<String> columns = new ArrayList<>();
    for (int i = 1; i <= md.getColumnCount(); i++) {
      columns.add(md.getColumnLabel(i));
    }
    List<String> first = new ArrayList<>();
    int rows = 0;
    while (rs.next()) {
      rows++;
      first.add(rs.getString(1));
    }
    return new Result(rows, columns, first);
  }
}
