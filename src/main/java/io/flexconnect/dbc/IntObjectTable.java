package io.flexconnect.dbc;

/**
 * Immutable open-addressing table from int keys to values, without boxing. Key -1 marks an empty
 * slot; it is never a valid key here (extended IDs carry bit 31 but are at most 0x9fffffff).
 */
final class IntObjectTable<V> {

  private static final int EMPTY = -1;

  private final int[] keys;
  private final Object[] values;
  private final int mask;

  IntObjectTable(int[] keyList, Object[] valueList, int count) {
    int capacity = Integer.highestOneBit(Math.max(4, count * 2) - 1) << 1;
    keys = new int[capacity];
    values = new Object[capacity];
    mask = capacity - 1;
    java.util.Arrays.fill(keys, EMPTY);
    for (int i = 0; i < count; i++) {
      int k = keyList[i];
      if (k == EMPTY) {
        throw new IllegalArgumentException("key -1 is reserved");
      }
      int slot = mix(k) & mask;
      while (keys[slot] != EMPTY && keys[slot] != k) {
        slot = (slot + 1) & mask;
      }
      if (keys[slot] == EMPTY) {
        keys[slot] = k;
        values[slot] = valueList[i];
      }
    }
  }

  @SuppressWarnings("unchecked")
  V get(int key) {
    int slot = mix(key) & mask;
    while (true) {
      int k = keys[slot];
      if (k == key) {
        return (V) values[slot];
      }
      if (k == EMPTY) {
        return null;
      }
      slot = (slot + 1) & mask;
    }
  }

  private static int mix(int key) {
    int h = key * 0x9E3779B9;
    return h ^ (h >>> 16);
  }
}
