package io.flexconnect.ingest;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * Cuts the head of a refused payload for {@code rejected_messages} with the device token blanked
 * out, so inspecting rejections never reveals a credential.
 */
public final class PayloadRedactor {
  private static final Pattern JSON_TOKEN = Pattern.compile("(\"token\"\\s*:\\s*\")((?:[^\"\\\\]|\\\\.)*)(\"?)");
  // Compressed content could be inflated back to the token: only its size is kept.
  private static final Pattern JSON_B64 = Pattern.compile("(\"b64\"\\s*:\\s*\")([^\"]*)(\"?)");
  private static final int GZIP_HEADER_BYTES = 11; // 0xFC marker + 10-byte gzip header

  private PayloadRedactor() {}

  public static byte[] head(byte[] payload, int maxBytes) {
    return switch (PayloadFormat.detect(payload)) {
      case JSON -> redactJson(payload, maxBytes);
      case BINARY -> redactBinary(payload, maxBytes);
      case BINARY_COMPRESSED -> Arrays.copyOf(payload, Math.min(payload.length, Math.min(maxBytes, GZIP_HEADER_BYTES)));
    };
  }

  private static byte[] redactJson(byte[] payload, int maxBytes) {
    // Redact on the whole text first, then cut: a cut inside the token must not leave a prefix of it.
    String text = new String(payload, StandardCharsets.UTF_8);
    String redacted = JSON_TOKEN.matcher(text).replaceAll("$1<redacted>$3");
    redacted = JSON_B64.matcher(redacted).replaceAll(m -> m.group(1) + "<" + m.group(2).length() + " base64 characters>" + m.group(3));
    byte[] bytes = redacted.getBytes(StandardCharsets.UTF_8);
    return Arrays.copyOf(bytes, Math.min(bytes.length, maxBytes));
  }

  private static byte[] redactBinary(byte[] payload, int maxBytes) {
    byte[] head = Arrays.copyOf(payload, Math.min(payload.length, maxBytes));
    if (head.length < 4) {
      return head;
    }
    long tokenLength = ((head[0] & 0xFFL) << 24) | ((head[1] & 0xFF) << 16) | ((head[2] & 0xFF) << 8) | (head[3] & 0xFF);
    int end = (int) Math.min(head.length, 4 + tokenLength);
    Arrays.fill(head, 4, end, (byte) '*');
    return head;
  }
}
