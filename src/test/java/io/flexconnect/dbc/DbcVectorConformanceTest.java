package io.flexconnect.dbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Decodes every frame of the repository's vectors (computed by an independent DBC implementation) and
 * compares physical values, raw values, multiplexer selection and value-table labels.
 */
class DbcVectorConformanceTest {

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);
  private static final Map<String, DbcDecoder> DECODERS = new HashMap<>();
  private static int passedVectors;
  private static int passedChoices;

  record Decoded(CompiledSignal signal, double physical, long raw, String label) {}

  @TestFactory
  Stream<DynamicTest> verifiesThatEveryVectorDecodesToTheExpectedPhysicalAndRawValues() throws IOException {
    return lines("vectors.jsonl").map(v -> DynamicTest.dynamicTest(name(v), () -> {
      Map<String, Decoded> decoded = decode(v);
      JsonNode signals = v.get("signals");
      JsonNode raws = v.get("raw");
      assertThat(decoded.keySet()).containsExactlyInAnyOrderElementsOf(names(signals));
      for (Iterator<String> it = signals.fieldNames(); it.hasNext(); ) {
        String name = it.next();
        Decoded d = decoded.get(name);
        assertClose(name, d.physical(), signals.get(name).asDouble());
        assertRaw(name, d, raws.get(name));
      }
      passedVectors++;
    }));
  }

  @TestFactory
  Stream<DynamicTest> verifiesThatEveryChoicesVectorYieldsTheExpectedLabels() throws IOException {
    return lines("vectors_choices.jsonl").map(v -> DynamicTest.dynamicTest(name(v), () -> {
      Map<String, Decoded> decoded = decode(v);
      JsonNode signals = v.get("signals");
      // Only the signals with a value table are listed.
      assertThat(decoded.keySet()).containsAll(names(signals));
      int labels = 0;
      for (Iterator<String> it = signals.fieldNames(); it.hasNext(); ) {
        String name = it.next();
        JsonNode expected = signals.get(name);
        Decoded d = decoded.get(name);
        if (expected.isTextual()) {
          assertThat(d.label()).as(name).isEqualTo(expected.asText());
          labels++;
        } else {
          assertThat(d.label()).as(name).isNull();
          assertClose(name, d.physical(), expected.asDouble());
        }
      }
      if (v.has("labels_hit")) {
        assertThat(labels).isEqualTo(v.get("labels_hit").asInt());
      }
      passedChoices++;
    }));
  }

  @AfterAll
  static void report() {
    System.out.println("DBC conformance: " + passedVectors + " vectors and " + passedChoices
        + " choice vectors passed");
  }

  private static Map<String, Decoded> decode(JsonNode v) throws Exception {
    DbcDecoder decoder = decoder(v.get("dbc").asText());
    int frameId = (int) v.get("frame_id").asLong();
    boolean extended = v.get("is_extended").asBoolean();
    CompiledMessage m = decoder.find(frameId, extended);
    assertThat(m).as("message for ID %d", frameId).isNotNull();
    assertThat(m.message().name()).isEqualTo(v.get("message").asText());
    assertThat(m.message().dbcId()).isEqualTo((int) v.get("dbc_id").asLong());
    assertThat(m.message().fd()).isEqualTo(v.get("is_fd").asBoolean());
    if ("j1939".equals(v.path("protocol").asText(null))) {
      assertThat(m.isJ1939()).isTrue();
      if (v.has("j1939")) {
        assertThat(m.j1939SourceAddress(frameId)).isEqualTo(v.get("j1939").get("source_address").asInt());
        // Another priority and source address still find the same parameter group (when only one
        // message of the file has that PGN).
        long samePgn = decoder.messages().stream().filter(c -> c.message().extended()
            && DbcDecoder.j1939Pgn(c.message().frameId()) == DbcDecoder.j1939Pgn(frameId)).count();
        if (samePgn > 1) {
          return decodeFrame(v, m);
        }
        int other = (frameId & ~0x1C0000FF) | (7 << 26) | 0x42;
        assertThat(decoder.find(other, true)).isSameAs(m);
        assertThat(m.j1939SourceAddress(other)).isEqualTo(0x42);
      }
    }
    return decodeFrame(v, m);
  }

  private static Map<String, Decoded> decodeFrame(JsonNode v, CompiledMessage m) {
    byte[] data = TestData.hex(v.get("data_hex").asText());
    assertThat(data.length).isEqualTo(v.get("length").asInt());
    Map<String, Decoded> out = new LinkedHashMap<>();
    m.decode(data, (signal, physical, raw, label) ->
        out.put(signal.name(), new Decoded(signal, physical, raw, label)));
    return out;
  }

  private static void assertClose(String name, double actual, double expected) {
    if (expected == 0.0) {
      assertThat(actual).as(name).isEqualTo(0.0);
    } else {
      assertThat(Math.abs(actual - expected) / Math.abs(expected)).as(name + ": " + actual + " vs "
          + expected).isLessThanOrEqualTo(1e-9);
    }
  }

  private static void assertRaw(String name, Decoded d, JsonNode expected) {
    DbcValueType type = d.signal().signal().layout().valueType();
    if (type == DbcValueType.FLOAT32) {
      assertClose(name, Float.intBitsToFloat((int) d.raw()), expected.asDouble());
    } else if (type == DbcValueType.FLOAT64) {
      assertClose(name, Double.longBitsToDouble(d.raw()), expected.asDouble());
    } else {
      BigInteger actual = d.signal().signal().layout().signed() ? BigInteger.valueOf(d.raw())
          : new BigInteger(Long.toUnsignedString(d.raw()));
      assertThat(actual).as(name).isEqualTo(expected.bigIntegerValue());
    }
  }

  private static DbcDecoder decoder(String file) throws Exception {
    synchronized (DECODERS) {
      DbcDecoder d = DECODERS.get(file);
      if (d == null) {
        d = DbcDecoder.compile(DbcLoader.load(TestData.dbcDir().resolve(file)));
        DECODERS.put(file, d);
      }
      return d;
    }
  }

  private static List<String> names(JsonNode obj) {
    List<String> names = new ArrayList<>();
    obj.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static String name(JsonNode v) {
    return v.get("dbc").asText() + " " + v.get("message").asText() + " " + v.get("data_hex").asText();
  }

  private static Stream<JsonNode> lines(String file) throws IOException {
    Path p = TestData.dbcDir().resolve(file);
    List<JsonNode> nodes = new ArrayList<>();
    for (String line : Files.readAllLines(p)) {
      if (!line.isBlank()) {
        nodes.add(JSON.readTree(line));
      }
    }
    return nodes.stream();
  }
}
