package io.flexconnect.device;

import io.vertx.core.Future;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

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
  private final Cache byId;
  private final Cache byTokenHash;

  public DeviceDirectory(DeviceRegistry registry, long ttlMs, long negativeTtlMs, int maxEntries, LongSupplier clock) {
    this.registry = registry;
    this.ttlMs = ttlMs;
    this.negativeTtlMs = negativeTtlMs;
    this.clock = clock;
    this.byId = new Cache(maxEntries);
    this.byTokenHash = new Cache(maxEntries);
  }

  /** The device with that id, from cache when fresh. */
  public Future<Optional<Device>> byId(String deviceId) {
    return byId.get(deviceId, () -> registry.findById(deviceId));
  }

  /** The device a binary message's token belongs to (by the token's SHA-256). */
  public Future<Optional<Device>> byTokenHash(byte[] tokenHash) {
    return byTokenHash.get(HexFormat.of().formatHex(tokenHash), () -> registry.findByTokenHash(tokenHash));
  }

  /**
   * Forgets what is cached about a device, so a rotation or revocation made in this JVM takes
   * effect at once rather than after the cache time (other instances catch up within it).
   */
  public void evict(String deviceId) {
    byId.entries.remove(deviceId);
    byTokenHash.entries.values().removeIf(entry -> entry.device.isPresent()
        && entry.device.get().deviceId().equals(deviceId));
  }

  /** One cache keyed by a string, with coalesced lookups. */
  private final class Cache {
    private final int maxEntries;
    private final Map<String, Entry> entries = new HashMap<>();
    // One lookup per key at a time: later messages wait on the same future, so their callbacks
    // run in arrival order and a device's messages reach storage in the order they were received.
    private final Map<String, Future<Optional<Device>>> lookups = new HashMap<>();

    Cache(int maxEntries) {
      this.maxEntries = maxEntries;
    }

    Future<Optional<Device>> get(String key, Supplier<Future<Optional<Device>>> load) {
      Entry cached = entries.get(key);
      if (cached != null && cached.expiresAt > clock.getAsLong()) {
        return Future.succeededFuture(cached.device);
      }
      Future<Optional<Device>> pending = lookups.get(key);
      if (pending != null) {
        return pending;
      }
      Future<Optional<Device>> lookup = load.get().onComplete(ar -> {
        lookups.remove(key);
        if (ar.succeeded()) {
          if (entries.size() >= maxEntries) {
            entries.clear(); // crude but bounded; a fleet larger than the cache just costs more queries
          }
          long ttl = ar.result().isPresent() ? ttlMs : negativeTtlMs;
          entries.put(key, new Entry(ar.result(), clock.getAsLong() + ttl));
        }
      });
      lookups.put(key, lookup);
      return lookup;
    }
  }

  private record Entry(Optional<Device> device, long expiresAt) {}
}
