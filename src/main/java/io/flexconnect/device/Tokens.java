package io.flexconnect.device;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Device tokens: generation and hashing. Tokens are 256-bit random values, so an unsalted SHA-256
 * is a sound way to store them (no dictionary to attack); comparisons are constant-time.
 */
public final class Tokens {
  private static final String PREFIX = "tok_";

  private Tokens() {}

  /** A new random token, URL-safe, e.g. {@code tok_3q2+...}. */
  public static String generate(SecureRandom random) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** SHA-256 of the token's UTF-8 bytes. */
  public static byte[] hash(String token) {
    return hash(token.getBytes(StandardCharsets.UTF_8));
  }

  /** SHA-256 of raw token bytes (binary messages carry the token as bytes). */
  public static byte[] hash(byte[] token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
    }
  }

  /** Constant-time comparison of a presented token against a stored hash. */
  public static boolean matches(String token, byte[] storedHash) {
    return MessageDigest.isEqual(hash(token), storedHash);
  }
}
