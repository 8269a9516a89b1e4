package io.flexconnect.grafana;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Expands a dashboard's SQL exactly as Grafana 11.4 does before it reaches PostgreSQL, in Grafana's
 * three steps:
 *
 * <ol>
 *   <li>the front end's template service ({@code TemplateSrv.replace} with the SQL data source's
 *       {@code interpolateVariable}, {@code @grafana/sql} {@code SqlDatasource.ts}): {@code $var},
 *       {@code ${var}}, {@code ${var:sqlstring}}, {@code [[var]]}, and the scoped variables
 *       {@code $__interval} ({@code rangeutil.secondsToHms}) and {@code $__interval_ms};
 *   <li>the back end's global substitutions ({@code sqleng.Interpolate}): {@code $__interval_ms},
 *       {@code $__interval} ({@code gtime.FormatInterval}), {@code $__unixEpochFrom()},
 *       {@code $__unixEpochTo()};
 *   <li>the PostgreSQL macro engine ({@code pkg/tsdb/grafana-postgresql-datasource/macros.go}):
 *       {@code $__time}, {@code $__timeEpoch}, {@code $__timeFilter}, {@code $__timeFrom},
 *       {@code $__timeTo}, {@code $__timeGroup} (also its pre-5.3 form that adds the alias when a
 *       comma follows), {@code $__timeGroupAlias}, {@code $__unixEpochFilter},
 *       {@code $__unixEpochNanoFilter}, {@code $__unixEpochNanoFrom}, {@code $__unixEpochNanoTo},
 *       {@code $__unixEpochGroup}, {@code $__unixEpochGroupAlias}, each in the form the data
 *       source's {@code timescaledb} setting selects.
 * </ol>
 *
 * <p>Read from grafana/grafana: {@code macros.go} at commit 0577088076c3920f31aa0ca03cf8ac62e08f4d5b
 * (the engine with {@code sqleng.SetupFillmode(query, …)}, as in the 11.x releases; the SQL it emits
 * is the same at 02ab314b81e2adc656bd7d08cc0533304a0037ff), {@code macros_test.go}, the
 * {@code sqleng} {@code Interpolate} function, {@code packages/grafana-sql/.../SqlDatasource.ts} and
 * {@code packages/grafana-data/.../rangeutil.ts}; and grafana-plugin-sdk-go
 * {@code backend/gtime/gtime.go} ({@code ParseInterval}, {@code FormatInterval}). Go's formatting is
 * reproduced where it shows in the SQL: {@code time.RFC3339Nano} (fraction without trailing zeros),
 * {@code %v} of a float64 (shortest digits, exponent form from 1e+06) and {@code %.3f}.
 *
 * <p>Stricter than Grafana where a dashboard would be wrong anyway: an unknown template variable,
 * an unsupported variable format, or anything still starting with {@code $} after expansion is
 * refused instead of being sent to the database as is.
 *
 * @param from start of the dashboard's time range (the front end sends epoch milliseconds)
 * @param to end of the time range
 * @param interval {@code $__interval} (already raised to a panel's minimum interval)
 * @param variables current value of each template variable
 * @param timescaledb the data source's {@code jsonData.timescaledb}: {@code $__timeGroup} becomes
 *     {@code time_bucket(…)} instead of {@code floor(extract(epoch from …)/…)*…}
 */
record GrafanaMacros(Instant from, Instant to, Duration interval, Map<String, TemplateValue> variables,
    boolean timescaledb) {

  /**
   * A template variable's current value.
   *
   * @param values the selected values (one for a single-value variable)
   * @param multi the variable is multi-value or has "All": Grafana quotes its values even when
   *     only one is selected
   */
  record TemplateValue(List<String> values, boolean multi) {
    TemplateValue {
      values = List.copyOf(values);
      if (!multi && values.size() != 1) {
        throw new IllegalArgumentException("a single-value variable has exactly one value: " + values);
      }
    }

    static TemplateValue single(String value) {
      return new TemplateValue(List.of(value), false);
    }

    static TemplateValue multi(List<String> values) {
      return new TemplateValue(values, true);
    }
  }

  // TemplateSrv's variableRegex: $var | [[var(:fmt)]] | ${var(.fieldPath)(:fmt)}
  private static final Pattern VARIABLE = Pattern.compile(
      "\\$(\\w+)|\\[\\[(\\w+?)(?::(\\w+))?]]|\\$\\{(\\w+)(?:\\.([^:^}]+))?(?::([^}]+))?}");
  // macros.go sExpr: `\$([_a-zA-Z0-9]+)\(([^\)]*)\)`
  private static final Pattern MACRO = Pattern.compile("\\$([_a-zA-Z0-9]+)\\(([^)]*)\\)");
  private static final Pattern LEFTOVER = Pattern.compile("\\$\\w|\\$\\{|\\[\\[\\w");
  // gtime.dateUnitPattern
  private static final Pattern DATE_UNIT = Pattern.compile("^(\\d+)([dwMy])$");
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  GrafanaMacros {
    // The front end sends the range as epoch milliseconds.
    from = from.truncatedTo(ChronoUnit.MILLIS);
    to = to.truncatedTo(ChronoUnit.MILLIS);
    variables = Map.copyOf(variables);
  }

  GrafanaMacros withInterval(Duration newInterval) {
    return new GrafanaMacros(from, to, newInterval, variables, timescaledb);
  }

  GrafanaMacros withTimescaledb(boolean setting) {
    return new GrafanaMacros(from, to, interval, variables, setting);
  }

  GrafanaMacros withVariables(Map<String, TemplateValue> newVariables) {
    return new GrafanaMacros(from, to, interval, newVariables, timescaledb);
  }

  /** A repeated panel's copy: its variable holds the one value the copy stands for. */
  GrafanaMacros withRepeatValue(String name, String value) {
    TemplateValue current = variables.get(name);
    if (current == null) {
      throw new IllegalArgumentException("unknown template variable $" + name);
    }
    Map<String, TemplateValue> copy = new HashMap<>(variables);
    copy.put(name, new TemplateValue(List.of(value), current.multi()));
    return withVariables(copy);
  }

  /** The SQL Grafana sends to PostgreSQL for {@code rawSql}. */
  String expand(String rawSql) {
    String sql = interpolateBackendGlobals(interpolateTemplateVariables(rawSql));
    sql = interpolateMacros(sql);
    if (LEFTOVER.matcher(sql).find()) {
      throw new IllegalArgumentException("unexpanded macro or variable left in: " + sql);
    }
    return sql;
  }

  // --- step 1: the front end's TemplateSrv.replace(rawSql, scopedVars, interpolateVariable) ---

  private String interpolateTemplateVariables(String sql) {
    long intervalMs = interval.toMillis();
    return replace(VARIABLE, sql, m -> {
      String name = first(m.group(1), m.group(2), m.group(4));
      String format = first(m.group(3), m.group(6));
      if (m.group(5) != null) {
        throw new IllegalArgumentException("variable field paths are not supported here: " + m.group());
      }
      TemplateValue value;
      if (name.equals("__interval")) {
        value = TemplateValue.single(secondsToHms(intervalMs / 1000.0));
      } else if (name.equals("__interval_ms")) {
        value = TemplateValue.single(Long.toString(intervalMs));
      } else if (variables.containsKey(name)) {
        value = variables.get(name);
      } else if (name.startsWith("__")) {
        return m.group(); // not a front-end variable: a back-end macro such as $__timeFilter(…)
      } else {
        throw new IllegalArgumentException("unknown template variable $" + name);
      }
      return formatVariable(value, format);
    });
  }

  private static String formatVariable(TemplateValue value, String format) {
    if (format == null) {
      // SqlDatasource.interpolateVariable: values of a multi-value (or All) variable are quoted
      // literals joined by commas; a single-value variable is inserted unquoted, quotes doubled.
      return value.multi() ? value.values().stream().map(GrafanaMacros::quoteLiteral).collect(Collectors.joining(","))
          : value.values().get(0).replace("'", "''");
    }
    if (format.equals("sqlstring")) {
      return value.values().stream().map(GrafanaMacros::quoteLiteral).collect(Collectors.joining(","));
    }
    throw new IllegalArgumentException("variable format not supported here: " + format);
  }

  private static String quoteLiteral(String v) {
    return "'" + v.replace("'", "''") + "'";
  }

  /** rangeutil.secondsToHms: the largest unit only, floored ("1m" for 90 s). */
  static String secondsToHms(double seconds) {
    double years = Math.floor(seconds / 31536000);
    if (years != 0) {
      return jsInteger(years) + "y";
    }
    double days = Math.floor((seconds % 31536000) / 86400);
    if (days != 0) {
      return jsInteger(days) + "d";
    }
    double hours = Math.floor(((seconds % 31536000) % 86400) / 3600);
    if (hours != 0) {
      return jsInteger(hours) + "h";
    }
    double minutes = Math.floor((((seconds % 31536000) % 86400) % 3600) / 60);
    if (minutes != 0) {
      return jsInteger(minutes) + "m";
    }
    double secs = Math.floor((((seconds % 31536000) % 86400) % 3600) % 60);
    if (secs != 0) {
      return jsInteger(secs) + "s";
    }
    double millis = Math.floor(seconds * 1000.0);
    if (millis != 0) {
      return jsInteger(millis) + "ms";
    }
    return "less than a millisecond";
  }

  private static String jsInteger(double d) {
    return Long.toString((long) d);
  }

  /** The front end's interval notation for a panel's minimum interval (rangeutil.intervalToMs). */
  static Duration panelInterval(String text) {
    Matcher m = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|[Mwdhmsy])").matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a Grafana interval: " + text);
    }
    double n = Double.parseDouble(m.group(1));
    long unitMs = switch (m.group(2)) {
      case "ms" -> 1L;
      case "s" -> 1000L;
      case "m" -> 60_000L;
      case "h" -> 3_600_000L;
      case "d" -> 86_400_000L;
      case "w" -> 604_800_000L;
      case "M" -> 2_592_000_000L; // 30 days
      default -> 31_536_000_000L; // 365 days
    };
    return Duration.ofMillis((long) (n * unitMs));
  }

  // --- step 2: sqleng.Interpolate ---

  private String interpolateBackendGlobals(String sql) {
    return sql.replace("$__interval_ms", Long.toString(interval.toMillis()))
        .replace("$__interval", formatInterval(interval))
        .replace("$__unixEpochFrom()", Long.toString(from.getEpochSecond()))
        .replace("$__unixEpochTo()", Long.toString(to.getEpochSecond()));
  }

  /** gtime.FormatInterval. */
  static String formatInterval(Duration d) {
    long ns = d.toNanos();
    long[] units = {365 * 86_400 * NANOS_PER_SECOND, 86_400 * NANOS_PER_SECOND, 3600 * NANOS_PER_SECOND,
        60 * NANOS_PER_SECOND, NANOS_PER_SECOND, 1_000_000L};
    String[] names = {"y", "d", "h", "m", "s", "ms"};
    for (int i = 0; i < units.length; i++) {
      if (ns >= units[i]) {
        return ns / units[i] + names[i];
      }
    }
    return "1ms";
  }

  // --- step 3: postgresMacroEngine.Interpolate ---

  private String interpolateMacros(String sql) {
    return replace(MACRO, sql, m -> {
      String name = m.group(1);
      if (name.equals("__timeGroup")) {
        // Pre-5.3 compatibility: a comma right after the first occurrence of this exact call
        // means the alias is wanted (Grafana looks only at the first occurrence).
        int index = sql.indexOf(m.group());
        if (index >= 0) {
          index += m.group().length();
          if (sql.length() > index && sql.charAt(index) == ',') {
            name = "__timeGroupAlias";
          }
        }
      }
      List<String> args = new ArrayList<>();
      for (String arg : m.group(2).split(",", -1)) {
        args.add(trim(arg, ' '));
      }
      return evaluateMacro(name, args);
    });
  }

  private String evaluateMacro(String name, List<String> args) {
    return switch (name) {
      case "__time" -> column(name, args) + " AS \"time\"";
      case "__timeEpoch" -> "extract(epoch from " + column(name, args) + ") as \"time\"";
      case "__timeFilter" -> column(name, args) + " BETWEEN '" + rfc3339Nano(from) + "' AND '" + rfc3339Nano(to) + "'";
      case "__timeFrom" -> "'" + rfc3339Nano(from) + "'";
      case "__timeTo" -> "'" + rfc3339Nano(to) + "'";
      case "__timeGroup" -> {
        double seconds = seconds(groupInterval(name, args));
        yield timescaledb ? "time_bucket('" + fixed3(seconds) + "s'," + args.get(0) + ")"
            : "floor(extract(epoch from " + args.get(0) + ")/" + goFloat(seconds) + ")*" + goFloat(seconds);
      }
      case "__timeGroupAlias" -> evaluateMacro("__timeGroup", args) + " AS \"time\"";
      case "__unixEpochFilter" -> {
        String col = column(name, args);
        yield col + " >= " + from.getEpochSecond() + " AND " + col + " <= " + to.getEpochSecond();
      }
      case "__unixEpochNanoFilter" -> {
        String col = column(name, args);
        yield col + " >= " + unixNano(from) + " AND " + col + " <= " + unixNano(to);
      }
      case "__unixEpochNanoFrom" -> Long.toString(unixNano(from));
      case "__unixEpochNanoTo" -> Long.toString(unixNano(to));
      case "__unixEpochGroup" -> {
        double seconds = seconds(groupInterval(name, args));
        yield "floor((" + args.get(0) + ")/" + goFloat(seconds) + ")*" + goFloat(seconds);
      }
      case "__unixEpochGroupAlias" -> evaluateMacro("__unixEpochGroup", args) + " AS \"time\"";
      default -> throw new IllegalArgumentException("unknown macro \"" + name + "\"");
    };
  }

  private static String column(String macro, List<String> args) {
    // strings.Split never returns an empty slice, so Grafana's len(args) == 0 check cannot fire:
    // "$__timeFilter()" expands with an empty column, and so does this.
    if (args.isEmpty()) {
      throw new IllegalArgumentException("missing time column argument for macro " + macro);
    }
    return args.get(0);
  }

  private static Duration groupInterval(String macro, List<String> args) {
    if (args.size() < 2) {
      throw new IllegalArgumentException("macro " + macro + " needs time column and interval and optional fill value");
    }
    Duration interval = parseInterval(trim(args.get(1), '\''));
    if (args.size() == 3) {
      checkFillMode(args.get(2)); // the fill applies to the result, not to the SQL
    }
    return interval;
  }

  /** sqleng.SetupFillmode's accepted values. */
  private static void checkFillMode(String fill) {
    if (fill.equals("NULL") || fill.equals("previous")) {
      return;
    }
    try {
      Double.parseDouble(fill);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("error parsing fill value " + fill);
    }
  }

  /** gtime.ParseInterval: d, w, M, y relative to the current UTC date; otherwise Go's time.ParseDuration. */
  static Duration parseInterval(String text) {
    Matcher m = DATE_UNIT.matcher(text);
    if (!m.matches()) {
      return Duration.ofNanos(parseGoDuration(text));
    }
    int n = Integer.parseInt(m.group(1));
    LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
    LocalDateTime then = switch (m.group(2)) {
      case "d" -> goAddDate(now, 0, 0, n);
      case "w" -> goAddDate(now, 0, 0, n * 7);
      case "M" -> goAddDate(now, 0, n, 0);
      default -> goAddDate(now, n, 0, 0);
    };
    return Duration.between(now, then);
  }

  /** Go's Time.AddDate: the date is normalised (31 January plus one month is 2 or 3 March). */
  private static LocalDateTime goAddDate(LocalDateTime t, int years, int months, int days) {
    LocalDate date = LocalDate.of(t.getYear() + years, 1, 1)
        .plusMonths(t.getMonthValue() - 1L + months)
        .plusDays(t.getDayOfMonth() - 1L + days);
    return date.atTime(t.toLocalTime());
  }

  /** Go's time.ParseDuration, in nanoseconds. */
  static long parseGoDuration(String s) {
    String orig = s;
    if (s.isEmpty()) {
      throw new IllegalArgumentException("error parsing interval " + orig);
    }
    boolean neg = false;
    if (s.charAt(0) == '-' || s.charAt(0) == '+') {
      neg = s.charAt(0) == '-';
      s = s.substring(1);
    }
    if (s.equals("0")) {
      return 0;
    }
    if (s.isEmpty()) {
      throw new IllegalArgumentException("error parsing interval " + orig);
    }
    long total = 0;
    Matcher part = Pattern.compile("([0-9]*)(?:\\.([0-9]*))?(ns|us|\u00b5s|\u03bcs|ms|s|m|h)").matcher(s);
    int pos = 0;
    while (pos < s.length()) {
      if (!part.find(pos) || part.start() != pos || (part.group(1).isEmpty()
          && (part.group(2) == null || part.group(2).isEmpty()))) {
        throw new IllegalArgumentException("error parsing interval " + orig);
      }
      long unit = switch (part.group(3)) {
        case "ns" -> 1L;
        case "ms" -> 1_000_000L;
        case "s" -> NANOS_PER_SECOND;
        case "m" -> 60 * NANOS_PER_SECOND;
        case "h" -> 3600 * NANOS_PER_SECOND;
        default -> 1000L; // us, µs, μs
      };
      long v = part.group(1).isEmpty() ? 0 : Math.multiplyExact(Long.parseLong(part.group(1)), unit);
      String frac = part.group(2);
      if (frac != null && !frac.isEmpty()) {
        // Go: v += int64(float64(f) * (float64(unit) / scale))
        long f = 0;
        double scale = 1;
        for (char c : frac.toCharArray()) {
          if (f > (Long.MAX_VALUE - 9) / 10) {
            break; // Go stops reading digits that would overflow
          }
          f = f * 10 + (c - '0');
          scale *= 10;
        }
        v = Math.addExact(v, (long) (f * (unit / scale)));
      }
      total = Math.addExact(total, v);
      pos = part.end();
    }
    return neg ? -total : total;
  }

  /** time.Duration.Seconds(). */
  private static double seconds(Duration d) {
    long ns = d.toNanos();
    long sec = ns / NANOS_PER_SECOND;
    long nsec = ns % NANOS_PER_SECOND;
    return (double) sec + (double) nsec / 1e9;
  }

  /** Go's {@code %.3f}: the exact binary value rounded half to even. */
  static String fixed3(double v) {
    return new BigDecimal(v).setScale(3, RoundingMode.HALF_EVEN).toPlainString();
  }

  /** Go's {@code %v} of a float64: shortest round-trip digits, %e form for exponents below -4 or from 6. */
  static String goFloat(double v) {
    if (v == 0) {
      return "0";
    }
    BigDecimal exact = new BigDecimal(v);
    BigDecimal digits = null;
    for (int p = 1; p <= 17 && digits == null; p++) {
      BigDecimal r = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
      if (r.doubleValue() == v) {
        digits = r.stripTrailingZeros();
      }
    }
    int exp = digits.precision() - digits.scale() - 1;
    if (exp < -4 || exp >= 6) {
      String d = digits.unscaledValue().abs().toString();
      String mantissa = d.length() == 1 ? d : d.charAt(0) + "." + d.substring(1);
      int e = Math.abs(exp);
      return (v < 0 ? "-" : "") + mantissa + "e" + (exp < 0 ? "-" : "+") + (e < 10 ? "0" + e : Integer.toString(e));
    }
    return digits.toPlainString();
  }

  /** Go's time.RFC3339Nano in UTC: "2006-01-02T15:04:05.999999999Z07:00" (no trailing zeros). */
  static String rfc3339Nano(Instant t) {
    LocalDateTime utc = LocalDateTime.ofInstant(t, ZoneOffset.UTC);
    if (utc.getYear() < 0 || utc.getYear() > 9999) {
      throw new IllegalArgumentException("year outside RFC 3339: " + t);
    }
    String out = String.format("%04d-%02d-%02dT%02d:%02d:%02d", utc.getYear(), utc.getMonthValue(),
        utc.getDayOfMonth(), utc.getHour(), utc.getMinute(), utc.getSecond());
    if (utc.getNano() != 0) {
      String frac = String.format("%09d", utc.getNano()).replaceFirst("0+$", "");
      out += "." + frac;
    }
    return out + "Z";
  }

  private static long unixNano(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), NANOS_PER_SECOND), t.getNano());
  }

  private static String trim(String s, char c) {
    int start = 0;
    int end = s.length();
    while (start < end && s.charAt(start) == c) {
      start++;
    }
    while (end > start && s.charAt(end - 1) == c) {
      end--;
    }
    return s.substring(start, end);
  }

  private static String first(String... candidates) {
    for (String c : candidates) {
      if (c != null) {
        return c;
      }
    }
    return null;
  }

  private static String replace(Pattern p, String s, Function<Matcher, String> f) {
    Matcher m = p.matcher(s);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(f.apply(m)));
    }
    m.appendTail(out);
    return out.toString();
  }
}
