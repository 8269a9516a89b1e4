package io.flexconnect.device;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexconnect.device.Device.TokenCredential;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceTest {
  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

  @Test
  void verifiesThatAnyCurrentlyValidTokenIsAcceptedAndAnEndedOneIsNot() {
    Device device = new Device("d-1", "default", List.of(
        new TokenCredential(Tokens.hash("tok_new-token-1"), null),
        new TokenCredential(Tokens.hash("tok_old-token-1"), NOW.plusSeconds(10))));

    assertThat(device.acceptsToken("tok_new-token-1", NOW)).isTrue();
    assertThat(device.acceptsToken("tok_old-token-1", NOW)).isTrue();
    assertThat(device.acceptsToken("tok_old-token-1", NOW.plusSeconds(10))).isFalse();
    assertThat(device.acceptsToken("tok_other-token", NOW)).isFalse();
  }

  @Test
  void verifiesThatADeviceWithoutCredentialsAcceptsNoToken() {
    assertThat(new Device("d-2", "default", List.of()).acceptsToken("tok_anything", NOW)).isFalse();
  }
}
