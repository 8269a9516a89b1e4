package io.flexconnect.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexconnect.testing.Await;
import io.flexconnect.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchemaMigratorTest {

  @Test
  void verifiesThatMigrationsAreListedInStrictlyIncreasingVersionOrder() {
    List<Integer> versions = SchemaMigrator.MIGRATIONS.stream().map(SchemaMigrator::version).toList();
    assertThat(versions).isSorted().doesNotHaveDuplicates();
    SchemaMigrator.MIGRATIONS.forEach(name ->
        assertThat(SchemaMigrator.class.getResource("/db/" + name)).as(name).isNotNull());
  }

  @Test
  void verifiesThatMigratingTwiceIsANoOpAndRecordsEveryVersion() {
    String url = TestDatabase.newDatabase("migrations");
    Vertx vertx = Vertx.vertx();
    try {
      Pool pool = Database.pool(vertx, new io.flexconnect.app.ConfigLoader()
          .load(null, Map.of("FLEXCONNECT_DB_URL", url)).db(), 1);
      SchemaMigrator.SchemaInfo first = Await.result(new SchemaMigrator(pool).migrate());
      SchemaMigrator.SchemaInfo second = Await.result(new SchemaMigrator(pool).migrate());
      assertThat(first.appliedNow()).isEqualTo(SchemaMigrator.MIGRATIONS.size());
      assertThat(second.appliedNow()).isZero();
      List<Integer> recorded = TestDatabase.jdbc(url, conn -> {
        var rs = conn.createStatement().executeQuery("SELECT version FROM schema_version ORDER BY version");
        List<Integer> v = new java.util.ArrayList<>();
        while (rs.next()) {
          v.add(rs.getInt(1));
        }
        return v;
      });
      assertThat(recorded).isEqualTo(SchemaMigrator.MIGRATIONS.stream().map(SchemaMigrator::version).toList());
      Await.result(pool.close());
    } finally {
      Await.result(vertx.close());
    }
  }
}
