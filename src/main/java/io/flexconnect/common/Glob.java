package io.flexconnect.common;

/**
 * A name pattern over device ids and signal names: {@code *} matches any run of characters
 * (including none), {@code ?} exactly one; every other character matches itself. Character classes
 * and braces are refused rather than silently taken literally, so a pattern written for a shell
 * does not quietly match nothing.
 */
public final class Glob {

  private static final int MAX_LENGTH = 256;

  private final String pattern;
  private final boolean literal;
  private final boolean matchesAll;
  /** For the common one-star shape {@code prefix*suffix}: the parts, else null. */
  private final String prefix;
  private final String suffix;

  private Glob(String pattern) {
    this.pattern = pattern;
    this.literal = pattern.indexOf('*') < 0 && pattern.indexOf('?') < 0;
    this.matchesAll = pattern.chars().allMatch(c -> c == '*') && !pattern.isEmpty();
    int star = pattern.indexOf('*');
    boolean oneStar = star >= 0 && star == pattern.lastIndexOf('*') && pattern.indexOf('?') < 0;
    this.prefix = oneStar ? pattern.substring(0, star) : null;
    this.suffix = oneStar ? pattern.substring(star + 1) : null;
  }

  /**
   * Compiles a pattern.
   *
   * @throws IllegalArgumentException naming the offending character and its column (1-based)
   */
  public static Glob of(String pattern) {
    if (pattern == null || pattern.isEmpty()) {
      throw new IllegalArgumentException("empty pattern");
    }
    if (pattern.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("pattern longer than " + MAX_LENGTH + " characters");
    }
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '[' || c == ']' || c == '{' || c == '}' || c == '\\' || Character.isWhitespace(c)
          || Character.isISOControl(c)) {
        throw new IllegalArgumentException("unsupported character '" + c + "' at column " + (i + 1)
            + " of '" + pattern + "' (only * and ? are wildcards)");
      }
    }
    return new Glob(pattern);
  }

  /** Whether {@code name} matches the whole pattern. */
  public boolean matches(String name) {
    if (matchesAll) {
      return true;
    }
    if (literal) {
      return pattern.equals(name);
    }
    if (prefix != null) {
      return name.length() >= prefix.length() + suffix.length() && name.startsWith(prefix)
          && name.endsWith(suffix);
    }
    // Iterative wildcard matching with single backtrack point: linear for patterns with one star,
    // never exponential.
    int p = 0;
    int n = 0;
    int starP = -1;
    int starN = 0;
    while (n < name.length()) {
      if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == name.charAt(n))) {
        p++;
        n++;
      } else if (p < pattern.length() && pattern.charAt(p) == '*') {
        starP = p++;
        starN = n;
      } else if (starP >= 0) {
        p = starP + 1;
        n = ++starN;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }

  public String pattern() {
    return pattern;
  }

  @Override
  public String toString() {
    return pattern;
  }
}
