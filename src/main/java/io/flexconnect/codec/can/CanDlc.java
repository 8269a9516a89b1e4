package io.flexconnect.codec.can;

/** CAN FD data length codes (ISO 11898-1). */
public final class CanDlc {

  private static final byte[] FD_LENGTH = {0, 1, 2, 3, 4, 5, 6, 7, 8, 12, 16, 20, 24, 32, 48, 64};

  private CanDlc() {}

  /** The data length a CAN FD DLC code 0–15 stands for. */
  public static int fdLength(int code) {
    return FD_LENGTH[code & 0x0F];
  }

  /**
   * The DLC code for a data length, or -1 where no code denotes exactly that length (e.g. 9–11).
   */
  public static int fdCode(int length) {
    for (int code = 0; code < FD_LENGTH.length; code++) {
      if (FD_LENGTH[code] == length) {
        return code;
      }
    }
    return -1;
  }
}
