package io.flexconnect.codec.json;

/**
 * Signal names as shared strings. A device sends the same few names in every message; reading each
 * as a new {@code String} allocates per row, and every map keyed by the name downstream (rules,
 * latest values, live stream) hashes that fresh copy again. Names are looked up by their characters
 * in the parser's buffer instead, so a repeated name costs a hash and a compare, and its hash code
 * is computed once for the life of the cached string.
 *
 * <p>Direct-mapped and bounded: a slot holds the last name that hashed to it, so a colliding or
 * new name simply replaces it (no eviction bookkeeping, no growth). Slots are written without
 * locking; a {@code String} is immutable and safely published through its final fields, so a racy
 * reader sees either an older name (and compares it) or the new one: at worst a miss.
 */
final class NameCache {
  /** Longer names are not cached: they are rare, and comparing them costs more than copying. */
  static final int MAX_CACHED_LENGTH = 64;

  private final String[] slots;
  private final int mask;

  /** @param slots a power of two */
  NameCache(int slots) {
    if (slots <= 0 || Integer.bitCount(slots) != 1) {
      throw new IllegalArgumentException("slots must be a power of two: " + slots);
    }
    this.slots = new String[slots];
    this.mask = slots - 1;
  }

  /** The name held in {@code chars[offset, offset + length)}: the cached string when it is there. */
  String name(char[] chars, int offset, int length) {
    if (length > MAX_CACHED_LENGTH) {
      return new String(chars, offset, length);
    }
    int hash = 0;
    for (int i = 0; i < length; i++) {
      hash = 31 * hash + chars[offset + i]; // String.hashCode's own formula
    }
    int slot = (hash ^ (hash >>> 16)) & mask;
    String cached = slots[slot];
    if (cached != null && cached.length() == length && cached.hashCode() == hash && sameChars(cached, chars, offset)) {
      return cached;
    }
    String name = new String(chars, offset, length);
    slots[slot] = name;
    return name;
  }

  private static boolean sameChars(String s, char[] chars, int offset) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) != chars[offset + i]) {
        return false;
      }
    }
    return true;
  }
}
