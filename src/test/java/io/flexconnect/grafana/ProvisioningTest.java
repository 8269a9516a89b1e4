package io.flexconnect.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.flexconnect.grafana.Dashboards.Dashboard;
import io.flexconnect.grafana.Dashboards.Query;
import io.flexconnect.grafana.Dashboards.Variable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Grafana's provisioning files agree with each other and with the dashboards. */
class ProvisioningTest {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final Path DATASOURCE = Path.of("grafana/provisioning/datasources/flexconnect.yaml");
  static final Path PROVIDER = Path.of("grafana/provisioning/dashboards/flexconnect.yaml");

  static JsonNode datasource() throws IOException {
    JsonNode list = YAML.readTree(DATASOURCE.toFile()).path("datasources");
    assertThat(list).hasSize(1);
    return list.get(0);
  }

  @Test
  void verifiesThatTheDataSourceIsPostgresAsTheReadOnlyRole() throws IOException {
    JsonNode ds = datasource();
    assertThat(ds.path("type").asText()).isIn("grafana-postgresql-datasource", "postgres");
    assertThat(ds.path("user").asText()).isEqualTo("flexconnect_reader");
    // Grafana's plain-PostgreSQL macros run on both databases Flexconnect supports; DashboardQueriesTest
    // runs the dashboards with this setting on the test server.
    assertThat(ds.path("jsonData").path("timescaledb").isBoolean()).isTrue();
    assertThat(ds.path("jsonData").path("timescaledb").asBoolean()).isFalse();
    assertThat(ds.path("jsonData").path("postgresVersion").asInt()).isGreaterThanOrEqualTo(1200);
    // No password in the repository: Grafana takes it from its environment.
    assertThat(ds.path("secureJsonData").path("password").asText()).matches("\\$\\{[A-Z_]+}");
  }

  @Test
  void verifiesThatEveryDashboardQueryUsesTheProvisionedDataSource() throws IOException {
    String uid = datasource().path("uid").asText();
    String type = datasource().path("type").asText();
    List<String> wrong = new ArrayList<>();
    Set<String> uids = new HashSet<>();
    for (Dashboard d : Dashboards.all()) {
      assertThat(uids.add(d.uid())).as("unique uid %s", d.uid()).isTrue();
      for (Query q : d.queries()) {
        if (!uid.equals(q.datasource().path("uid").asText()) || !type.equals(q.datasource().path("type").asText())) {
          wrong.add(d.uid() + " " + q.where());
        }
      }
      for (Variable v : d.variables()) {
        if (!uid.equals(v.datasource().path("uid").asText())) {
          wrong.add(d.uid() + " $" + v.name());
        }
      }
    }
    assertThat(uids).containsExactlyInAnyOrder("flexconnect-fleet", "flexconnect-device", "flexconnect-can",
        "flexconnect-alerts");
    assertThat(wrong).isEmpty();
  }

  @Test
  void verifiesThatNoPanelSendsUnboundedRawRowsToTheBrowser() {
    List<String> unbounded = new ArrayList<>();
    for (Dashboard d : Dashboards.all()) {
      for (Query q : d.queries()) {
        String sql = q.sql().toLowerCase(Locale.ROOT);
        boolean aggregated = sql.contains("group by") || sql.matches("(?s)select\\s+(count|sum|avg|coalesce\\(percentile_cont)\\(.*");
        if (!aggregated && !sql.matches("(?s).*\\blimit \\d+\\s*$")) {
          unbounded.add(d.uid() + " " + q.where());
        }
        if (q.format().equals("time_series") && !(sql.contains("group by") && sql.contains("$__timefilter("))) {
          unbounded.add(d.uid() + " " + q.where() + " (time series without time filter and buckets)");
        }
      }
    }
    assertThat(unbounded).isEmpty();
  }

  @Test
  void verifiesThatTheDashboardProviderReadsAFolderOfJsonFiles() throws IOException {
    JsonNode provider = YAML.readTree(PROVIDER.toFile()).path("providers").get(0);
    assertThat(provider.path("type").asText()).isEqualTo("file");
    assertThat(provider.path("options").path("path").asText()).startsWith("/");
    assertThat(provider.path("allowUiUpdates").asBoolean()).isFalse();
    assertThat(Dashboards.all()).hasSize(4);
  }
}
