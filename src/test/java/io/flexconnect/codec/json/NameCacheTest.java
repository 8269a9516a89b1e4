package io.flexconnect.codec.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NameCacheTest {

  private static String read(NameCache cache, String text) {
    char[] buffer = ("xx" + text + "yy").toCharArray(); // the name sits inside a larger parser buffer
    return cache.name(buffer, 2, text.length());
  }

  @Test
  void verifiesThatAnEqualNameComesBackAsTheSameString() {
    NameCache cache = new NameCache(64);
    String first = read(cache, "Engine.Speed");
    assertThat(read(cache, "Engine.Speed")).isEqualTo("Engine.Speed").isSameAs(first);
  }

  @Test
  void verifiesThatNamesSharingASlotAreNeverConfused() {
    NameCache cache = new NameCache(1); // every name in one slot
    assertThat(read(cache, "a")).isEqualTo("a");
    assertThat(read(cache, "b")).isEqualTo("b");
    assertThat(read(cache, "Aa")).isEqualTo("Aa");
    assertThat(read(cache, "BB")).isEqualTo("BB"); // the same String hash code as "Aa"
    assertThat(read(cache, "a")).isEqualTo("a");
  }

  @Test
  void verifiesThatLongNamesAreReadButNotKept() {
    NameCache cache = new NameCache(64);
    String longName = "s".repeat(NameCache.MAX_CACHED_LENGTH + 1);
    String first = read(cache, longName);
    assertThat(read(cache, longName)).isEqualTo(longName).isNotSameAs(first);
  }

  @Test
  void verifiesThatTheSlotCountMustBeAPowerOfTwo() {
    assertThatThrownBy(() -> new NameCache(100)).isInstanceOf(IllegalArgumentException.class);
  }
}
