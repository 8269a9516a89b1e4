package io.flexconnect.auth;

import io.flexconnect.auth.ApiKeyException.Kind;
import io.flexconnect.storage.Database;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Optional;

/**
 * API keys in PostgreSQL ({@code api_keys}): created, listed, revoked (never deleted, so a listing
 * tells which keys existed), and checked per request. Only the SHA-256 of a key is stored.
 * Used by the REST API, the CLI and the {@code run} command's first start alike.
 */
public final class ApiKeyStore implements ApiKeyAuthHandler.Authenticator {
  /** A listing label: printable, bounded. */
  private static final int MAX_NAME = 200;
  private static final int MAX_TENANT = 128;
  private static final String INFO_COLUMNS = "id, tenant_id, name, operator, created_at, revoked_at";
  /**
   * Keys of one tenant ($1), or of every tenant when $1 is null, oldest first. Run by {@link #list}
   * and, over JDBC, by {@link #list(Connection, String)}.
   */
  public static final String LIST_SQL = "SELECT " + INFO_COLUMNS + " FROM api_keys"
      + " WHERE tenant_id = coalesce($1, tenant_id) ORDER BY created_at, id";

  private final Pool pool;
  private final SecureRandom random = new SecureRandom();

  public ApiKeyStore(Pool pool) {
    this.pool = pool;
  }

  /** A stored key and the key itself, which exists only in this answer. */
  public record Created(ApiKeyInfo info, String key) {
    @Override
    public String toString() {
      return "Created[" + info + ", key=(secret)]";
    }
  }

  /**
   * Creates a key for {@code tenantId} ({@code operator}: one that also sees rejections of no
   * tenant); fails with {@link ApiKeyException} (BAD_REQUEST) for a bad tenant or name.
   */
  public Future<Created> create(String tenantId, String name, boolean operator) {
    if (tenantId == null || tenantId.isBlank() || tenantId.length() > MAX_TENANT) {
      return Future.failedFuture(new ApiKeyException(Kind.BAD_REQUEST, "a tenant id must be 1 to 128 characters"));
    }
    if (name != null && (name.length() > MAX_NAME || name.chars().anyMatch(Character::isISOControl))) {
      return Future.failedFuture(new ApiKeyException(Kind.BAD_REQUEST,
          "a key name must be at most " + MAX_NAME + " characters without control characters"));
    }
    return insert(pool, tenantId, name, operator);
  }

  /**
   * Creates a key for {@code tenantId} unless the tenant has ever had one (a revoked key counts:
   * revoking the first key must not make the next start create another).
   *
   * @return the new key, or empty when the tenant already has or had keys
   */
  public Future<Optional<Created>> createFirst(String tenantId, String name, boolean operator) {
    // One transaction holding a lock, so instances starting together create one key, not several.
    return pool.withTransaction(conn -> conn.query("LOCK TABLE api_keys IN SHARE ROW EXCLUSIVE MODE").execute()
        .compose(r -> conn.preparedQuery("SELECT 1 FROM api_keys WHERE tenant_id = $1 LIMIT 1").execute(Tuple.of(tenantId)))
        .compose(rows -> {
          if (rows.size() > 0) {
            return Future.succeededFuture(Optional.<Created>empty());
          }
          return insert(conn, tenantId, name, operator).map(Optional::of);
        }));
  }

  private Future<Created> insert(io.vertx.sqlclient.SqlClient client, String tenantId, String name, boolean operator) {
    ApiKeys.NewKey key = ApiKeys.generate(random);
    return client.preparedQuery("INSERT INTO api_keys (id, tenant_id, name, operator, key_hash)"
            + " VALUES ($1, $2, $3, $4, $5) RETURNING created_at")
        .execute(Tuple.of(key.id(), tenantId, name, operator, Buffer.buffer(key.hash())))
        .map(rows -> new Created(new ApiKeyInfo(key.id(), tenantId, name, operator,
            rows.iterator().next().getOffsetDateTime(0).toInstant(), null), key.key()));
  }

