package io.flexconnect.grafana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The provisioned dashboards in {@code grafana/dashboards}, read as Grafana reads them. */
final class Dashboards {
  static final Path DIR = Path.of("grafana/dashboards");
  private static final ObjectMapper JSON = new ObjectMapper();

  private Dashboards() {}

  /** One dashboard file. */
  record Dashboard(Path file, JsonNode json) {
    String uid() {
      return json.path("uid").asText();
    }

    /** Template variables in declaration order (later ones may use earlier ones). */
    List<Variable> variables() {
      List<Variable> out = new ArrayList<>();
      for (JsonNode v : json.path("templating").path("list")) {
        out.add(new Variable(v.path("name").asText(), v.path("type").asText(), v.path("query").asText(),
            v.path("multi").asBoolean(), v.path("includeAll").asBoolean(), v.path("datasource")));
      }
      return out;
    }

    /** Every SQL the dashboard runs: panel targets and annotation queries. */
    List<Query> queries() {
      List<Query> out = new ArrayList<>();
      for (JsonNode a : json.path("annotations").path("list")) {
        if (a.path("builtIn").asInt() == 1) {
          continue;
        }
        out.add(new Query("annotation '" + a.path("name").asText() + "'", a.path("target").path("rawSql").asText(),
            a.path("target").path("format").asText(), null, null, a.path("datasource")));
      }
      for (JsonNode p : panels(json)) {
        String minInterval = p.path("interval").asText("");
        for (JsonNode t : p.path("targets")) {
          out.add(new Query("panel '" + p.path("title").asText() + "' " + t.path("refId").asText(),
              t.path("rawSql").asText(), t.path("format").asText(),
              minInterval.isEmpty() ? null : GrafanaMacros.panelInterval(minInterval),
              p.path("repeat").asText("").isEmpty() ? null : p.path("repeat").asText(),
              t.has("datasource") ? t.path("datasource") : p.path("datasource")));
        }
      }
      return out;
    }
  }

  /** A query template variable. */
  record Variable(String name, String type, String sql, boolean multi, boolean includeAll, JsonNode datasource) {}

  /** One SQL query of a panel or an annotation. */
  record Query(String where, String sql, String format, Duration minInterval, String repeatBy, JsonNode datasource) {}

  static List<Dashboard> all() {
    try (Stream<Path> files = Files.list(DIR)) {
      List<Dashboard> out = new ArrayList<>();
      for (Path f : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        out.add(new Dashboard(f, JSON.readTree(f.toFile())));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Panels, including those nested in collapsed rows. */
  static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode p : dashboard.path("panels")) {
      out.add(p);
      p.path("panels").forEach(out::add);
    }
    return out;
  }
}
