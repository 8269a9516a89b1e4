package io.flexconnect.broker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopicFilterTest {

  @Test
  void verifiesThatSingleLevelWildcardMatchesExactlyOneLevel() {
    assertThat(TopicFilter.matches("sport/+/player1", "sport/tennis/player1")).isTrue();
    assertThat(TopicFilter.matches("sport/+", "sport/")).isTrue();
    assertThat(TopicFilter.matches("sport/+", "sport")).isFalse();
    assertThat(TopicFilter.matches("sport/+", "sport/tennis/player1")).isFalse();
    assertThat(TopicFilter.matches("+/+", "/finance")).isTrue();
    assertThat(TopicFilter.matches("+", "/finance")).isFalse();
  }

  @Test
  void verifiesThatMultiLevelWildcardMatchesParentAndDescendants() {
    assertThat(TopicFilter.matches("sport/#", "sport")).isTrue();
    assertThat(TopicFilter.matches("sport/#", "sport/tennis/player1")).isTrue();
    assertThat(TopicFilter.matches("sport/#", "sports")).isFalse();
    assertThat(TopicFilter.matches("#", "a/b/c")).isTrue();
    assertThat(TopicFilter.matches("sport/tennis/#", "sport/tennis")).isTrue();
    assertThat(TopicFilter.matches("sport/tennis/#", "sport")).isFalse();
  }

  @Test
  void verifiesThatExactFiltersCompareWholeLevels() {
    assertThat(TopicFilter.matches("a/b", "a/b")).isTrue();
    assertThat(TopicFilter.matches("a/b", "a/bc")).isFalse();
    assertThat(TopicFilter.matches("a/b", "a/b/c")).isFalse();
    assertThat(TopicFilter.matches("a/b/c", "a/b")).isFalse();
  }

  @Test
  void verifiesThatDollarTopicsAreHiddenFromLeadingWildcards() {
    assertThat(TopicFilter.matches("#", "$SYS/monitor")).isFalse();
    assertThat(TopicFilter.matches("+/monitor", "$SYS/monitor")).isFalse();
    assertThat(TopicFilter.matches("$SYS/#", "$SYS/monitor")).isTrue();
    assertThat(TopicFilter.matches("$SYS/+", "$SYS/monitor")).isTrue();
  }

  @Test
  void verifiesThatMalformedFiltersAndTopicsAreRefused() {
    assertThat(TopicFilter.isValidFilter("sport/tennis#")).isFalse();
    assertThat(TopicFilter.isValidFilter("sport/#/ranking")).isFalse();
    assertThat(TopicFilter.isValidFilter("sport+")).isFalse();
    assertThat(TopicFilter.isValidFilter("")).isFalse();
    assertThat(TopicFilter.isValidFilter("+/tennis/#")).isTrue();
    assertThat(TopicFilter.isValidTopicName("a/+/b")).isFalse();
    assertThat(TopicFilter.isValidTopicName("a/#")).isFalse();
    assertThat(TopicFilter.isValidTopicName("a/b")).isTrue();
  }

  @Test
  void verifiesThatSharedFiltersAreParsed() {
    assertThat(TopicFilter.isValidSharedFilter("$share/ingest/sport/#")).isTrue();
    assertThat(TopicFilter.sharedInnerFilter("$share/ingest/sport/#")).isEqualTo("sport/#");
    assertThat(TopicFilter.isValidSharedFilter("$share//sport")).isFalse();
    assertThat(TopicFilter.isValidSharedFilter("$share/ingest")).isFalse();
    assertThat(TopicFilter.isValidSharedFilter("$share/in+/sport")).isFalse();
  }
}
