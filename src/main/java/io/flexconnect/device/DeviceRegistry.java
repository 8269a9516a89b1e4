package io.flexconnect.device;

import io.flexconnect.device.Device.TokenCredential;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Devices and their credentials in PostgreSQL. A credential is a token hash, optionally with the
 * serial of the certificate issued with it; a device may hold several at once (after a rotation,
 * for a grace period). Credentials are never deleted, only revoked: the history says which
 * certificate a device used when.
 */
public final class DeviceRegistry {

  /** Device ids name MQTT topic segments: no wildcards, separators or control characters. */
  private static final Pattern VALID_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
  private static final String VALID = "(c.revoked_at IS NULL OR c.revoked_at > now())";
  /**
   * Every device with its valid credentials, one row per credential (or one with nulls): device_id,
   * tenant_id, token_hash, revoked_at. Run by {@link #list()} and, over JDBC, {@link #list(Connection)}.
   */
  public static final String LIST_SQL = "SELECT d.device_id, d.tenant_id, c.token_hash, c.revoked_at FROM devices d"
      + " LEFT JOIN device_credentials c ON c.device_id = d.device_id AND " + VALID
      + " ORDER BY d.device_id";
  /** The revocation list's rows (cert_serial, revoked_at): see {@link #revokedCertificates()}. */
  public static final String REVOKED_CERTIFICATES_SQL = "SELECT c.cert_serial, c.revoked_at FROM device_credentials c"
      + " WHERE c.revoked_at IS NOT NULL AND c.cert_serial IS NOT NULL AND (c.not_after IS NULL OR c.not_after > now())";

  private final Pool pool;

  public DeviceRegistry(Pool pool) {
    this.pool = pool;
  }

  public static boolean isValidId(String deviceId) {
    return deviceId != null && VALID_ID.matcher(deviceId).matches();
  }

  /**
   * Registers a device with the given token (only its hash is stored) and no certificate.
   *
   * @return the device, or a failed future with {@link DeviceException}
   */
  public Future<Device> add(String deviceId, String tenantId, String token) {
    return add(deviceId, tenantId, token, null, null);
  }

  /** Registers a device with a token and the serial and end of validity of its first certificate. */
  public Future<Device> add(String deviceId, String tenantId, String token, BigInteger certSerial, Instant certNotAfter) {
    if (!isValidId(deviceId)) {
      return Future.failedFuture(new DeviceException(
          "invalid device id '" + deviceId + "': use 1-128 letters, digits, '.', '_', ':' or '-'"));
    }
    if (!validToken(token)) {
      return Future.failedFuture(new DeviceException("a token must be 8 to 1024 characters"));
    }
    if (tenantId == null || tenantId.isBlank() || tenantId.length() > 128) {
      return Future.failedFuture(new DeviceException("a tenant id must be 1 to 128 characters"));
    }
    byte[] hash = Tokens.hash(token);
    return pool.withTransaction(conn -> conn
            .preparedQuery("INSERT INTO devices (device_id, tenant_id) VALUES ($1, $2)")
            .execute(Tuple.of(deviceId, tenantId))
            .compose(r -> insertCredential(conn, deviceId, hash, certSerial, certNotAfter)))
        .map(r -> new Device(deviceId, tenantId, List.of(new TokenCredential(hash, null))))
        .recover(err -> Future.failedFuture(uniqueViolation(err, deviceId)));
  }

  /**
   * Replaces the device's credentials: the new token (and certificate) is valid at once, the
   * current ones stay valid for {@code grace} more (or less, if they were to end sooner).
   *
   * @return the certificates that now end, each with the instant it ends
   */
  public Future<List<CertificateRevocation>> rotate(String deviceId, String newToken, BigInteger certSerial,
      Instant certNotAfter, Duration grace) {
    if (!validToken(newToken)) {
      return Future.failedFuture(new DeviceException("a token must be 8 to 1024 characters"));
    }
    byte[] hash = Tokens.hash(newToken);
    return pool.withTransaction(conn -> lockDevice(conn, deviceId)
            .compose(v -> conn.preparedQuery("UPDATE device_credentials c SET revoked_at = now() + $2::bigint * interval '1 millisecond'"
                    + " WHERE c.device_id = $1 AND (c.revoked_at IS NULL OR c.revoked_at > now() + $2::bigint * interval '1 millisecond')"
                    + " RETURNING c.cert_serial, c.revoked_at")
                .execute(Tuple.of(deviceId, grace.toMillis())))
            .compose(ended -> insertCredential(conn, deviceId, hash, certSerial, certNotAfter)
                .map(r -> revocations(ended))))
        .recover(err -> Future.failedFuture(uniqueViolation(err, deviceId)));
  }

