package io.flexconnect.device;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Devices and their token hashes in PostgreSQL. */
public final class DeviceRegistry {

  /** Device ids name MQTT topic segments: no wildcards, separators or control characters. */
  private static final Pattern VALID_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

  private final Pool pool;

  public DeviceRegistry(Pool pool) {
    this.pool = pool;
  }

  public static boolean isValidId(String deviceId) {
    return deviceId != null && VALID_ID.matcher(deviceId).matches();
  }

  /**
   * Registers a device with the given token (only its hash is stored).
   *
   * @return the device, or a failed future with {@link DeviceException}
   */
  public Future<Device> add(String deviceId, String tenantId, String token) {
    if (!isValidId(deviceId)) {
      return Future.failedFuture(new DeviceException(
          "invalid device id '" + deviceId + "': use 1-128 letters, digits, '.', '_', ':' or '-'"));
    }
    if (token == null || token.length() < 8 || token.length() > 1024) {
      return Future.failedFuture(new DeviceException("a token must be 8 to 1024 characters"));
    }
    byte[] hash = Tokens.hash(token);
    return pool.preparedQuery("INSERT INTO devices (device_id, tenant_id, token_hash) VALUES ($1, $2, $3)")
        .execute(Tuple.of(deviceId, tenantId, Buffer.buffer(hash)))
        .map(r -> new Device(deviceId, tenantId, hash))
        .recover(err -> Future.failedFuture(err instanceof PgException pg && "23505".equals(pg.getSqlState())
            ? new DeviceException(pg.getConstraint() != null && pg.getConstraint().contains("token")
                ? "that token is already used by another device"
                : "device '" + deviceId + "' already exists")
            : err));
  }

  public Future<Optional<Device>> findById(String deviceId) {
    return pool.preparedQuery("SELECT device_id, tenant_id, token_hash FROM devices WHERE device_id = $1")
        .execute(Tuple.of(deviceId))
        .map(DeviceRegistry::first);
  }

  public Future<Optional<Device>> findByTokenHash(byte[] tokenHash) {
    return pool.preparedQuery("SELECT device_id, tenant_id, token_hash FROM devices WHERE token_hash = $1")
        .execute(Tuple.of(Buffer.buffer(tokenHash)))
        .map(DeviceRegistry::first);
  }

  public Future<List<Device>> list() {
    return pool.query("SELECT device_id, tenant_id, token_hash FROM devices ORDER BY device_id").execute()
        .map(rows -> {
          List<Device> devices = new ArrayList<>(rows.size());
          rows.forEach(row -> devices.add(toDevice(row)));
          return devices;
        });
  }

  private static Optional<Device> first(RowSet<Row> rows) {
    return rows.iterator().hasNext() ? Optional.of(toDevice(rows.iterator().next())) : Optional.empty();
  }

  private static Device toDevice(Row row) {
    return new Device(row.getString(0), row.getString(1), row.getBuffer(2).getBytes());
  }

  /** A registry operation refused for a reason the user can act on. */
  public static final class DeviceException extends RuntimeException {
    public DeviceException(String message) {
      super(message, null, false, false);
    }
  }
}
