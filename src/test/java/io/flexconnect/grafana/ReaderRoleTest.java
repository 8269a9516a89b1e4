package io.flexconnect.grafana;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flexconnect.testing.PlatformFixture;
import io.flexconnect.testing.TestDatabase;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Grafana's role, flexconnect_reader, reads what the dashboards need and nothing else. */
class ReaderRoleTest {
  static PlatformFixture fx;

  @BeforeAll
  static void start() throws Exception {
    fx = PlatformFixture.start("grafana_reader", Map.of());
    DashboardData.load(fx);
  }

  @AfterAll
  static void stop() throws Exception {
    fx.close();
  }

  static long countAsReader(String sql) throws SQLException {
    return TestDatabase.jdbc(fx.dbUrl, conn -> {
      try (Statement st = conn.createStatement()) {
        st.execute("SET ROLE flexconnect_reader");
        ResultSet rs = st.executeQuery(sql);
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  static void executeAsReader(String sql) {
    TestDatabase.jdbc(fx.dbUrl, conn -> {
      try (Statement st = conn.createStatement()) {
        st.execute("SET ROLE flexconnect_reader");
        return st.execute(sql);
      }
    });
  }

  @ParameterizedTest
  @ValueSource(strings = {"dashboard_devices", "dashboard_alerts", "dashboard_rejections",
      "dashboard_rejections_per_minute", "telemetry", "telemetry_1m", "device_signals"})
  void verifiesThatTheReaderCanReadWhatTheDashboardsNeed(String relation) throws SQLException {
    assertThat(countAsReader("SELECT count(*) FROM " + relation)).isPositive();
  }

  @Test
  void verifiesThatTheReaderSeesDevicesWithoutTheirTokenHashes() throws SQLException {
    assertThat(countAsReader("SELECT count(device_id) FROM devices WHERE last_seen IS NOT NULL")).isEqualTo(1);
    assertThatThrownBy(() -> countAsReader("SELECT count(token_hash) FROM device_credentials"))
        .hasMessageContaining("permission denied");
  }

  @ParameterizedTest
  @ValueSource(strings = {"rejected_messages", "can_messages", "alerts", "schema_version", "device_credentials",
      "dbc_files", "redecode_runs", "telemetry_points", "series", "tag_sets"})
  void verifiesThatTheReaderCannotReadTablesBehindTheViews(String table) {
    // rejected payload bytes, raw CAN payloads, and anything not granted explicitly
    assertThatThrownBy(() -> countAsReader("SELECT count(*) FROM " + table))
        .hasMessageContaining("permission denied");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "INSERT INTO telemetry_points (series_id, ts, value, received_at) VALUES (1, now(), 1, now())",
      "INSERT INTO series (device_id, signal) VALUES ('x', 'y')",
      "UPDATE telemetry_points SET value = 0",
      "DELETE FROM telemetry_points",
      "DELETE FROM tag_sets",
      "UPDATE devices SET last_seen = now()",
      "DELETE FROM device_signals",
      "INSERT INTO alerts (device_id, rule_id, rule_name, state, opened_at) VALUES ('x', 'r', 'r', 'firing', now())",
      "UPDATE dashboard_alerts SET state = 'resolved'",
      "TRUNCATE telemetry_points",
      "CREATE TABLE reader_owned (x int)",
      "CREATE VIEW reader_view AS SELECT 1 AS x",
      "SELECT flexconnect_grant_reader()"})
  void verifiesThatTheReaderCannotWriteAnything(String sql) {
    assertThatThrownBy(() -> executeAsReader(sql)).hasMessageContaining("denied");
  }
}
