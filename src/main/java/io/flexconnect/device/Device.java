package io.flexconnect.device;

import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;

/**
 * A registered device with its currently accepted tokens. Tokens themselves are never kept:
 * only their hashes, each with the instant it stops being accepted ({@code null}: until revoked).
 */
public record Device(String deviceId, String tenantId, List<TokenCredential> tokens) {

  public Device {
    tokens = List.copyOf(tokens);
  }

  /**
   * Whether {@code token} is one of the device's tokens still valid at {@code now}. Every stored
   * hash is compared in constant time, so the timing does not tell which one matched.
   */
  public boolean acceptsToken(String token, Instant now) {
    byte[] presented = Tokens.hash(token);
    boolean accepted = false;
    for (TokenCredential credential : tokens) {
      boolean matches = MessageDigest.isEqual(presented, credential.hash());
      accepted |= matches && credential.validAt(now);
    }
    return accepted;
  }

  /** A token hash and the instant it stops being accepted ({@code null}: until revoked or rotated). */
  public record TokenCredential(byte[] hash, Instant validUntil) {
    public boolean validAt(Instant now) {
      return validUntil == null || now.isBefore(validUntil);
    }
  }
}
