package io.flexconnect.app;

import io.flexconnect.common.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 *
 * <p>The layers are merged as plain trees ({@link JsonTree}) and bound by {@link RecordBinder},
 * without Jackson's data binding: every CLI command loads the configuration, and a read-only one
 * should cost little more than its query.
 */
public final class ConfigLoader {

  static final String DEFAULTS_RESOURCE = "/flexconnect-defaults.json";
  static final String ENV_PREFIX = "FLEXCONNECT";

  /** Loads defaults, then {@code file} when it exists, then the given environment. */
  public FlexconnectConfig load(Path file, Map<String, String> env) {
    Map<String, Object> merged = defaults();
    if (file != null && Files.isRegularFile(file)) {
      Object overrides;
      try (InputStream in = Files.newInputStream(file)) {
        overrides = JsonTree.read(in);
      } catch (IOException e) {
        throw new ConfigException(file + ": " + e.getMessage(), e);
      }
      merge(merged, object(overrides, file + ": expected a JSON object"), file.toString());
    }
    applyEnvironment(merged, ENV_PREFIX, env);
    return RecordBinder.bind(merged, FlexconnectConfig.class).validated();
  }

  /** The shipped defaults alone, as a tree of maps, lists and scalars ({@link JsonTree}). */
  public Map<String, Object> defaults() {
    try (InputStream in = ConfigLoader.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
      return object(JsonTree.read(in), DEFAULTS_RESOURCE + " is not a JSON object");
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

  private static void collectNames(Map<String, Object> node, String prefix, List<String> names) {
    node.forEach((key, value) -> {
      String name = prefix + "_" + envSegment(key);
      if (value instanceof Map<?, ?>) {
        collectNames(object(value, name), name, names);
      } else {
        names.add(name);
      }
    });
  }

  private static void merge(Map<String, Object> target, Map<String, Object> overrides, String path) {
    overrides.forEach((key, value) -> {
      Object existing = target.get(key);
      String keyPath = path + ": " + key;
      if (!target.containsKey(key)) {
        throw new ConfigException(keyPath + " is not a known setting");
      }
      if (existing instanceof Map<?, ?>) {
        merge(object(existing, keyPath), object(value, keyPath + " must be an object"), path + "." + key);
      } else {
        target.put(key, value);
      }
    });
  }

  private static void applyEnvironment(Map<String, Object> node, String prefix, Map<String, String> env) {
    for (Map.Entry<String, Object> e : node.entrySet()) {
      String name = prefix + "_" + envSegment(e.getKey());
      Object current = e.getValue();
      if (current instanceof Map<?, ?>) {
        applyEnvironment(object(current, name), name, env);
        continue;
      }
      String value = env.get(name);
      if (value == null) {
        continue;
      }
      try {
        e.setValue(environmentValue(current, value));
      } catch (NumberFormatException ex) {
        throw new ConfigException(name + "=" + value + ": " + ex.getMessage(), ex);
      }
    }
  }

  /** {@code value} as the type of the setting's {@code current} value. */
  private static Object environmentValue(Object current, String value) {
    if (current instanceof List<?>) {
      // Lists from the environment: comma-separated values.
      List<Object> list = new ArrayList<>();
      for (String item : value.split(",")) {
        if (!item.isBlank()) {
          list.add(item.trim());
        }
      }
      return list;
    }
    if (current instanceof Boolean) {
      if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
        throw new NumberFormatException("expected true or false");
      }
      return Boolean.parseBoolean(value);
    }
    if (current instanceof Integer || current instanceof Long) {
      return Long.parseLong(value.trim());
    }
    if (current instanceof Number) {
      return Double.parseDouble(value.trim());
    }
    return value;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Object value, String otherwise) {
    if (!(value instanceof Map<?, ?>)) {
      throw new ConfigException(otherwise);
    }
    return (Map<String, Object>) value;
  }

  /** camelCase → CAMEL_CASE. */
  static String envSegment(String key) {
    return key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
  }
}
