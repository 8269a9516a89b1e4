package io.flexconnect.codec;

import java.util.Objects;

/**
 * A refused message: the reason code and a human-readable detail (with a byte offset or JSON path
 * where one helps). The detail never contains a secret such as a token.
 */
public record Rejection(RejectReason reason, String detail) {
  public Rejection {
    Objects.requireNonNull(reason, "reason");
    detail = detail == null ? "" : detail;
  }

  public static Rejection of(RejectReason reason, String detail) {
    return new Rejection(reason, detail);
  }

  @Override
  public String toString() {
    return reason.code() + ": " + detail;
  }
}
