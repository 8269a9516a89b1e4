package io.flexconnect.common;

import java.util.LinkedHashMap;
import java.util.Map;

/** Bounded maps that forget their least recently used entry first: per-verticle caches and state. */
public final class LruMap {
  private LruMap() {}

  /** A map of at most {@code max} entries, in access order; not thread-safe (one owner each). */
  public static <K, V> Map<K, V> create(int max) {
    return new LinkedHashMap<>(Math.min(max, 1024), 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > max;
      }
    };
  }
}
