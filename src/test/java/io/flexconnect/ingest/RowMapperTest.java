package io.flexconnect.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexconnect.codec.TelemetryPoint;
import io.flexconnect.codec.TelemetryPoint.Field;
import io.flexconnect.storage.TelemetryRow;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RowMapperTest {

  private static TelemetryPoint point(long ts, Map<String, String> tags) {
    return new TelemetryPoint(ts, tags, List.of(Field.numeric("a", 1), Field.text("b", "on")));
  }

  @Test
  void verifiesThatEachFieldBecomesARowWithItsPointsTagsAsSortedJson() {
    List<TelemetryRow> rows = new RowMapper(16).rows("d", List.of(point(5, Map.of("z", "1", "a", "\"q\""))), 9);
    assertThat(rows).containsExactly(
        TelemetryRow.json("d", "a", 5, 1, null, "{\"a\":\"\\\"q\\\"\",\"z\":\"1\"}", 9),
        TelemetryRow.json("d", "b", 5, Double.NaN, "on", "{\"a\":\"\\\"q\\\"\",\"z\":\"1\"}", 9));
    assertThat(new RowMapper(16).rows("d", List.of(point(5, Map.of())), 9)).allMatch(r -> r.tagsJson() == null);
  }

  @Test
  void verifiesThatAnEqualTagSetIsSerialisedOnceAcrossPointsAndMessages() {
    RowMapper mapper = new RowMapper(16);
    for (int message = 0; message < 10; message++) {
      mapper.rows("d", List.of(point(1, new HashMap<>(Map.of("site", "a"))), point(2, new HashMap<>(Map.of("site", "a"))),
          point(3, Map.of("site", "b"))), 9);
    }
    assertThat(mapper.serialisedTagSets()).isEqualTo(2);
  }

  @Test
  void verifiesThatTheCacheIsBoundedAndStillAnswersAfterEviction() {
    RowMapper mapper = new RowMapper(2);
    for (int i = 0; i < 3; i++) {
      assertThat(mapper.tagsJson(Map.of("k", "v" + i))).isEqualTo("{\"k\":\"v" + i + "\"}");
    }
    assertThat(mapper.tagsJson(Map.of("k", "v0"))).isEqualTo("{\"k\":\"v0\"}");
    assertThat(mapper.serialisedTagSets()).isEqualTo(4); // v0 was evicted by v2 and serialised again
  }
}
