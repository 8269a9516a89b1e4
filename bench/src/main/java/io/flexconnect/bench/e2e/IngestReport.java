package io.flexconnect.bench.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Renders the measurements of the ingestion benchmark: the markdown table of medians (one line per
 * pipeline and heap), every run as CSV, and an SVG bar chart of the median rows/s.
 */
final class IngestReport {
  private final List<Measurement> all;
  private final Map<String, List<Measurement>> groups = new LinkedHashMap<>();

  IngestReport(List<Measurement> measurements) {
    this.all = List.copyOf(measurements);
    for (Measurement m : measurements) {
      groups.computeIfAbsent(m.label(), k -> new ArrayList<>()).add(m);
    }
  }

  String table() {
    StringBuilder s = new StringBuilder();
    s.append("| pipeline | rows/s (median) | vs COPY, same run | pipeline CPU per row | PostgreSQL CPU per row | peak RSS"
        + " | messages decoded again | steady rows/s | steady pipeline CPU per row | steady PostgreSQL CPU per row | GC | rows verified |\n");
    s.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    groups.forEach((label, runs) -> {
      Measurement first = runs.get(0);
      boolean copy = first.pipeline().equals("copy");
      long verified = runs.stream().filter(Measurement::verified).count();
      s.append("| ").append(label)
          .append(" | ").append(count(median(runs, Measurement::rowsPerS)))
          .append(" | ").append(String.format(Locale.ROOT, "%.2f", median(runs, Measurement::ratio)))
          .append(" | ").append(micros(median(runs, Measurement::platformMicrosPerRow)))
          .append(" | ").append(micros(median(runs, Measurement::postgresMicrosPerRow)))
          .append(" | ").append(copy ? "—" : count(median(runs, Measurement::peakRssMb)) + " MB")
          .append(" | ").append(copy ? "—" : count(median(runs, Measurement::decodedAgain)))
          .append(" | ").append(copy ? "—" : count(median(runs, Measurement::steadyRowsPerS)))
          .append(" | ").append(micros(median(runs, Measurement::steadyPlatformMicrosPerRow)))
          .append(" | ").append(micros(median(runs, Measurement::steadyPostgresMicrosPerRow)))
          .append(" | ").append(copy ? "—" : first.gc())
          .append(" | ").append(copy ? "(reference)" : verified + "/" + runs.size())
          .append(" |\n");
    });
    return s.toString();
  }

  /** Every run, one line each. */
  String csv() {
    StringBuilder s = new StringBuilder("pipeline,heap,run,rows,seconds,rows_per_s,copy_rows_per_s,ratio_vs_copy,"
        + "platform_cpu_us_per_row,postgres_cpu_us_per_row,peak_rss_mb,messages_decoded_again,steady_rows_per_s,"
        + "steady_platform_cpu_us_per_row,steady_postgres_cpu_us_per_row,gc,verified,note\n");
    for (Measurement m : all) {
      s.append(String.format(Locale.ROOT, "%s,%s,%d,%d,%.3f,%.0f,%.0f,%.3f,%s,%s,%d,%d,%s,%s,%s,%s,%s,%s%n",
          m.pipeline(), m.heap(), m.run(), m.rows(), m.seconds(), m.rowsPerS(), m.copyRowsPerS(), m.ratio(),
          plain(m.platformMicrosPerRow()), plain(m.postgresMicrosPerRow()), m.peakRssMb(), m.decodedAgain(),
          plain(m.steadyRowsPerS()), plain(m.steadyPlatformMicrosPerRow()), plain(m.steadyPostgresMicrosPerRow()),
          m.gc(), m.verified(), m.note().replace(',', ';')));
    }
    return s.toString();
  }

  /** One line per run, as the benchmark goes. */
  static String line(Measurement m) {
    return String.format(Locale.ROOT, "run %d %-5s heap=%-7s rows=%d s=%.2f rows/s=%.0f ratio=%.2f cpu_us/row=%s pg_us/row=%s"
            + " rss_mb=%d decoded_again=%d steady_rows/s=%s steady_cpu_us/row=%s steady_pg_us/row=%s gc=%s verified=%s %s",
        m.run(), m.pipeline(), m.heap(), m.rows(), m.seconds(), m.rowsPerS(), m.ratio(), plain(m.platformMicrosPerRow()),
        plain(m.postgresMicrosPerRow()), m.peakRssMb(), m.decodedAgain(), plain(m.steadyRowsPerS()),
        plain(m.steadyPlatformMicrosPerRow()), plain(m.steadyPostgresMicrosPerRow()), m.gc(), m.verified(), m.note());
  }

