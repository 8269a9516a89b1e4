package io.flexconnect.common;

import java.util.regex.Pattern;

/** Shell-style globs over device ids and signal names: {@code *} any run of characters, {@code ?} one. */
public final class Glob {
  private Glob() {}

  public static Pattern compile(String glob) {
    StringBuilder regex = new StringBuilder();
    for (char c : glob.toCharArray()) {
      switch (c) {
        case '*' -> regex.append(".*");
        case '?' -> regex.append('.');
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString());
  }
}
