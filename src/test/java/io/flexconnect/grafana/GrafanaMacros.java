package io.flexconnect.grafana;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Expands a dashboard's SQL the way Grafana does before it reaches PostgreSQL: first the
 * front-end's template variables ({@code $__interval}, {@code $__interval_ms}, {@code $var},
 * {@code ${var}}, {@code ${var:sqlstring}}), then the PostgreSQL data source's macros
 * ({@code $__timeFilter}, {@code $__timeFrom}, {@code $__timeTo}, {@code $__timeGroup},
 * {@code $__timeGroupAlias}) in their plain or TimescaleDB form. Only what the dashboards use;
 * anything else is refused, so a dashboard cannot use a macro this test does not check.
 *
 * @param from start of the dashboard's time range
 * @param to end of the time range
 * @param interval {@code $__interval} (already raised to a panel's minimum interval)
 * @param variables values of each template variable (several for a multi-value selection)
 * @param timescale expand {@code $__timeGroup} as {@code time_bucket} (data source option
 *     {@code timescaledb: true})
 */
record GrafanaMacros(Instant from, Instant to, Duration interval, Map<String, List<String>> variables,
    boolean timescale) {

  // Grafana's back-end macro syntax: $__name(args), args without a closing parenthesis.
  private static final Pattern MACRO = Pattern.compile("\\$(__[A-Za-z0-9_]+)\\(([^)]*)\\)");
  private static final Pattern BRACED = Pattern.compile("\\$\\{([A-Za-z0-9_]+)(?::([A-Za-z]+))?}");
  private static final Pattern PLAIN = Pattern.compile("\\$([A-Za-z][A-Za-z0-9_]*)");

  GrafanaMacros withInterval(Duration newInterval) {
    return new GrafanaMacros(from, to, newInterval, variables, timescale);
  }

  GrafanaMacros withVariable(String name, String value) {
    Map<String, List<String>> copy = new java.util.HashMap<>(variables);
    copy.put(name, List.of(value));
    return new GrafanaMacros(from, to, interval, copy, timescale);
  }

  String expand(String sql) {
    String s = sql.replace("$__interval_ms", Long.toString(interval.toMillis()))
        .replace("$__interval", grafanaInterval(interval));
    s = replace(BRACED, s, m -> formatVariable(m.group(1), m.group(2)));
    s = replace(PLAIN, s, m -> formatVariable(m.group(1), null));
    s = replace(MACRO, s, m -> macro(m.group(1), m.group(2)));
    if (s.contains("$")) {
      throw new IllegalArgumentException("unexpanded macro or variable left in: " + s);
    }
    return s;
  }

  private String formatVariable(String name, String format) {
    List<String> values = variables.get(name);
    if (values == null) {
      throw new IllegalArgumentException("unknown template variable $" + name);
    }
    if (format != null && !format.equals("sqlstring")) {
      throw new IllegalArgumentException("variable format not supported here: " + format);
    }
    // Grafana's SQL data sources quote multi-value selections; a single value is inserted as is
    // unless the sqlstring format asks for quotes.
    if (format != null || values.size() != 1) {
      return values.stream().map(v -> "'" + v.replace("'", "''") + "'").collect(Collectors.joining(","));
    }
    return values.get(0).replace("'", "''");
  }

  private String macro(String name, String rawArgs) {
    List<String> args = java.util.Arrays.stream(rawArgs.split(",")).map(String::trim).toList();
    return switch (name) {
      case "__timeFilter" -> args.get(0) + " BETWEEN '" + from + "' AND '" + to + "'";
      case "__timeFrom" -> "'" + from + "'";
      case "__timeTo" -> "'" + to + "'";
      case "__timeGroup" -> timeGroup(args);
      case "__timeGroupAlias" -> timeGroup(args) + " AS \"time\"";
      default -> throw new IllegalArgumentException("macro not supported here: $" + name);
    };
  }

  private String timeGroup(List<String> args) {
    if (args.size() != 2) {
      throw new IllegalArgumentException("$__timeGroup needs a column and an interval: " + args);
    }
    double seconds = parseInterval(args.get(1).replace("'", "")).toMillis() / 1000.0;
    if (timescale) {
      return String.format(Locale.ROOT, "time_bucket('%.3fs',%s)", seconds, args.get(0));
    }
    String n = seconds == Math.rint(seconds) ? Long.toString((long) seconds) : Double.toString(seconds);
    return "floor(extract(epoch from " + args.get(0) + ")/" + n + ")*" + n;
  }

  /** Grafana's interval notation: 500ms, 10s, 1m, 2h, 1d. */
  static String grafanaInterval(Duration d) {
    long ms = d.toMillis();
    long[] units = {86_400_000L, 3_600_000L, 60_000L, 1000L};
    String[] names = {"d", "h", "m", "s"};
    for (int i = 0; i < units.length; i++) {
      if (ms >= units[i] && ms % units[i] == 0) {
        return ms / units[i] + names[i];
      }
    }
    return ms + "ms";
  }

  static Duration parseInterval(String text) {
    Matcher m = Pattern.compile("(\\d+)(ms|s|m|h|d|w)").matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a Grafana interval: " + text);
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      case "d" -> Duration.ofDays(n);
      default -> Duration.ofDays(7 * n);
    };
  }

  private static String replace(Pattern p, String s, java.util.function.Function<Matcher, String> f) {
    Matcher m = p.matcher(s);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      if (p == PLAIN && m.group(1).startsWith("__")) {
        continue;
      }
      m.appendReplacement(out, Matcher.quoteReplacement(f.apply(m)));
    }
    m.appendTail(out);
    return out.toString();
  }
}
