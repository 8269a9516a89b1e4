package io.flexconnect.storage;

import io.vertx.pgclient.PgException;
import java.sql.SQLException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * What a failed write says about the messages in it, from the PostgreSQL SQLSTATE.
 *
 * <p>{@link Kind#DATA} errors are caused by what is written: a data exception (class 22, e.g. a NUL
 * character in text), an integrity violation (23), a program limit (54, e.g. an index row too large)
 * or a configuration limit (53400, e.g. TimescaleDB's tuple decompression limit). Writing the same
 * rows again fails the same way, so the message holding them must be isolated and refused. Every
 * other failure — connection (08), transaction rollback (40), insufficient resources (53), operator
 * intervention (57), a missing table or privilege (42), anything unknown — concerns storage as a
 * whole: the messages stay unacknowledged and are retried, and health reports storage as failing.
 * Class 42 is deliberately not a data error: a renamed table or a revoked grant would otherwise turn
 * every message into a refusal, which loses data an operator can still save.
 *
 * @param sqlState the SQLSTATE, or null when the failure did not come from the server
 */
public record WriteFailure(Kind kind, String sqlState, String message) {

  /** Whether retrying the same rows can succeed. */
  public enum Kind {
    /** The rows themselves cannot be stored: retrying fails the same way. */
    DATA,
    /** Storage fails for every message (or for a while): retry. */
    STORAGE
  }

  /** Classifies a failure of a write transaction (Vert.x's {@link PgException} or JDBC's {@link SQLException}). */
  public static WriteFailure of(Throwable cause) {
    if (cause instanceof PgException pg && pg.getSqlState() != null) {
      return new WriteFailure(kindOf(pg.getSqlState()), pg.getSqlState(), String.valueOf(pg.getErrorMessage()));
    }
    if (cause instanceof SQLException sql && sql.getSQLState() != null) {
      return new WriteFailure(kindOf(sql.getSQLState()), sql.getSQLState(), serverMessage(sql));
    }
    return new WriteFailure(Kind.STORAGE, null, String.valueOf(cause.getMessage()));
  }

  /** The server's own message where there is one (JDBC's adds location lines to it). */
  private static String serverMessage(SQLException e) {
    ServerErrorMessage server = e instanceof PSQLException psql ? psql.getServerErrorMessage() : null;
    return server != null && server.getMessage() != null ? server.getMessage() : String.valueOf(e.getMessage());
  }

  /** The kind of a SQLSTATE. */
  static Kind kindOf(String sqlState) {
    if (sqlState.length() != 5) {
      return Kind.STORAGE;
    }
    if (sqlState.equals("53400")) {
      return Kind.DATA;
    }
    return switch (sqlState.substring(0, 2)) {
      case "22", "23", "54" -> Kind.DATA;
      default -> Kind.STORAGE;
    };
  }

  /** Short form for logs, health and rejection details: {@code SQLSTATE: message}. */
  public String describe() {
    return sqlState == null ? message : sqlState + ": " + message;
  }
}
