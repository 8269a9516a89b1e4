package io.flexconnect.app;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Minimal command-line parsing: {@code --name value} options and positional arguments. */
record Args(List<String> positional, Map<String, List<String>> options) {

  static Args parse(List<String> args) {
    List<String> positional = new ArrayList<>();
    Map<String, List<String>> options = new HashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.startsWith("--") && a.length() > 2) {
        String name = a.substring(2);
        String value;
        int eq = name.indexOf('=');
        if (eq >= 0) {
          value = name.substring(eq + 1);
          name = name.substring(0, eq);
        } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
          value = args.get(++i);
        } else {
          value = "true";
        }
        options.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
      } else {
        positional.add(a);
      }
    }
    return new Args(positional, options);
  }

  String option(String name, String fallback) {
    List<String> values = options.get(name);
    return values == null ? fallback : values.get(values.size() - 1);
  }

  List<String> all(String name) {
    return options.getOrDefault(name, List.of());
  }

  boolean flag(String name) {
    return options.containsKey(name);
  }
}
