package io.flexconnect.device;

import io.vertx.core.Future;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * A per-verticle cache in front of {@link DeviceRegistry}, so authenticating a message costs no
 * database round trip in the steady state. "No such device" is cached briefly too, so a flood of
 * messages from an unknown device does not become a flood of queries. Each instance holds only
 * the devices it sees, which keeps the state partitionable by device.
 */
public final class DeviceDirectory {

  private final DeviceRegistry registry;
  private final long ttlMs;
  private final long negativeTtlMs;
  private final LongSupplier clock;
  private final int maxEntries;
  private final Map<String, Entry> byId = new HashMap<>();
  // One lookup per device at a time: later messages wait on the same future, so their callbacks
  // run in arrival order and a device's messages reach storage in the order they were received.
  private final Map<String, Future<Optional<Device>>> lookups = new HashMap<>();

  public DeviceDirectory(DeviceRegistry registry, long ttlMs, long negativeTtlMs, int maxEntries, LongSupplier clock) {
    this.registry = registry;
    this.ttlMs = ttlMs;
    this.negativeTtlMs = negativeTtlMs;
    this.maxEntries = maxEntries;
    this.clock = clock;
  }

  /** The device with that id, from cache when fresh. */
  public Future<Optional<Device>> byId(String deviceId) {
    long now = clock.getAsLong();
    Entry cached = byId.get(deviceId);
    if (cached != null && cached.expiresAt > now) {
      return Future.succeededFuture(cached.device);
    }
    Future<Optional<Device>> pending = lookups.get(deviceId);
    if (pending != null) {
      return pending;
    }
    Future<Optional<Device>> lookup = registry.findById(deviceId).onComplete(ar -> {
      lookups.remove(deviceId);
      if (ar.succeeded()) {
        if (byId.size() >= maxEntries) {
          byId.clear(); // crude but bounded; a fleet larger than the cache just costs more queries
        }
        byId.put(deviceId, new Entry(ar.result(), clock.getAsLong() + (ar.result().isPresent() ? ttlMs : negativeTtlMs)));
      }
    });
    lookups.put(deviceId, lookup);
    return lookup;
  }

  private record Entry(Optional<Device> device, long expiresAt) {}
}
