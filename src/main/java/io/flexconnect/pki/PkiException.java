package io.flexconnect.pki;

/** A certificate authority operation that failed: unreadable files, a key that does not match, a signing error. */
public final class PkiException extends RuntimeException {
  public PkiException(String message) {
    super(message);
  }

  public PkiException(String message, Throwable cause) {
    super(message, cause);
  }
}
