package io.flexconnect.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexconnect.storage.WriteFailure.Kind;
import io.vertx.pgclient.PgException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;
import org.junit.jupiter.api.Test;

class WriteFailureTest {

  @Test
  void verifiesThatErrorsCausedByTheRowsAreDataErrors() {
    assertThat(WriteFailure.kindOf("22021")).isEqualTo(Kind.DATA); // NUL in text
    assertThat(WriteFailure.kindOf("22P05")).isEqualTo(Kind.DATA); // \u0000 in jsonb
    assertThat(WriteFailure.kindOf("23514")).isEqualTo(Kind.DATA); // check violation
    assertThat(WriteFailure.kindOf("54000")).isEqualTo(Kind.DATA); // index row too large
    assertThat(WriteFailure.kindOf("53400")).isEqualTo(Kind.DATA); // TimescaleDB decompression limit
  }

  @Test
  void verifiesThatErrorsOfStorageAsAWholeAreRetried() {
    assertThat(WriteFailure.kindOf("08006")).isEqualTo(Kind.STORAGE); // connection failure
    assertThat(WriteFailure.kindOf("40001")).isEqualTo(Kind.STORAGE); // serialization failure
    assertThat(WriteFailure.kindOf("40P01")).isEqualTo(Kind.STORAGE); // deadlock
    assertThat(WriteFailure.kindOf("53100")).isEqualTo(Kind.STORAGE); // disk full
    assertThat(WriteFailure.kindOf("53300")).isEqualTo(Kind.STORAGE); // too many connections
    assertThat(WriteFailure.kindOf("57P01")).isEqualTo(Kind.STORAGE); // admin shutdown
    assertThat(WriteFailure.kindOf("42P01")).isEqualTo(Kind.STORAGE); // table renamed away
    assertThat(WriteFailure.kindOf("42501")).isEqualTo(Kind.STORAGE); // grant revoked
    assertThat(WriteFailure.kindOf("XX000")).isEqualTo(Kind.STORAGE);
    assertThat(WriteFailure.kindOf("")).isEqualTo(Kind.STORAGE);
  }

  @Test
  void verifiesThatAFailureWithoutSqlStateIsAStorageFailure() {
    assertThat(WriteFailure.of(new IllegalStateException("Connection is closed")).kind()).isEqualTo(Kind.STORAGE);
    WriteFailure data = WriteFailure.of(new PgException("invalid byte sequence", "ERROR", "22021", null));
    assertThat(data.kind()).isEqualTo(Kind.DATA);
    assertThat(data.describe()).startsWith("22021: ");
  }

  @Test
  void verifiesThatJdbcErrorsAreClassifiedByTheirSqlStateLikeVertxErrors() {
    WriteFailure data = WriteFailure.of(new PSQLException("invalid byte sequence", PSQLState.DATA_ERROR));
    assertThat(data.kind()).isEqualTo(Kind.DATA);
    assertThat(data.describe()).isEqualTo("22000: invalid byte sequence");
    WriteFailure lost = WriteFailure.of(new PSQLException("I/O error", PSQLState.CONNECTION_FAILURE));
    assertThat(lost.kind()).isEqualTo(Kind.STORAGE);
    assertThat(lost.sqlState()).isEqualTo("08006");
  }
}
