package io.flexconnect.common;

/** Turns a listen failure on a taken port into one that names the setting to change. */
public final class PortInUse {
  private PortInUse() {}

  /**
   * {@code failure} as "SETTING PORT on HOST is in use (HINT)" when it is a taken port, else
   * {@code failure} itself.
   */
  public static Throwable named(Throwable failure, String setting, int port, String host, String hint) {
    return isPortTaken(failure)
        ? new IllegalStateException(setting + " " + port + " on " + host + " is in use (" + hint + ")", failure)
        : failure;
  }

  /** The JDK's BindException, or Netty's native transport's "Address already in use". */
  static boolean isPortTaken(Throwable e) {
    return e instanceof java.net.BindException || String.valueOf(e.getMessage()).contains("Address already in use");
  }
}
