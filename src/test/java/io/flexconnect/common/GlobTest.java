package io.flexconnect.common;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Device and signal patterns. */
class GlobTest {

  @Test
  void verifiesThatStarAndQuestionMarkMatchRunsAndSingleCharacters() {
    assertThat(Glob.of("truck-*").matches("truck-0001")).isTrue();
    assertThat(Glob.of("truck-*").matches("car-0001")).isFalse();
    assertThat(Glob.of("*.Engine*").matches("EngineData.EngineSpeed")).isTrue();
    assertThat(Glob.of("dev-??").matches("dev-12")).isTrue();
    assertThat(Glob.of("dev-??").matches("dev-123")).isFalse();
    assertThat(Glob.of("*").matches("")).isTrue();
  }

  @Test
  void verifiesThatAOneStarPatternNeedsRoomForBothPrefixAndSuffix() {
    assertThat(Glob.of("ab*ba").matches("aba")).isFalse();
    assertThat(Glob.of("ab*ba").matches("abba")).isTrue();
    assertThat(Glob.of("a*b?c*").matches("axxbyczz")).isTrue();
    assertThat(Glob.of("a*b?c*").matches("axxbcz")).isFalse();
  }

  @Test
  void verifiesThatAPatternWithoutWildcardsMatchesOnlyItself() {
    assertThat(Glob.of("EngineData.EngineSpeed").matches("EngineData.EngineSpeed")).isTrue();
    assertThat(Glob.of("EngineData.EngineSpeed").matches("EngineDataXEngineSpeed")).isFalse();
  }

  @Test
  void verifiesThatCharacterClassesAreRefusedWithTheirColumn() {
    assertThatThrownBy(() -> Glob.of("truck-[0-9]")).hasMessageContaining("column 7");
    assertThatThrownBy(() -> Glob.of("")).hasMessageContaining("empty");
  }
}
