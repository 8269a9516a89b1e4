package io.flexconnect.common;

/** Small validation helpers for configuration records; each failure names the setting. */
public final class Checks {
  private Checks() {}

  public static void positive(String name, long value) {
    if (value <= 0) {
      throw new ConfigException(name + " must be positive, got " + value);
    }
  }

  public static void nonNegative(String name, long value) {
    if (value < 0) {
      throw new ConfigException(name + " must not be negative, got " + value);
    }
  }

  public static void port(String name, int value) {
    if (value < 0 || value > 65535) {
      throw new ConfigException(name + " must be a TCP port (0-65535), got " + value);
    }
  }

  public static void notBlank(String name, String value) {
    if (value == null || value.isBlank()) {
      throw new ConfigException(name + " must not be empty");
    }
  }

  public static void atMost(String name, long value, long max) {
    if (value > max) {
      throw new ConfigException(name + " must be at most " + max + ", got " + value);
    }
  }
}
