package io.flexconnect.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexconnect.testing.TestDatabase;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The zero-config database: a real PostgreSQL whose data survives a restart. */
class EmbeddedDatabaseRestartTest {

  @Test
  void verifiesThatTheEmbeddedDatabaseKeepsItsDataAcrossRestarts(@TempDir Path dir) throws Exception {
    FlexconnectConfig config = new ConfigLoader().load(null, Map.of(
        "FLEXCONNECT_DB_EMBEDDED_DATA_DIR", dir.resolve("pg").toString(),
        "FLEXCONNECT_DB_EMBEDDED_PORT", "0"));
    try (Infrastructure first = Infrastructure.database(config)) {
      assertThat(first.startedEmbeddedDatabase()).isTrue();
      TestDatabase.jdbc(first.config().db().url(), conn -> conn.createStatement()
          .execute("CREATE TABLE kept (v int); INSERT INTO kept VALUES (42)"));
    }
    try (Infrastructure second = Infrastructure.database(config)) {
      int value = TestDatabase.jdbc(second.config().db().url(), conn -> {
        var rs = conn.createStatement().executeQuery("SELECT v FROM kept");
        rs.next();
        return rs.getInt(1);
      });
      assertThat(value).isEqualTo(42);
    }
  }
}