  /** How many keys of the tenant are accepted now. */
  public Future<Integer> activeCount(String tenantId) {
    return pool.preparedQuery("SELECT count(*) FROM api_keys WHERE tenant_id = $1 AND revoked_at IS NULL")
        .execute(Tuple.of(tenantId))
        .map(rows -> rows.iterator().next().getLong(0).intValue());
  }

  /** Keys of one tenant, or of every tenant when {@code tenantId} is null, oldest first. */
  public Future<List<ApiKeyInfo>> list(String tenantId) {
    return pool.preparedQuery(LIST_SQL)
        .execute(Tuple.of(tenantId))
        .map(rows -> {
          List<ApiKeyInfo> out = new ArrayList<>();
          for (Row row : rows) {
            out.add(info(row));
          }
          return out;
        });
  }

  /**
   * Revokes a key now; requests presenting it are refused from the next one on (there is no cache).
   * Revoking a revoked key changes nothing.
   *
   * @return the key as it is now; {@link ApiKeyException} (NOT_FOUND) for an unknown id
   */
  public Future<ApiKeyInfo> revoke(String keyId) {
    return pool.preparedQuery("UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1"
            + " RETURNING " + INFO_COLUMNS)
        .execute(Tuple.of(keyId))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(new ApiKeyException(Kind.NOT_FOUND, "no API key '" + keyId + "'"));
          }
          return Future.succeededFuture(info(rows.iterator().next()));
        });
  }

  /** Which of {@code keyIds} are not accepted any more (revoked, or gone). */
  public Future<Set<String>> inactive(Collection<String> keyIds) {
    return pool.preparedQuery("SELECT id FROM api_keys WHERE id = ANY($1) AND revoked_at IS NULL")
        .execute(Tuple.tuple().addArrayOfString(keyIds.toArray(String[]::new)))
        .map(rows -> {
          Set<String> gone = new HashSet<>(keyIds);
          rows.forEach(row -> gone.remove(row.getString(0)));
          return gone;
        });
  }

  /** The principal of an active key, or empty for anything else (malformed, unknown, revoked). */
  @Override
  public Future<Optional<ApiPrincipal>> authenticate(String presented) {
    Optional<String> id = ApiKeys.idOf(presented);
    if (id.isEmpty()) {
      return Future.succeededFuture(Optional.empty());
    }
    return pool.preparedQuery("SELECT tenant_id, key_hash, operator FROM api_keys WHERE id = $1 AND revoked_at IS NULL")
        .execute(Tuple.of(id.get()))
        .map(rows -> {
          for (Row row : rows) {
            if (ApiKeys.matches(presented, row.getBuffer(1).getBytes())) {
              return Optional.of(new ApiPrincipal(id.get(), row.getString(0), row.getBoolean(2)));
            }
          }
          return Optional.empty();
        });
  }

  /** {@link #list} over a plain JDBC connection, for callers without a Vert.x instance (the CLI). Blocking. */
  public static List<ApiKeyInfo> list(Connection conn, String tenantId) throws SQLException {
    List<ApiKeyInfo> out = new ArrayList<>();
    try (PreparedStatement st = conn.prepareStatement(Database.jdbcSql(LIST_SQL))) {
      st.setString(1, tenantId);
      try (ResultSet rows = st.executeQuery()) {
        while (rows.next()) {
          out.add(new ApiKeyInfo(rows.getString(1), rows.getString(2), rows.getString(3), rows.getBoolean(4),
              instant(rows.getObject(5, OffsetDateTime.class)), instant(rows.getObject(6, OffsetDateTime.class))));
        }
      }
    }
    return out;
  }

  private static ApiKeyInfo info(Row row) {
    return new ApiKeyInfo(row.getString(0), row.getString(1), row.getString(2), row.getBoolean(3),
        instant(row.getOffsetDateTime(4)), instant(row.getOffsetDateTime(5)));
  }

  private static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }
}
