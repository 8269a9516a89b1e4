package io.flexconnect.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class GunzipTest {

  static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }

  @Test
  void verifiesThatAValidStreamRoundTrips() throws IOException {
    byte[] text = "hello telemetry".getBytes(StandardCharsets.UTF_8);
    byte[] gz = gzip(text);
    Decoded<byte[]> result = Gunzip.gunzip(gz, 0, gz.length, 1024);
    assertThat(result).isInstanceOf(Decoded.Ok.class);
    assertThat(((Decoded.Ok<byte[]>) result).value()).isEqualTo(text);
  }

  @Test
  void verifiesThatConcatenatedMembersAreJoined() throws IOException {
    byte[] a = gzip("abc".getBytes(StandardCharsets.US_ASCII));
    byte[] b = gzip("def".getBytes(StandardCharsets.US_ASCII));
    byte[] both = new byte[a.length + b.length];
    System.arraycopy(a, 0, both, 0, a.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    Decoded<byte[]> result = Gunzip.gunzip(both, 0, both.length, 1024);
    assertThat(new String(((Decoded.Ok<byte[]>) result).value(), StandardCharsets.US_ASCII)).isEqualTo("abcdef");
  }

  @Test
  void verifiesThatABombIsStoppedAtTheLimit() throws IOException {
    byte[] bomb = gzip(new byte[64 * 1024 * 1024]); // 64 MiB of zeros, ~64 KiB compressed
    Decoded<byte[]> result = Gunzip.gunzip(bomb, 0, bomb.length, 1024 * 1024);
    assertThat(result).isInstanceOfSatisfying(Decoded.Rejected.class,
        r -> assertThat(r.rejection().reason()).isEqualTo(RejectReason.DECOMPRESSED_TOO_LARGE));
  }

  @Test
  void verifiesThatATruncatedStreamIsRejected() throws IOException {
    byte[] gz = gzip("some longer text that compresses into a few bytes".getBytes(StandardCharsets.US_ASCII));
    Decoded<byte[]> result = Gunzip.gunzip(gz, 0, gz.length - 5, 1024);
    assertThat(result).isInstanceOfSatisfying(Decoded.Rejected.class,
        r -> assertThat(r.rejection().reason()).isEqualTo(RejectReason.BAD_GZIP));
  }

  @Test
  void verifiesThatGarbageIsRejected() {
    byte[] junk = "definitely not a gzip stream at all".getBytes(StandardCharsets.US_ASCII);
    Decoded<byte[]> result = Gunzip.gunzip(junk, 0, junk.length, 1024);
    assertThat(result).isInstanceOfSatisfying(Decoded.Rejected.class,
        r -> assertThat(r.rejection().reason()).isEqualTo(RejectReason.BAD_GZIP));
  }
}
