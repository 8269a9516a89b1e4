package io.flexconnect.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * API keys: generation, parsing and hashing. Pure Java.
 *
 * <pre>
 *   fxk_3f9a1c27e0b4_Q2xlYXJseSBub3QgYSByZWFsIGtleSwganVzdCBhbiBleGFtcGxl
 *   └┬─┘└────┬─────┘ └──────────────────────┬────────────────────────────┘
 *  prefix  key id (48 bits, public:        secret: 256 random bits, base64url (43 chars)
 *          listing, revocation)
 * </pre>
 *
 * The platform stores the id and the SHA-256 of the whole key, never the key. The secret is 256
 * random bits, so an unsalted hash is sound (there is no dictionary to attack). Lookups go by id,
 * then compare hashes in constant time; the id is random too, so it tells nothing about the secret.
 */
public final class ApiKeys {
  static final String PREFIX = "fxk_";
  private static final int ID_BYTES = 6;
  private static final int SECRET_BYTES = 32;
  /** {@code fxk_} + 12 hex + {@code _} + 43 base64url characters. */
  static final int LENGTH = PREFIX.length() + ID_BYTES * 2 + 1 + 43;
  private static final Pattern FORMAT = Pattern.compile("fxk_([0-9a-f]{12})_[A-Za-z0-9_-]{43}");

  private ApiKeys() {}

  /** A new key. Its {@link NewKey#key()} must be shown once and then forgotten. */
  public static NewKey generate(SecureRandom random) {
    byte[] id = new byte[ID_BYTES];
    byte[] secret = new byte[SECRET_BYTES];
    random.nextBytes(id);
    random.nextBytes(secret);
    String keyId = HexFormat.of().formatHex(id);
    String key = PREFIX + keyId + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    return new NewKey(keyId, key, hash(key));
  }

  /**
   * The key id of a presented key, or empty when it is not shaped like a key. Bounded: anything
   * longer than a key is refused before it is looked at.
   */
  public static Optional<String> idOf(String presented) {
    if (presented == null || presented.length() != LENGTH) {
      return Optional.empty();
    }
    var m = FORMAT.matcher(presented);
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /** SHA-256 of the key's UTF-8 bytes. */
  public static byte[] hash(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
    }
  }

  /** Constant-time comparison of a presented key against a stored hash. */
  public static boolean matches(String presented, byte[] storedHash) {
    return MessageDigest.isEqual(hash(presented), storedHash);
  }

  /**
   * A freshly generated key.
   *
   * @param id the public key id
   * @param key the whole secret key (shown once)
   * @param hash what is stored
   */
  public record NewKey(String id, String key, byte[] hash) {
    /** Never the key itself: records print their fields, and this one must not end up in a log. */
    @Override
    public String toString() {
      return "NewKey[id=" + id + ", key=(secret)]";
    }
  }
}
