package io.flexconnect.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Where a page of raw points ended: the last point's device time and signal. Opaque to clients
 * (URL-safe base64); the next page starts strictly after it, so pages never overlap or skip.
 */
record PageCursor(long timestampMs, String signal) {

  String encode() {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString((timestampMs + ":" + signal).getBytes(StandardCharsets.UTF_8));
  }

  static PageCursor decode(String value) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8);
      int colon = text.indexOf(':');
      return new PageCursor(Long.parseLong(text.substring(0, colon)), text.substring(colon + 1));
    } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
      throw ApiException.badRequest("cursor: not a cursor this API returned");
    }
  }
}
