package io.flexconnect.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexconnect.testing.PlatformFixture;
import io.flexconnect.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** CSV export of a million rows, streamed through a cursor and read as a stream. */
class CsvExportTest {
  static PlatformFixture fx;

  @BeforeAll
  static void start() throws Exception {
    fx = PlatformFixture.start("csv_export", Map.of());
    fx.addDevice("csv-0001", "tok_csv-0001-cccc");
    TestDatabase.insertTelemetry(fx.dbUrl, """
        SELECT 'csv-0001' AS device_id, 'v' AS signal,
               timestamptz 'epoch' + (1700000000000 + i) * interval '1 millisecond' AS ts, i::float8 AS value,
               NULL::text AS value_text, CASE WHEN i = 0 THEN '{"site":"a,b"}'::jsonb END AS tags, now() AS received_at
        FROM generate_series(0, 999999) AS i""");
  }

  @AfterAll
  static void stop() throws Exception {
    fx.close();
  }

  @Test
  void verifiesThatAMillionRowsStreamAsCsv() throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fx.platform.httpPort()
            + "/api/v1/devices/csv-0001/telemetry?signal=v"))
        .header("Accept", "text/csv").header("Authorization", "Bearer " + fx.http.apiKey()).build();
    HttpResponse<Stream<String>> response = client.send(request, HttpResponse.BodyHandlers.ofLines());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("transfer-encoding")).hasValue("chunked");
    assertThat(response.headers().firstValue("content-type").orElse("")).startsWith("text/csv");
    long lines;
    String header;
    String first;
    String last = null;
    try (Stream<String> body = response.body()) {
      Iterator<String> it = body.iterator();
      header = it.next();
      first = it.next();
      lines = 1;
      while (it.hasNext()) {
        last = it.next();
        lines++;
      }
    }
    assertThat(header).isEqualTo("device_id,signal,timestamp,value,value_text,tags");
    assertThat(first).isEqualTo("csv-0001,v,1700000000000,0.0,,\"{\"\"site\"\": \"\"a,b\"\"}\"");
    assertThat(last).isEqualTo("csv-0001,v,1700000999999,999999.0,,");
    assertThat(lines).isEqualTo(1_000_000);
  }
}
