package io.flexconnect.timescale;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexconnect.testing.TestDatabase;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** SQL helpers for the TimescaleDB suite: jobs, chunks and the assumption that TimescaleDB is there. */
final class Timescale {
  private Timescale() {}

  /** Skips the calling test class unless the test server can enable TimescaleDB. */
  static void assumeAvailable() {
    Assumptions.assumeTrue(TestDatabase.timescaleAvailable(),
        "TimescaleDB not available on the test server (set -D" + TestDatabase.PROPERTY + ")");
  }

  static long longValue(String url, String sql) {
    return TestDatabase.jdbc(url, conn -> {
      try (ResultSet rs = conn.createStatement().executeQuery(sql)) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  static List<String> strings(String url, String sql) {
    return TestDatabase.jdbc(url, conn -> {
      List<String> out = new ArrayList<>();
      try (ResultSet rs = conn.createStatement().executeQuery(sql)) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return out;
    });
  }

  static void execute(String url, String sql) {
    TestDatabase.jdbc(url, conn -> conn.createStatement().execute(sql));
  }

  /** The id of the policy job {@code proc} of a hypertable or continuous aggregate, or 0. */
  static int jobId(String url, String proc, String relation) {
    return (int) longValue(url, "SELECT coalesce(max(job_id), 0) FROM timescaledb_information.jobs "
        + "WHERE proc_name = '" + proc + "' AND hypertable_name = '" + relation + "'");
  }

  /** Runs a job now, in this session (the way an operator would). */
  static void runJob(String url, int jobId) {
    assertThat(jobId).as("job id").isPositive();
    execute(url, "CALL run_job(" + jobId + ")");
  }

  /** Compressed chunks of telemetry holding rows before {@code beforeMs}. */
  static long compressedChunks(String url) {
    return longValue(url, "SELECT count(*) FROM timescaledb_information.chunks "
        + "WHERE hypertable_name = 'telemetry_points' AND is_compressed");
  }

  /** Fails when any TimescaleDB job of the database recorded an error. */
  static void assertNoJobErrors(String url) {
    List<String> errors = strings(url, "SELECT proc_name || ' (job ' || job_id || '): ' || coalesce(err_message, '') "
        + "FROM timescaledb_information.job_errors");
    assertThat(errors).as("timescaledb_information.job_errors").isEmpty();
  }
}
