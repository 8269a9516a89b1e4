package io.flexconnect.codec;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Bounded gzip decompression. Output is capped at a configured size so a few kilobytes of crafted
 * input (a "gzip bomb") cannot exhaust memory: the inflater stops as soon as the cap is passed.
 * Concatenated gzip members are accepted, as RFC 1952 allows and {@code gzip -c a b} produces.
 */
public final class Gunzip {

  private Gunzip() {}

  /**
   * Decompresses {@code length} bytes of {@code input} from {@code offset}.
   *
   * @param maxOutput the most decompressed bytes accepted
   * @return the decompressed bytes, or a {@link RejectReason#BAD_GZIP} / {@link
   *     RejectReason#DECOMPRESSED_TOO_LARGE} rejection
   */
  public static Decoded<byte[]> gunzip(byte[] input, int offset, int length, int maxOutput) {
    if (length < 18) { // 10-byte header + empty deflate block + 8-byte trailer
      return Decoded.rejected(RejectReason.BAD_GZIP, "gzip stream too short (" + length + " bytes)");
    }
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(input, offset, length), 8192)) {
      byte[] out = new byte[initialCapacity(input, offset, length, maxOutput)];
      int size = 0;
      while (true) {
        if (size == out.length) {
          if (out.length > maxOutput) {
            return tooLarge(maxOutput);
          }
          out = Arrays.copyOf(out, (int) Math.min((long) maxOutput + 1, (long) out.length * 2));
        }
        int n = in.read(out, size, out.length - size);
        if (n < 0) {
          break;
        }
        size += n;
        if (size > maxOutput) {
          return tooLarge(maxOutput);
        }
      }
      return Decoded.ok(size == out.length ? out : Arrays.copyOf(out, size));
    } catch (EOFException e) {
      return Decoded.rejected(RejectReason.BAD_GZIP, "gzip stream truncated");
    } catch (ZipException e) {
      return Decoded.rejected(RejectReason.BAD_GZIP, "invalid gzip stream: " + e.getMessage());
    } catch (IOException e) {
      return Decoded.rejected(RejectReason.BAD_GZIP, "gzip stream unreadable: " + e.getMessage());
    }
  }

  /**
   * The gzip trailer's ISIZE (uncompressed size mod 2^32) sizes the output exactly for the usual
   * single-member stream; it is only a hint (a crafted stream can lie), so the output still grows
   * on demand and the cap still applies. One byte more lets the read loop see the end without a
   * final copy.
   */
  static int initialCapacity(byte[] input, int offset, int length, int maxOutput) {
    int end = offset + length;
    long isize = (input[end - 4] & 0xFFL) | (input[end - 3] & 0xFFL) << 8 | (input[end - 2] & 0xFFL) << 16
        | (input[end - 1] & 0xFFL) << 24;
    long hint = isize > 0 && isize <= maxOutput ? isize + 1 : Math.max(256L, length * 4L);
    return (int) Math.min((long) maxOutput + 1, hint);
  }

  private static Decoded<byte[]> tooLarge(int maxOutput) {
    return Decoded.rejected(
        RejectReason.DECOMPRESSED_TOO_LARGE, "decompressed size exceeds limit of " + maxOutput + " bytes");
  }
}
