package io.flexconnect.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

/** Bounded line reading for candump logs. */
class LineReaderTest {

  @Test
  void verifiesThatAllLineEndingsAndALastLineWithoutEndingAreRead() throws IOException {
    LineReader r = new LineReader(new StringReader("a\r\nb\rc\n\nd"), 100);

    assertThat(r.next()).isEqualTo("a");
    assertThat(r.next()).isEqualTo("b");
    assertThat(r.next()).isEqualTo("c");
    assertThat(r.next()).isEmpty();
    assertThat(r.next()).isEqualTo("d");
    assertThat(r.number()).isEqualTo(5);
    assertThat(r.next()).isNull();
  }

  @Test
  void verifiesThatALongLineIsCutAndFlaggedAndTheNextLineIsIntact() throws IOException {
    LineReader r = new LineReader(new StringReader("x".repeat(20_000) + "\nok\n"), 10);

    assertThat(r.next()).isEqualTo("x".repeat(10));
    assertThat(r.truncated()).isTrue();
    assertThat(r.next()).isEqualTo("ok");
    assertThat(r.truncated()).isFalse();
    assertThat(r.number()).isEqualTo(2);
    assertThat(r.next()).isNull();
  }
}
