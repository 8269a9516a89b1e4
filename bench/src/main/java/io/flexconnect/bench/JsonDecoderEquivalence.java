package io.flexconnect.bench;

import io.flexconnect.codec.Decoded;
import io.flexconnect.codec.json.JsonDecoderLimits;
import io.flexconnect.codec.json.JsonTelemetry;
import io.flexconnect.codec.json.JsonTelemetryDecoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Objects;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * Differential check of the streaming {@link JsonTelemetryDecoder} against the tree-based
 * {@link TreeJsonDecoderBaseline}: random messages (members in random order, missing, mistyped,
 * duplicated, unknown; huge and odd numbers; deep nesting; compressed), each also truncated and with
 * a corrupted byte, must give the same decoded value or the same rejection reason and detail.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.flexconnect.bench.JsonDecoderEquivalence [messages] [seed]</pre>
 *
 * Prints the number of documents compared and the first mismatches; exits 1 on any mismatch.
 */
public final class JsonDecoderEquivalence {
  private static final long NOW = 1_700_000_000_000L;
  private static final String[] ODD_VALUES = {
      "null", "true", "false", "0", "-0", "1.5", "-3", "1e3", "1E-2", "1e400", "-1e400", "2147483648", "9223372036854775807",
      "9223372036854775808", "-9223372036854775809", "123456789012345678901234567890",
      "1" + "0".repeat(63), "1" + "0".repeat(64), "\"\"", "\"x\"", "\"1622547800000\"", "{}", "{\"a\":1}", "[]", "[1,2]",
      "\"" + "n".repeat(300) + "\"", "\"" + "n".repeat(4097) + "\"", "\"\\u00e9t\\u00e9\"", "0.1", "1622547800000",
      "946684799999", "1700086400001", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"};

  private static final byte[] CORRUPTIONS = {'{', '}', '[', ']', '"', ':', ',', 'x', ' ', (byte) 0xff, (byte) 0xc3};

  private final Random random;
  private final TreeJsonDecoderBaseline tree;
  private final JsonTelemetryDecoder stream;
  private final List<String> mismatches = new ArrayList<>();
  private long compared;
  private final Map<String, Integer> outcomes = new TreeMap<>();

  JsonDecoderEquivalence(long seed, JsonDecoderLimits limits) {
    this.random = new Random(seed);
    this.tree = new TreeJsonDecoderBaseline(limits);
    this.stream = new JsonTelemetryDecoder(limits);
  }

  public static void main(String[] args) {
    int messages = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    long seed = args.length > 1 ? Long.parseLong(args[1]) : 42;
    JsonDecoderEquivalence check = new JsonDecoderEquivalence(seed,
        new JsonDecoderLimits(1024 * 1024, JsonDecoderLimits.YEAR_2000_MS, 86_400_000L, 16));
    for (int i = 0; i < messages; i++) {
      check.checkWithVariants(check.message(i % 7 == 0 ? 3 : 0));
    }
    System.out.printf("compared %,d documents, %d mismatches; outcomes %s%n", check.compared, check.mismatches.size(),
        check.outcomes);
    check.mismatches.stream().limit(20).forEach(System.out::println);
    System.exit(check.mismatches.isEmpty() ? 0 : 1);
  }

  private void checkWithVariants(String json) {
    check(json);
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    compare(Arrays.copyOf(bytes, random.nextInt(bytes.length + 1)));
    byte[] corrupt = bytes.clone();
    corrupt[random.nextInt(corrupt.length)] = CORRUPTIONS[random.nextInt(CORRUPTIONS.length)];
    compare(corrupt);
    if (random.nextInt(4) == 0) {
      check(compressed(json, random.nextInt(8) == 0 ? ",\"device_id\":\"d\"" : ""));
    }
  }

  private void check(String json) {
    compare(json.getBytes(StandardCharsets.UTF_8));
  }

  private void compare(byte[] bytes) {
    compared++;
    Decoded<JsonTelemetry> expected = tree.decode(bytes, 0, bytes.length, NOW);
    Decoded<JsonTelemetry> actual = stream.decode(bytes, 0, bytes.length, NOW);
    outcomes.merge(expected instanceof Decoded.Rejected<JsonTelemetry> r ? r.rejection().reason().code() : "accepted", 1,
        Integer::sum);
    if (!Objects.equals(expected, actual)) {
      mismatches.add("input " + new String(bytes, StandardCharsets.UTF_8) + "\n  tree:   " + describe(expected)
          + "\n  stream: " + describe(actual));
    }
  }

  private static String describe(Decoded<JsonTelemetry> d) {
    return d instanceof Decoded.Ok<JsonTelemetry> ok ? ok.value() + " " + ok.value().points() : d.toString();
  }

  private static String compressed(String json, String extra) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(json.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return "{\"b64\":\"" + Base64.getEncoder().encodeToString(out.toByteArray()) + "\"" + extra + "}";
  }

  /** A message that is valid most of the time, with random faults and random member order. */
  String message(int depth) {
    List<String> members = new ArrayList<>();
    member(members, "device_id", "\"dev-" + random.nextInt(3) + "\"");
    member(members, "token", "\"tok\"");
    if (random.nextBoolean()) {
      member(members, "tags", tags());
    }
    List<String> points = new ArrayList<>();
    int count = random.nextInt(10) == 0 ? 0 : 1 + random.nextInt(4);
    for (int i = 0; i < count; i++) {
      points.add(point());
    }
    member(members, "points", "[" + String.join(",", points) + "]");
    if (depth > 0 && random.nextInt(3) == 0) {
      members.add("\"b64\":" + (random.nextBoolean() ? odd() : "\"" + compressed(message(depth - 1), "")
          .replace("\"", "\\\"") + "\""));
    }
    return object(members);
  }

  private String point() {
    if (random.nextInt(40) == 0) {
      return odd();
    }
    List<String> members = new ArrayList<>();
    member(members, "timestamp", String.valueOf(1_622_547_800_000L + random.nextInt(1000)));
    if (random.nextBoolean()) {
      member(members, "tags", tags());
    }
    List<String> fields = new ArrayList<>();
    int count = random.nextInt(15) == 0 ? 0 : 1 + random.nextInt(4);
    for (int i = 0; i < count; i++) {
      fields.add(field());
    }
    member(members, "fields", "[" + String.join(",", fields) + "]");
    return object(members);
  }

  private String field() {
    if (random.nextInt(40) == 0) {
      return odd();
    }
    List<String> members = new ArrayList<>();
    member(members, "name", "\"f" + random.nextInt(5) + "\"");
    member(members, "value", random.nextBoolean() ? String.valueOf(random.nextDouble() * 100) : "\"on\"");
    return object(members);
  }

  private String tags() {
    if (random.nextInt(15) == 0) {
      return odd();
    }
    List<String> tags = new ArrayList<>();
    int count = random.nextInt(4);
    for (int i = 0; i < count; i++) {
      int roll = random.nextInt(30);
      if (roll == 0) {
        tags.add(odd());
      } else if (roll == 1) {
        tags.add("{\"k" + random.nextInt(3) + "\":" + odd() + "}");
      } else if (roll == 2) {
        tags.add("{\"" + "k".repeat(random.nextInt(2) == 0 ? 0 : 17) + "\":\"v\"}");
      } else {
        tags.add("{\"k" + random.nextInt(3) + "\":\"v" + random.nextInt(3) + "\"" + (roll == 3 ? ",\"z\":1.5" : "") + "}");
      }
    }
    return "[" + String.join(",", tags) + "]";
  }

  /** The member as given, or (sometimes) missing, mistyped, duplicated, or next to an unknown one. */
  private void member(List<String> members, String name, String value) {
    int roll = random.nextInt(40);
    if (roll == 0) {
      return;
    }
    members.add("\"" + name + "\":" + (roll == 1 ? odd() : value));
    if (roll == 2) {
      members.add("\"" + name + "\":" + value);
    } else if (roll == 3) {
      members.add("\"unknown_" + name + "\":" + odd());
    }
  }

  private String odd() {
    return ODD_VALUES[random.nextInt(ODD_VALUES.length)];
  }

  private String object(List<String> members) {
    if (random.nextInt(3) == 0) {
      Collections.shuffle(members, random);
    }
    return "{" + String.join(",", members) + "}";
  }
}
