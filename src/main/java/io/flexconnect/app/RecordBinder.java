package io.flexconnect.app;

import io.flexconnect.common.ConfigException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Binds a configuration tree ({@link JsonTree}'s maps, lists and scalars) to the typed
 * configuration records, by record component name, through their canonical constructors.
 *
 * <p>Strict where it matters for a configuration: an unknown key or a value of the wrong type is
 * refused with the setting's path ({@code storage.batchRows: expected a whole number, got "x"}).
 * Numbers and flags written as strings ({@code "8080"}, {@code "true"}), whole numbers written as
 * decimals ({@code 1.0}) and strings written as numbers are taken, as Jackson's data binding did;
 * a missing key or {@code null} is refused, except for boxed numbers and flags (then {@code null}:
 * the setting's default meaning, e.g. a DBC mapping without a bus). Supports
 * what the configuration records use: records, {@code String}, {@code int}/{@code long}/{@code
 * double}/{@code boolean} and their boxes, and {@code List} of any of these.
 *
 * <p>This replaces Jackson's data binding for the configuration: every CLI command reads the
 * whole configuration, and binding it with an {@code ObjectMapper} was a third of a read-only
 * command's wall time.
 */
final class RecordBinder {
  private static final Set<Type> OPTIONAL = Set.of(Integer.class, Long.class, Double.class, Boolean.class);
  private static final Pattern WHOLE = Pattern.compile("[+-]?\\d+");
  /** JSON's number syntax (no NaN, Infinity or Java's 1f suffixes). */
  private static final Pattern DECIMAL = Pattern.compile("[+-]?\\d+(\\.\\d+)?([eE][+-]?\\d+)?");

  private RecordBinder() {}

  /** The record of {@code type} that {@code tree} describes. */
  static <T extends Record> T bind(Map<String, Object> tree, Class<T> type) {
    return type.cast(record(tree, type, ""));
  }

  private static Object value(Object raw, Type type, String path) {
    if (raw == null) {
      // Only a boxed number or flag may be left out (e.g. a DBC mapping's bus: every bus); anything
      // else would fail later, far from the setting's name.
      if (OPTIONAL.contains(type)) {
        return null;
      }
      throw new ConfigException(path + ": a value is required");
    }
    if (type instanceof ParameterizedType list && list.getRawType() == List.class) {
      return list(raw, list.getActualTypeArguments()[0], path);
    }
    if (!(type instanceof Class<?> c)) {
      throw new IllegalArgumentException(path + ": unsupported configuration type " + type);
    }
    if (c.isRecord()) {
      return record(raw, c, path);
    }
    if (c == String.class) {
      if (raw instanceof Number || raw instanceof Boolean) {
        return raw.toString(); // e.g. a numeric client id or password written without quotes
      }
      return expect(raw instanceof String, raw, path, "a string");
    }
    if (c == boolean.class || c == Boolean.class) {
      if (raw instanceof String text && (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false"))) {
        return Boolean.parseBoolean(text); // as the environment writes it
      }
      return expect(raw instanceof Boolean, raw, path, "true or false");
    }
    if (c == int.class || c == Integer.class) {
      long whole = whole(raw, path);
      expect(whole == (int) whole, raw, path, "a whole number in the range of a 32-bit integer");
      return (int) whole;
    }
    if (c == long.class || c == Long.class) {
      return whole(raw, path);
    }
    if (c == double.class || c == Double.class) {
      Number n = number(raw);
      expect(n != null, raw, path, "a number");
      return n.doubleValue();
    }
    throw new IllegalArgumentException(path + ": unsupported configuration type " + c.getName());
  }

  private static Object record(Object raw, Class<?> type, String path) {
    if (!(raw instanceof Map<?, ?> object)) {
      throw wrongType(raw, path, "an object");
    }
    RecordComponent[] components = type.getRecordComponents();
    Set<String> names = Stream.of(components).map(RecordComponent::getName).collect(Collectors.toSet());
    for (Object key : object.keySet()) {
      if (!names.contains(key)) {
        throw new ConfigException(child(path, key) + " is not a known setting");
      }
    }
    Object[] args = new Object[components.length];
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      RecordComponent component = components[i];
      args[i] = value(object.get(component.getName()), component.getGenericType(), child(path, component.getName()));
      types[i] = component.getType();
    }
    try {
      Constructor<?> constructor = type.getDeclaredConstructor(types);
      return constructor.newInstance(args);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof ConfigException config) {
        throw config;
      }
      throw new ConfigException("invalid configuration: " + path + ": " + e.getCause().getMessage(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(type.getName() + " cannot be built from the configuration", e);
    }
  }

  private static List<Object> list(Object raw, Type elementType, String path) {
    if (!(raw instanceof List<?> items)) {
      throw wrongType(raw, path, "a list");
    }
    List<Object> bound = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      bound.add(value(items.get(i), elementType, path + "[" + i + "]"));
    }
    return Collections.unmodifiableList(bound);
  }

  private static long whole(Object raw, String path) {
    Number n = number(raw);
    boolean whole = n instanceof Integer || n instanceof Long
        || n instanceof Double d && d == Math.rint(d) && Math.abs(d) < 0x1p53; // 1.0, 5e3
    expect(whole, raw, path, "a whole number");
    return n.longValue();
  }

  /**
   * {@code raw} as a number, also when written as a string ({@code "8080"}, as templating tools and
   * the environment write it, and as Jackson's data binding accepted); {@code null} when it is none.
   */
  private static Number number(Object raw) {
    if (raw instanceof Number n) {
      return n;
    }
    if (raw instanceof String text) {
      String t = text.trim();
      try {
        if (WHOLE.matcher(t).matches()) {
          return Long.parseLong(t);
        }
        return DECIMAL.matcher(t).matches() ? Double.parseDouble(t) : null;
      } catch (NumberFormatException outOfRange) {
        return null;
      }
    }
    return null;
  }

  private static Object expect(boolean ok, Object raw, String path, String expected) {
    if (!ok) {
      throw wrongType(raw, path, expected);
    }
    return raw;
  }

  private static ConfigException wrongType(Object raw, String path, String expected) {
    String shown = raw instanceof String s ? "\"" + s + "\"" : raw instanceof Map ? "an object"
        : raw instanceof List ? "a list" : String.valueOf(raw);
    return new ConfigException(path + ": expected " + expected + ", got " + shown);
  }

  private static String child(String path, Object key) {
    return path.isEmpty() ? key.toString() : path + "." + key;
  }
}
