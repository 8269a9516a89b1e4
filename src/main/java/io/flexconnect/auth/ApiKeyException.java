package io.flexconnect.auth;

/**
 * A request without a usable API key, or a key operation refused. Messages never contain the key.
 */
public final class ApiKeyException extends RuntimeException {
  /** Why: lets the API answer 401 (MISSING, INVALID), and the CLI 400 or 404, without parsing messages. */
  public enum Kind { MISSING, INVALID, BAD_REQUEST, NOT_FOUND }

  private final Kind kind;

  public ApiKeyException(Kind kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  /** Whether this is an authentication failure (answered 401). */
  public boolean unauthenticated() {
    return kind == Kind.MISSING || kind == Kind.INVALID;
  }
}
