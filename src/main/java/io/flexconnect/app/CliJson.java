package io.flexconnect.app;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The {@code --json} output of list commands: one JSON array of flat objects, written with
 * Jackson's streaming generator. Vert.x's {@code JsonArray.encode()} would create Jackson's
 * {@code ObjectMapper} (its data-binding codec), which costs a read-only command a tenth of a
 * second for a few lines of output.
 */
final class CliJson {
  private static final JsonFactory FACTORY = JsonFactory.builder().build();

  private CliJson() {}

  /** The fields of one object, in the order they are written. */
  static final class Fields {
    private final JsonGenerator json;

    private Fields(JsonGenerator json) {
      this.json = json;
    }

    /** A string field; {@code null} is written as JSON {@code null}. */
    Fields put(String name, String value) {
      return write(() -> json.writeStringField(name, value));
    }

    Fields put(String name, boolean value) {
      return write(() -> json.writeBooleanField(name, value));
    }

    private Fields write(Write field) {
      try {
        field.run();
      } catch (IOException e) {
        throw new UncheckedIOException(e); // a StringWriter fails only on a bug
      }
      return this;
    }
  }

  @FunctionalInterface
  private interface Write {
    void run() throws IOException;
  }

  /** {@code items} as a compact JSON array, one object per item with the fields {@code fields} puts. */
  static <T> String array(List<T> items, BiConsumer<T, Fields> fields) {
    StringWriter out = new StringWriter();
    try (JsonGenerator json = FACTORY.createGenerator(out)) {
      Fields object = new Fields(json);
      json.writeStartArray();
      for (T item : items) {
        json.writeStartObject();
        fields.accept(item, object);
        json.writeEndObject();
      }
      json.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
