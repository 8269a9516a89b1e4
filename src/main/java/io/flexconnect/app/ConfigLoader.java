package io.flexconnect.app;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flexconnect.common.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the typed {@link FlexconnectConfig} from three layers, each overriding the one before:
 * the defaults shipped in the JAR, an optional JSON file, and environment variables.
 *
 * <p>Every key of the defaults has an environment name: {@code FLEXCONNECT_} followed by its path
 * in upper snake case, e.g. {@code db.url} → {@code FLEXCONNECT_DB_URL}, {@code
 * storage.batchRows} → {@code FLEXCONNECT_STORAGE_BATCH_ROWS}; lists of strings are given
 * comma-separated. Unknown keys in the file are refused,
 * so a typo cannot silently fall back to a default.
 */
public final class ConfigLoader {

  static final String DEFAULTS_RESOURCE = "/flexconnect-defaults.json";
  static final String ENV_PREFIX = "FLEXCONNECT";

  private final ObjectMapper mapper =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** Loads defaults, then {@code file} when it exists, then the given environment. */
  public FlexconnectConfig load(Path file, Map<String, String> env) {
    ObjectNode merged = defaults();
    if (file != null && Files.isRegularFile(file)) {
      try {
        JsonNode overrides = mapper.readTree(file.toFile());
        if (!(overrides instanceof ObjectNode obj)) {
          throw new ConfigException(file + ": expected a JSON object");
        }
        merge(merged, obj, file.toString());
      } catch (IOException e) {
        throw new ConfigException(file + ": " + e.getMessage(), e);
      }
    }
    applyEnvironment(merged, ENV_PREFIX, env);
    try {
      return mapper.treeToValue(merged, FlexconnectConfig.class).validated();
    } catch (IOException e) {
      throw new ConfigException("invalid configuration: " + e.getMessage(), e);
    }
  }

  /** The shipped defaults alone, as a tree. */
  public ObjectNode defaults() {
    try (InputStream in = ConfigLoader.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
      return (ObjectNode) mapper.readTree(in);
    } catch (IOException e) {
      throw new IllegalStateException("defaults missing from the JAR", e);
    }
  }

  /** Lists every environment variable name the configuration understands. */
  public List<String> environmentNames() {
    List<String> names = new ArrayList<>();
    collectNames(defaults(), ENV_PREFIX, names);
    return names;
  }

  private static void collectNames(ObjectNode node, String prefix, List<String> names) {
    node.fields().forEachRemaining(e -> {
      String name = prefix + "_" + envSegment(e.getKey());
      if (e.getValue() instanceof ObjectNode child) {
        collectNames(child, name, names);
      } else {
        names.add(name);
      }
    });
  }

  private void merge(ObjectNode target, ObjectNode overrides, String path) {
    for (Iterator<Map.Entry<String, JsonNode>> it = overrides.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode existing = target.get(e.getKey());
      String keyPath = path + ": " + e.getKey();
      if (existing == null) {
        throw new ConfigException(keyPath + " is not a known setting");
      }
      if (existing instanceof ObjectNode existingObj) {
        if (!(e.getValue() instanceof ObjectNode overrideObj)) {
          throw new ConfigException(keyPath + " must be an object");
        }
        merge(existingObj, overrideObj, path + "." + e.getKey());
      } else {
        target.set(e.getKey(), e.getValue());
      }
    }
  }

  private void applyEnvironment(ObjectNode node, String prefix, Map<String, String> env) {
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String name = prefix + "_" + envSegment(e.getKey());
      if (e.getValue() instanceof ObjectNode child) {
        applyEnvironment(child, name, env);
        continue;
      }
      String value = env.get(name);
      if (value == null) {
        continue;
      }
      JsonNode current = e.getValue();
      try {
        if (current.isArray()) {
          // Lists from the environment: comma-separated values.
          com.fasterxml.jackson.databind.node.ArrayNode list = node.putArray(e.getKey());
          for (String item : value.split(",")) {
            if (!item.isBlank()) {
              list.add(item.trim());
            }
          }
        } else if (current.isBoolean()) {
          if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw new NumberFormatException("expected true or false");
          }
          node.put(e.getKey(), Boolean.parseBoolean(value));
        } else if (current.isIntegralNumber()) {
          node.put(e.getKey(), Long.parseLong(value.trim()));
        } else if (current.isNumber()) {
          node.put(e.getKey(), Double.parseDouble(value.trim()));
        } else {
          node.put(e.getKey(), value);
        }
      } catch (NumberFormatException ex) {
        throw new ConfigException(name + "=" + value + ": " + ex.getMessage(), ex);
      }
    }
  }

  /** camelCase → CAMEL_CASE. */
  static String envSegment(String key) {
    return key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
  }
}
