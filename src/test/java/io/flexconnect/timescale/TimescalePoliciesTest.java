package io.flexconnect.timescale;

import static io.flexconnect.timescale.Timescale.jobId;
import static org.assertj.core.api.Assertions.assertThat;

import io.flexconnect.app.ConfigLoader;
import io.flexconnect.storage.Database;
import io.flexconnect.storage.SchemaMigrator;
import io.flexconnect.storage.TimescalePolicies;
import io.flexconnect.testing.Await;
import io.flexconnect.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Policies applied at every start keep their jobs while their settings stay the same. */
class TimescalePoliciesTest {
  static Vertx vertx;

  @BeforeAll
  static void start() {
    Timescale.assumeAvailable();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    if (vertx != null) {
      Await.result(vertx.close());
    }
  }

  static void migrate(String url, TimescalePolicies policies) {
    Pool pool = Database.pool(vertx, new ConfigLoader().load(null, Map.of("FLEXCONNECT_DB_URL", url)).db(), 1);
    try {
      assertThat(Await.result(new SchemaMigrator(pool, policies).migrate()).timescale()).isTrue();
    } finally {
      Await.result(pool.close());
    }
  }

  @Test
  void verifiesThatAStartWithUnchangedSettingsKeepsEveryPolicyJob() {
    String url = TestDatabase.newDatabase("ts_policies_same");
    migrate(url, new TimescalePolicies(30, 7));
    int compression = jobId(url, "policy_compression", "telemetry_points");
    int retention = jobId(url, "policy_retention", "telemetry_points");
    int rollupRetention = jobId(url, "policy_retention", "telemetry_1m");
    int rawRetention = jobId(url, "policy_retention", "can_messages");
    int refresh = jobId(url, "policy_refresh_continuous_aggregate", "telemetry_1m");
    assertThat(new int[] {compression, retention, rollupRetention, rawRetention, refresh}).doesNotContain(0);

    migrate(url, new TimescalePolicies(30, 7));
    assertThat(jobId(url, "policy_compression", "telemetry_points")).isEqualTo(compression);
    assertThat(jobId(url, "policy_retention", "telemetry_points")).isEqualTo(retention);
    assertThat(jobId(url, "policy_retention", "telemetry_1m")).isEqualTo(rollupRetention);
    assertThat(jobId(url, "policy_retention", "can_messages")).isEqualTo(rawRetention);
    assertThat(jobId(url, "policy_refresh_continuous_aggregate", "telemetry_1m")).isEqualTo(refresh);
    Timescale.assertNoJobErrors(url);
  }

  @Test
  void verifiesThatAChangedSettingReplacesOnlyItsPolicyAndZeroRemovesIt() {
    String url = TestDatabase.newDatabase("ts_policies_changed");
    migrate(url, new TimescalePolicies(30, 7));
    int compression = jobId(url, "policy_compression", "telemetry_points");
    int retention = jobId(url, "policy_retention", "telemetry_points");

    migrate(url, new TimescalePolicies(60, 7));
    assertThat(jobId(url, "policy_compression", "telemetry_points")).isEqualTo(compression);
    int newRetention = jobId(url, "policy_retention", "telemetry_points");
    assertThat(newRetention).isNotZero().isNotEqualTo(retention);
    assertThat(Timescale.strings(url, "SELECT config->>'drop_after' FROM timescaledb_information.jobs WHERE job_id = "
        + newRetention)).containsExactly("60 days");

    migrate(url, new TimescalePolicies(0, 7));
    assertThat(jobId(url, "policy_retention", "telemetry_points")).isZero();
    assertThat(jobId(url, "policy_retention", "can_messages")).isZero();
    assertThat(jobId(url, "policy_compression", "telemetry_points")).isEqualTo(compression);
  }

  @Test
  void verifiesThatStoredCanMessagesAreAHypertableSoRetentionDropsThem() {
    String url = TestDatabase.newDatabase("ts_policies_raw");
    migrate(url, new TimescalePolicies(30, 7));
    assertThat(Timescale.strings(url, "SELECT hypertable_name FROM timescaledb_information.hypertables ORDER BY 1"))
        .contains("can_messages", "telemetry_points");
  }
}