  /**
   * Revokes every credential of the device at once.
   *
   * @return the certificates revoked now
   */
  public Future<List<CertificateRevocation>> revoke(String deviceId) {
    return pool.withTransaction(conn -> lockDevice(conn, deviceId)
        .compose(v -> conn.preparedQuery("UPDATE device_credentials c SET revoked_at = now()"
                + " WHERE c.device_id = $1 AND " + VALID + " RETURNING c.cert_serial, c.revoked_at")
            .execute(Tuple.of(deviceId)))
        .map(DeviceRegistry::revocations));
  }

  /**
   * Every credential the device was ever given, newest first, with its state now: {@code active},
   * {@code ending} (revoked with a grace period that has not passed: after a rotation),
   * {@code revoked} or {@code expired} (its certificate's validity ended). Never the token hash.
   */
  public Future<List<CredentialState>> credentials(String deviceId) {
    return pool.preparedQuery("""
            SELECT c.cert_serial, c.created_at, c.not_after, c.revoked_at,
                   CASE WHEN c.revoked_at IS NOT NULL AND c.revoked_at <= now() THEN 'revoked'
                        WHEN c.not_after IS NOT NULL AND c.not_after <= now() THEN 'expired'
                        WHEN c.revoked_at IS NOT NULL THEN 'ending'
                        ELSE 'active' END AS state
            FROM device_credentials c WHERE c.device_id = $1 ORDER BY c.created_at DESC, c.id DESC""")
        .execute(Tuple.of(deviceId))
        .map(rows -> {
          List<CredentialState> result = new ArrayList<>();
          for (Row row : rows) {
            result.add(new CredentialState(row.getString("cert_serial"), instant(row.getOffsetDateTime("created_at")),
                instant(row.getOffsetDateTime("not_after")), instant(row.getOffsetDateTime("revoked_at")),
                row.getString("state")));
          }
          return result;
        });
  }

