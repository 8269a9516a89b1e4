package io.flexconnect.api;

/** RFC 4180 fields: quoted when they hold a comma, quote or line break; null is empty. */
final class Csv {
  private Csv() {}

  static String field(String value) {
    if (value == null) {
      return "";
    }
    if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
      return value;
    }
    return '"' + value.replace("\"", "\"\"") + '"';
  }
}