  /** Horizontal bars of the median rows/s, each labelled with its ratio to COPY. */
  String svg(String title) {
    int barHeight = 26;
    int gap = 12;
    int labelWidth = 260;
    int plotWidth = 460;
    int top = 56;
    int height = top + groups.size() * (barHeight + gap) + 40;
    double max = groups.values().stream().mapToDouble(r -> median(r, Measurement::rowsPerS)).max().orElse(1);
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
        + " font-family=\"sans-serif\" font-size=\"13\">%n", labelWidth + plotWidth + 190, height));
    s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    // the title is one header line: its settings go on a second line so that it fits
    int split = title.indexOf(": ");
    s.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"20\" font-size=\"15\" font-weight=\"bold\">%s</text>%n",
        escape(split < 0 ? title : title.substring(0, split))));
    s.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"38\" fill=\"#555\">%s</text>%n",
        escape(split < 0 ? "" : title.substring(split + 2))));
    int y = top;
    for (Map.Entry<String, List<Measurement>> g : groups.entrySet()) {
      double rate = median(g.getValue(), Measurement::rowsPerS);
      double ratio = median(g.getValue(), Measurement::ratio);
      int width = (int) Math.max(1, Math.round(plotWidth * rate / max));
      String colour = g.getValue().get(0).pipeline().equals("copy") ? "#7f7f7f" : "#1f77b4";
      s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n", labelWidth - 8,
          y + barHeight / 2 + 5, escape(g.getKey())));
      s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>%n",
          labelWidth, y, width, barHeight, colour));
      s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s rows/s (%.2f× COPY)</text>%n",
          labelWidth + width + 6, y + barHeight / 2 + 5, count(rate), ratio));
      y += barHeight + gap;
    }
    s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#555\">median rows/s over the runs;"
        + " ratio to psql \\copy of the same rows in the same run</text>%n", 10, y + 16));
    return s.append("</svg>\n").toString();
  }

  void write(Path dir, String header) throws IOException {
    Files.createDirectories(dir);
    StringBuilder txt = new StringBuilder(header);
    for (Measurement m : all) {
      txt.append(line(m)).append('\n');
    }
    txt.append('\n').append(table());
    Files.writeString(dir.resolve("ingest-throughput.txt"), txt);
    Files.writeString(dir.resolve("ingest-throughput.csv"), csv());
    Files.writeString(dir.resolve("ingest-throughput.svg"), svg(title(header)));
  }

  /** "Ingestion vs psql \copy, {date}: {settings}" from the first header line. */
  static String title(String header) {
    String first = header.lines().findFirst().orElse("").replaceFirst("^# ", "");
    return "Ingestion vs psql \\copy, " + first.replaceFirst(", (\\d+) cores, platform ", " ($1 cores, platform ")
        .replaceFirst(": ", "): ").replaceFirst(", median reported", "");
  }

  /** Draws the chart again from a CSV this class wrote: {@code IngestReport CSV SVG "HEADER LINE"}. */
  public static void main(String[] args) throws IOException {
    List<Measurement> runs = new ArrayList<>();
    List<String> lines = Files.readAllLines(Path.of(args[0]));
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      runs.add(new Measurement(f[0], f[1], Integer.parseInt(f[2]), Long.parseLong(f[3]), Double.parseDouble(f[4]),
          Double.parseDouble(f[6]), number(f[8]), number(f[9]), Long.parseLong(f[10]), Long.parseLong(f[11]),
          number(f[12]), number(f[13]), number(f[14]), f[15], Boolean.parseBoolean(f[16]), f[17]));
    }
    Files.writeString(Path.of(args[1]), new IngestReport(runs).svg(title(args[2])));
  }

  private static double number(String s) {
    return s.isEmpty() ? Double.NaN : Double.parseDouble(s);
  }

  static double median(List<Measurement> runs, ToDoubleFunction<Measurement> figure) {
    double[] v = runs.stream().mapToDouble(figure).filter(x -> !Double.isNaN(x)).sorted().toArray();
    if (v.length == 0) {
      return Double.NaN;
    }
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static String count(double v) {
    return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%,.0f", v);
  }

  private static String micros(double v) {
    return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%.1f µs", v);
  }

  private static String plain(double v) {
    return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.2f", v);
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