  private static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }

  /**
   * One credential as an operator sees it.
   *
   * @param certSerial lower-case hex serial of its certificate, null for a token-only credential
   * @param revokedAt when it ends or ended, null while it has no end but its certificate's
   * @param state {@code active}, {@code ending}, {@code revoked} or {@code expired}
   */
  public record CredentialState(String certSerial, Instant createdAt, Instant notAfter, Instant revokedAt,
      String state) {}

  /** Certificates that are or will be refused and have not expired yet: the revocation list. */
  public Future<List<CertificateRevocation>> revokedCertificates() {
    return pool.query(REVOKED_CERTIFICATES_SQL).execute().map(DeviceRegistry::revocations);
  }

  /**
   * {@link #revokedCertificates()} over a plain JDBC connection, for callers without a Vert.x
   * instance (the CLI). Blocking.
   */
  public static List<CertificateRevocation> revokedCertificates(Connection conn) throws SQLException {
    List<CertificateRevocation> result = new ArrayList<>();
    try (Statement st = conn.createStatement(); ResultSet rows = st.executeQuery(REVOKED_CERTIFICATES_SQL)) {
      while (rows.next()) {
        addRevocation(result, rows.getString(1), rows.getObject(2, OffsetDateTime.class));
      }
    }
    return result;
  }

  public Future<Optional<Device>> findById(String deviceId) {
    return pool.preparedQuery("SELECT d.device_id, d.tenant_id, c.token_hash, c.revoked_at FROM devices d"
            + " LEFT JOIN device_credentials c ON c.device_id = d.device_id AND " + VALID
            + " WHERE d.device_id = $1")
        .execute(Tuple.of(deviceId))
        .map(rows -> {
          List<Device> devices = toDevices(rows);
          return devices.isEmpty() ? Optional.empty() : Optional.of(devices.get(0));
        });
  }

  /** The device holding a currently valid credential with that token hash. */
  public Future<Optional<Device>> findByTokenHash(byte[] tokenHash) {
    return pool.preparedQuery("SELECT c.device_id FROM device_credentials c WHERE c.token_hash = $1 AND " + VALID)
        .execute(Tuple.of(Buffer.buffer(tokenHash)))
        .compose(rows -> rows.size() == 0
            ? Future.succeededFuture(Optional.empty())
            : findById(rows.iterator().next().getString(0)));
  }

  public Future<List<Device>> list() {
    return pool.query(LIST_SQL).execute().map(DeviceRegistry::toDevices);
  }

  /** {@link #list()} over a plain JDBC connection, for callers without a Vert.x instance (the CLI). Blocking. */
  public static List<Device> list(Connection conn) throws SQLException {
    DeviceRows devices = new DeviceRows();
    try (Statement st = conn.createStatement(); ResultSet rows = st.executeQuery(LIST_SQL)) {
      while (rows.next()) {
        devices.add(rows.getString(1), rows.getString(2), rows.getBytes(3), rows.getObject(4, OffsetDateTime.class));
      }
    }
    return devices.devices();
  }

  private static boolean validToken(String token) {
    return token != null && token.length() >= 8 && token.length() <= 1024;
  }

  private static Future<Void> lockDevice(SqlConnection conn, String deviceId) {
    return conn.preparedQuery("SELECT 1 FROM devices WHERE device_id = $1 FOR UPDATE")
        .execute(Tuple.of(deviceId))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(new DeviceException(DeviceException.Kind.NOT_FOUND, "no device '" + deviceId + "' is registered"))
            : Future.succeededFuture());
  }

  private static Future<RowSet<Row>> insertCredential(SqlConnection conn, String deviceId, byte[] hash,
      BigInteger certSerial, Instant certNotAfter) {
    return conn.preparedQuery("INSERT INTO device_credentials (device_id, token_hash, cert_serial, not_after)"
            + " VALUES ($1, $2, $3, $4)")
        .execute(Tuple.of(deviceId, Buffer.buffer(hash), certSerial == null ? null : certSerial.toString(16),
            certNotAfter == null ? null : OffsetDateTime.ofInstant(certNotAfter, ZoneOffset.UTC)));
  }

  private static Throwable uniqueViolation(Throwable err, String deviceId) {
    if (err instanceof PgException pg && "23505".equals(pg.getSqlState())) {
      String constraint = String.valueOf(pg.getConstraint());
      return new DeviceException(DeviceException.Kind.CONFLICT, constraint.contains("token") ? "that token is already used by another device"
          : constraint.contains("serial") ? "that certificate is already registered"
          : "device '" + deviceId + "' already exists");
    }
    return err;
  }

  private static List<CertificateRevocation> revocations(RowSet<Row> rows) {
    List<CertificateRevocation> result = new ArrayList<>();
    for (Row row : rows) {
      addRevocation(result, row.getString(0), row.getOffsetDateTime(1));
    }
    return result;
  }

  private static void addRevocation(List<CertificateRevocation> result, String hexSerial, OffsetDateTime from) {
    if (hexSerial != null) {
      result.add(new CertificateRevocation(new BigInteger(hexSerial, 16), from.toInstant()));
    }
  }

  private static List<Device> toDevices(RowSet<Row> rows) {
    DeviceRows devices = new DeviceRows();
    for (Row row : rows) {
      Buffer hash = row.getBuffer(2);
      devices.add(row.getString(0), row.getString(1), hash == null ? null : hash.getBytes(), row.getOffsetDateTime(3));
    }
    return devices.devices();
  }

  /** Folds {@link #LIST_SQL}'s rows, whichever client read them, into devices in row order. */
  private static final class DeviceRows {
    private final Map<String, String> tenants = new LinkedHashMap<>();
    private final Map<String, List<TokenCredential>> tokens = new LinkedHashMap<>();

    void add(String deviceId, String tenantId, byte[] tokenHash, OffsetDateTime until) {
      tenants.put(deviceId, tenantId);
      List<TokenCredential> list = tokens.computeIfAbsent(deviceId, k -> new ArrayList<>());
      if (tokenHash != null) {
        list.add(new TokenCredential(tokenHash, until == null ? null : until.toInstant()));
      }
    }

    List<Device> devices() {
      List<Device> devices = new ArrayList<>(tenants.size());
      tenants.forEach((id, tenant) -> devices.add(new Device(id, tenant, tokens.get(id))));
      return devices;
    }
  }

  /** A registry operation refused for a reason the user can act on. */
  public static final class DeviceException extends RuntimeException {
    /** Why: lets the API answer 400, 404 or 409 without parsing messages. */
    public enum Kind { INVALID, NOT_FOUND, CONFLICT }

    private final Kind kind;

    public DeviceException(String message) {
      this(Kind.INVALID, message);
    }

    public DeviceException(Kind kind, String message) {
      super(message, null, false, false);
      this.kind = kind;
    }

    public Kind kind() {
      return kind;
    }
  }
}
