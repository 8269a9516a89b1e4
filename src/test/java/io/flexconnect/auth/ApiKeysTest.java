package io.flexconnect.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class ApiKeysTest {

  @Test
  void verifiesThatAGeneratedKeyCarriesItsIdAndMatchesOnlyItsOwnHash() {
    ApiKeys.NewKey key = ApiKeys.generate(new SecureRandom());
    ApiKeys.NewKey other = ApiKeys.generate(new SecureRandom());

    assertThat(key.key()).matches("fxk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}").hasSize(ApiKeys.LENGTH);
    assertThat(ApiKeys.idOf(key.key())).contains(key.id());
    assertThat(ApiKeys.matches(key.key(), key.hash())).isTrue();
    assertThat(ApiKeys.matches(other.key(), key.hash())).isFalse();
    assertThat(key.id()).isNotEqualTo(other.id());
    assertThat(key.hash()).hasSize(32);
  }

  @Test
  void verifiesThatAKeyWithAChangedSecretKeepsItsIdButNoLongerMatches() {
    ApiKeys.NewKey key = ApiKeys.generate(new SecureRandom());
    char last = key.key().charAt(key.key().length() - 1);
    String tampered = key.key().substring(0, key.key().length() - 1) + (last == 'A' ? 'B' : 'A');

    assertThat(ApiKeys.idOf(tampered)).contains(key.id());
    assertThat(ApiKeys.matches(tampered, key.hash())).isFalse();
  }

  @Test
  void verifiesThatAnythingNotShapedLikeAKeyHasNoId() {
    String good = ApiKeys.generate(new SecureRandom()).key();
    assertThat(ApiKeys.idOf(null)).isEmpty();
    assertThat(ApiKeys.idOf("")).isEmpty();
    assertThat(ApiKeys.idOf("tok_demo-0001-7f3a9c2e5b814d06a1e2c3d4e5f60718")).isEmpty();
    assertThat(ApiKeys.idOf("xxx_" + good.substring(4))).isEmpty();
    assertThat(ApiKeys.idOf(good + "A")).isEmpty();
    assertThat(ApiKeys.idOf(good.substring(1))).isEmpty();
    assertThat(ApiKeys.idOf("fxk_0123456789ab_" + "a".repeat(43))).contains("0123456789ab");
    assertThat(ApiKeys.idOf("fxk_0123456789AB_" + "a".repeat(43))).as("upper-case id").isEmpty();
    assertThat(ApiKeys.idOf("fxk_0123456789ab_" + "a".repeat(42) + "=")).as("padding").isEmpty();
    assertThat(ApiKeys.idOf(good.substring(0, 16) + "." + good.substring(17))).isEmpty();
    assertThat(ApiKeys.idOf("x".repeat(100_000))).isEmpty();
  }

  @Test
  void verifiesThatPrintingANewKeyNeverShowsTheSecret() {
    ApiKeys.NewKey key = ApiKeys.generate(new SecureRandom());

    assertThat(key.toString()).contains(key.id()).doesNotContain(key.key()).doesNotContain(key.key().substring(17));
  }
}
