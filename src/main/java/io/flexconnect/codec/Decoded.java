package io.flexconnect.codec;

import java.util.Objects;

/**
 * Outcome of decoding one message: a value or a {@link Rejection}. Decoders return it instead of
 * throwing, so malformed input costs no stack trace on the hot path.
 *
 * @param <T> the decoded value
 */
public sealed interface Decoded<T> {

  static <T> Decoded<T> ok(T value) {
    return new Ok<>(value);
  }

  static <T> Decoded<T> rejected(RejectReason reason, String detail) {
    return new Rejected<>(new Rejection(reason, detail));
  }

  static <T> Decoded<T> rejected(Rejection rejection) {
    return new Rejected<>(rejection);
  }

  /** A successfully decoded value. */
  record Ok<T>(T value) implements Decoded<T> {
    public Ok {
      Objects.requireNonNull(value, "value");
    }
  }

  /** A refused message. */
  record Rejected<T>(Rejection rejection) implements Decoded<T> {
    public Rejected {
      Objects.requireNonNull(rejection, "rejection");
    }

    /** Re-types the rejection for a caller that decodes into another value type. */
    @SuppressWarnings("unchecked")
    public <U> Decoded<U> cast() {
      return (Decoded<U>) this;
    }
  }
}
