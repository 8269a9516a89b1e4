package io.flexconnect.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.flexconnect.grafana.Dashboards.Dashboard;
import io.flexconnect.grafana.Dashboards.Query;
import io.flexconnect.grafana.Dashboards.Variable;
import io.flexconnect.grafana.GrafanaMacros.TemplateValue;
import io.flexconnect.testing.PlatformFixture;
import io.flexconnect.testing.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every query of every provisioned dashboard (panels, template variables, annotations), expanded as
 * Grafana expands it, run logged in as the read-only role Grafana connects as, against a real
 * database holding real ingested data: the test server of {@link TestDatabase}, plain PostgreSQL
 * (the zero-config database) or TimescaleDB. Each must succeed and return rows. Nothing is added to the database for
 * Grafana's sake: what runs here is what runs under Grafana.
 */
class DashboardQueriesTest {
  static final String READER_PASSWORD = "reader";
  static PlatformFixture fx;
  static Instant now;
  static boolean timescale;

  @BeforeAll
  static void start() throws Exception {
    fx = PlatformFixture.start("grafana_dash", Map.of());
    now = DashboardData.load(fx);
    // The README tour's step for Grafana on the zero-config database, as written there.
    TestDatabase.jdbc(fx.dbUrl, conn -> conn.createStatement()
        .execute("ALTER ROLE flexconnect_reader LOGIN PASSWORD '" + READER_PASSWORD + "'"));
    timescale = TestDatabase.jdbc(fx.dbUrl, conn -> conn.createStatement()
        .executeQuery("SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'").next());
    // On a TimescaleDB server the platform enables the extension, so the time_bucket form is run there.
    assertThat(timescale).as("TimescaleDB enabled in the test database").isEqualTo(TestDatabase.timescaleAvailable());
  }

  @AfterAll
  static void stop() throws Exception {
    fx.close();
  }

  /** The data source's {@code jsonData.timescaledb} as Grafana is provisioned with it. */
  static boolean shippedTimescaledbSetting() throws IOException {
    JsonNode setting = ProvisioningTest.datasource().path("jsonData").path("timescaledb");
    assertThat(setting.isBoolean()).as("timescaledb is a YAML boolean (Grafana reads a string as an error)").isTrue();
    return setting.asBoolean();
  }

  @ParameterizedTest(name = "last {0} hours at {1}s")
  @CsvSource({
      "6, 10",      // raw telemetry below one-minute intervals
      "52000, 86400"}) // six years: the 1-minute rollup
  void verifiesThatEveryDashboardQueryRunsWithTheShippedDataSourceOnThisDatabase(long hours, long intervalSeconds)
      throws IOException {
    Run run = runAll(macros(hours, intervalSeconds, shippedTimescaledbSetting()));
    assertThat(run.failures()).isEmpty();
    // 27 queries in 4 dashboards; the repeated CAN panel runs once per message (3).
    assertThat(run.ran()).isEqualTo(29);
  }

  @ParameterizedTest(name = "last {0} hours at {1}s, timescaledb: {2}")
  @CsvSource({"6, 10, false", "6, 10, true", "52000, 86400, false", "52000, 86400, true"})
  void verifiesThatEachDataSourceSettingWorksWhereTheDatabaseHasItsFunctions(long hours, long intervalSeconds,
      boolean timescaledb) throws IOException {
    Run run = runAll(macros(hours, intervalSeconds, timescaledb));
    assertThat(run.ran()).isEqualTo(29);
    if (timescaledb && !timescale) {
      // Plain PostgreSQL has no time_bucket: exactly the queries grouping by $__timeGroup fail, so
      // the data source Grafana is provisioned with must not select that form.
      assertThat(run.failures()).allSatisfy(f -> assertThat(f)
          .contains("function time_bucket(unknown, timestamp with time zone) does not exist"));
      assertThat(run.failed()).isEqualTo(run.queriesUsing("$__timeGroup"));
      assertThat(shippedTimescaledbSetting()).as("the shipped data source works on plain PostgreSQL").isFalse();
    } else {
      assertThat(run.failures()).isEmpty();
    }
  }

  private static GrafanaMacros macros(long hours, long intervalSeconds, boolean timescaledb) {
    return new GrafanaMacros(now.minus(Duration.ofHours(hours)), now.plus(Duration.ofMinutes(10)),
        Duration.ofSeconds(intervalSeconds), Map.of(), timescaledb);
  }

  /** What one pass over all dashboards found. */
  record Run(int ran, List<String> failures, Set<String> failed, Set<String> queries, Map<String, String> sql) {
    Set<String> queriesUsing(String text) {
      Set<String> out = new TreeSet<>();
      queries.forEach(q -> {
        if (sql.get(q).contains(text)) {
          out.add(q);
        }
      });
      return out;
    }
  }

  private static Run runAll(GrafanaMacros base) {
    List<String> failures = new ArrayList<>();
    Set<String> failed = new TreeSet<>();
    Map<String, String> sql = new HashMap<>();
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
        String where = dashboard.uid() + " " + q.where();
        sql.put(where, q.sql());
        for (GrafanaMacros run : runs) {
          ran++;
          List<String> problems = new ArrayList<>();
          try {
            Result r = runAsReader(run.expand(q.sql()));
            if (r.rows() == 0) {
              problems.add(where + ": no rows");
            }
            boolean needsTime = q.format().equals("time_series") || q.where().startsWith("annotation");
            if (needsTime && !r.columns().contains("time")) {
              problems.add(where + ": no \"time\" column in " + r.columns());
            }
          } catch (RuntimeException e) {
            problems.add(where + ": " + e.getMessage());
          }
          if (!problems.isEmpty()) {
            failed.add(where);
            failures.addAll(problems);
          }
        }
      }
    }
    return new Run(ran, failures, failed, new TreeSet<>(sql.keySet()), sql);
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

  /** Logs in as Grafana does: as flexconnect_reader with a password, over TCP, one query per session. */
  static Result runAsReader(String sql) {
    URI db = URI.create(fx.dbUrl);
    String jdbc = "jdbc:postgresql://" + db.getHost() + ":" + db.getPort() + db.getPath();
    try (Connection conn = DriverManager.getConnection(jdbc, "flexconnect_reader", READER_PASSWORD);
        Statement st = conn.createStatement()) {
      st.execute("SET statement_timeout = '10s'");
      try (ResultSet rs = st.executeQuery(sql)) {
        return read(rs);
      } catch (SQLException e) {
        throw new IllegalStateException(e.getMessage() + "\n--- expanded SQL ---\n" + sql, e);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot log in as flexconnect_reader: " + e.getMessage(), e);
    }
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
