package io.flexconnect.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexconnect.app.ConfigLoader;
import io.flexconnect.testing.Await;
import io.flexconnect.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * V12 moves the wide telemetry of a V11 database into the narrow tables: every row reads back
 * through the {@code telemetry} view exactly as before. The TimescaleDB variant (hypertable,
 * compressed chunks, continuous aggregate) is in {@code io.flexconnect.timescale}.
 */
public class NarrowMigrationTest {
  static Vertx vertx;

  /** What every test reads back before and after: all rows of the view, in key order, as text. */
  public static final String ALL_ROWS = "SELECT device_id, signal, ts, value, value_text, tags, received_at "
      + "FROM telemetry ORDER BY device_id, signal, ts";
  public static final String ROLLUP = "SELECT device_id, signal, bucket, samples, sum_value, min_value, max_value "
      + "FROM telemetry_1m ORDER BY device_id, signal, bucket";

  /**
   * Rows of three devices over {@code days} days: numbers, texts with and without a number, no
   * tags, tags in two spellings of one set, a NaN and a negative zero, and names needing quotes.
   */
  public static final String SEED = """
      INSERT INTO telemetry (device_id, signal, ts, value, value_text, tags, received_at)
      SELECT 'dev-' || d, CASE WHEN k = 3 THEN 'wéird "name",' ELSE 's' || k END,
             timestamptz '2026-11-01 00:00:00+00' + (i * interval '7 minutes') + (d * interval '1 millisecond'),
             CASE WHEN k = 1 THEN NULL WHEN i = 5 AND k = 0 THEN 'NaN'::float8
                  WHEN i = 6 AND k = 0 THEN '-0'::float8 ELSE i * 0.25 + k END,
             CASE WHEN k = 1 THEN 'text ' || i WHEN k = 2 AND mod(i, 2) = 0 THEN 'label' END,
             CASE mod(i, 4) WHEN 0 THEN NULL WHEN 1 THEN '{"bus":"can0","site":"a"}'::jsonb
                        WHEN 2 THEN '{"site": "a", "bus": "can0"}'::jsonb ELSE jsonb_build_object('i', mod(i, 17)) END,
             timestamptz '2026-11-01 00:00:00+00' + (i * interval '7 minutes') + interval '40 ms'
      FROM generate_series(1, 3) AS d, generate_series(0, 3) AS k, generate_series(0, %d) AS i
      """;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    Await.result(vertx.close());
  }

  /** Applies V1..V11 as main's migrator did, recording their versions, and nothing after. */
  public static void migrateToV11(String url) {
    TestDatabase.jdbc(url, conn -> {
      try (Statement st = conn.createStatement()) {
        st.execute("CREATE TABLE schema_version (version integer PRIMARY KEY, name text NOT NULL, "
            + "applied_at timestamptz NOT NULL DEFAULT now())");
        for (String name : SchemaMigrator.MIGRATIONS) {
          int version = SchemaMigrator.version(name);
          if (version <= 11) {
            st.execute(resource(name));
            st.execute("INSERT INTO schema_version (version, name) VALUES (" + version + ", '" + name + "')");
          }
        }
      }
      return null;
    });
  }

  /** Runs the platform's migration (to the newest version) with the given policies. */
  public static SchemaMigrator.SchemaInfo migrate(Vertx vertx, String url, TimescalePolicies policies) {
    Pool pool = Database.pool(vertx, new ConfigLoader().load(null, Map.of("FLEXCONNECT_DB_URL", url)).db(), 1);
    try {
      return Await.result(new SchemaMigrator(pool, policies).migrate());
    } finally {
      Await.result(pool.close());
    }
  }

  /** Every row of {@code sql} as the text PostgreSQL prints for it. */
  public static List<String> rows(String url, String sql) {
    return TestDatabase.jdbc(url, conn -> {
      List<String> out = new ArrayList<>();
      try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
        ResultSetMetaData meta = rs.getMetaData();
        while (rs.next()) {
          StringBuilder row = new StringBuilder();
          for (int c = 1; c <= meta.getColumnCount(); c++) {
            row.append(c == 1 ? "" : " | ").append(rs.getString(c));
          }
          out.add(row.toString());
        }
      }
      return out;
    });
  }

  static String resource(String name) {
    try (InputStream in = SchemaMigrator.class.getResourceAsStream("/db/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void verifiesThatRowsWrittenUnderV11ReadBackIdenticallyAfterV12() {
    String url = TestDatabase.newDatabase("narrow_migration");
    migrateToV11(url);
    TestDatabase.jdbc(url, conn -> conn.createStatement().execute(SEED.formatted(400)));
    List<String> before = rows(url, ALL_ROWS);
    List<String> rollupBefore = rows(url, ROLLUP);
    assertThat(before).hasSize(3 * 4 * 401);

    migrate(vertx, url, null);

    assertThat(rows(url, "SELECT relkind::text FROM pg_class WHERE relname = 'telemetry'")).containsExactly("v");
    assertThat(rows(url, ALL_ROWS)).containsExactlyElementsOf(before);
    assertThat(rows(url, ROLLUP)).containsExactlyElementsOf(rollupBefore);
    assertThat(rows(url, "SELECT count(*) FROM series")).containsExactly("12");
    // The two spellings of one tag object share a tag set.
    assertThat(rows(url, "SELECT count(*) FROM tag_sets")).containsExactly(String.valueOf(1 + 17));
  }

  @Test
  void verifiesThatADatabaseStatementTimeoutDoesNotCutTheMigrationOfEveryRow() {
    String url = TestDatabase.newDatabase("narrow_migration_timeout");
    migrateToV11(url);
    TestDatabase.jdbc(url, conn -> conn.createStatement().execute(SEED.formatted(20_000))); // 240,012 rows
    String database = url.substring(url.lastIndexOf('/') + 1);
    // as a managed server's or a cautious operator's default: far shorter than moving the rows takes
    TestDatabase.jdbc(url, conn -> conn.createStatement().execute(
        "ALTER DATABASE " + database + " SET statement_timeout = '200ms'"));

    migrate(vertx, url, null);

    assertThat(rows(url, "SHOW statement_timeout")).as("the database's own setting, untouched").containsExactly("200ms");
    // counting the rows may itself take longer than the setting on a busy machine
    TestDatabase.jdbc(url, conn -> conn.createStatement().execute("ALTER DATABASE " + database + " RESET statement_timeout"));
    assertThat(rows(url, "SELECT count(*) FROM telemetry")).containsExactly("240012");
  }
}
