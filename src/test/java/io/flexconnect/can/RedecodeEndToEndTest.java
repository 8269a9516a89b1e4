package io.flexconnect.can;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexconnect.testing.Await;
import io.flexconnect.testing.CanMessageBuilder;
import io.flexconnect.testing.Http;
import io.flexconnect.testing.PlatformFixture;
import io.flexconnect.testing.TestVectors;
import io.flexconnect.testing.TestPublisher;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Re-decoding a device's stored history with a new DBC version, over REST. */
class RedecodeEndToEndTest {
  static final String TOKEN = "tok_demo-0001-7f3a9c2e5b814d06a1e2c3d4e5f60718";
  static final String RANGE = "\"from\": \"2021-06-01T00:00:00Z\", \"to\": \"2021-06-02T00:00:00Z\"";
  static final long DAY = 1_622_505_600_000L;
  static final long LATER = 1_700_000_000_000L;
  @TempDir static Path dbcDir;
  static PlatformFixture fx;

  @BeforeAll
  static void start() throws Exception {
    String demo = Files.readString(Path.of("dbc/demo.dbc"));
    Files.writeString(dbcDir.resolve("demo.dbc"), demo);
    // Version 2: the engine speed factor was wrong (2 → 4) and the current signal got a new name.
    String v2 = demo.replace("SG_ EngineSpeed : 0|16@1+ (2,0)", "SG_ EngineSpeed : 0|16@1+ (4,0)")
        .replace("BatteryCurrent", "PackCurrent");
    assertThat(v2).isNotEqualTo(demo).contains("(4,0)").contains("PackCurrent");
    Files.writeString(dbcDir.resolve("demo-v2.dbc"), v2);
    Files.writeString(dbcDir.resolve("broken.dbc"), "VERSION \"\"\n\nBO_ 291 EngineData 8 ECM\n");

    fx = PlatformFixture.start("redecode", Map.of("FLEXCONNECT_CAN_DBC_DIR", dbcDir.toString()));
    fx.addDevice("demo-0001", TOKEN);
    try (TestPublisher device = fx.publisher("demo-0001")) {
      device.publish("flexconnect/demo-0001/can", TestVectors.message("seed-binary.bin"));
      device.publish("flexconnect/demo-0001/can", CanMessageBuilder.withToken(TOKEN).point(LATER)
          .reading(0x123, 1, 8, 1, 2, 3, 4, 5, 6, 7, 8).build());
    }
    Await.until("both messages stored", Duration.ofSeconds(20), () ->
        speedCount(0, LATER + 1) == 2 ? true : null);
  }

  @AfterAll
  static void stop() throws Exception {
    fx.close();
  }

  static int count(String signal, long from, long to) {
    return fx.http.get("/api/v1/devices/demo-0001/telemetry?signal=" + signal + "&from=" + from + "&to=" + to)
        .json().getInteger("count");
  }

  static int speedCount(long from, long to) {
    return count("EngineData.EngineSpeed", from, to);
  }

  static double value(String signal, long from, long to) {
    return fx.http.get("/api/v1/devices/demo-0001/telemetry?signal=" + signal + "&from=" + from + "&to=" + to)
        .json().getJsonArray("points").getJsonObject(0).getDouble("value");
  }

  @Test
  void verifiesThatANewDbcVersionReplacesTheDerivedRowsOfTheRangeOnlyAndIdempotently() {
    JsonObject first = fx.http.post("/api/v1/devices/demo-0001/redecode",
        "{" + RANGE + ", \"dbc\": \"demo-v2.dbc\"}").json();
    assertThat(first.getInteger("messages")).isEqualTo(1);
    assertThat(first.getLong("frames")).isEqualTo(3);
    assertThat(first.getLong("rows_deleted")).isEqualTo(15);
    assertThat(first.getLong("rows_written")).isEqualTo(15);
    assertThat(first.getJsonObject("dbc").getString("demo-v2.dbc")).hasSize(64);

    long end = DAY + 86_400_000L;
    assertThat(value("EngineData.EngineSpeed", DAY, end)).isEqualTo(2052.0);
    assertThat(value("BatteryStatus.PackCurrent", DAY, end)).isEqualTo(-52.0);
    assertThat(count("BatteryStatus.BatteryCurrent", DAY, end)).isZero();
    assertThat(value("EngineData.EngineSpeed", LATER, LATER + 1)).isEqualTo(1026.0); // outside the range

    JsonObject again = fx.http.post("/api/v1/devices/demo-0001/redecode",
        "{" + RANGE + ", \"dbc\": \"demo-v2.dbc\"}").json();
    assertThat(again.getLong("rows_deleted")).isEqualTo(15);
    assertThat(again.getLong("rows_written")).isEqualTo(15);
    assertThat(speedCount(0, LATER + 1)).isEqualTo(2);
    assertThat(value("EngineData.EngineSpeed", DAY, end)).isEqualTo(2052.0);
  }

  @Test
  void verifiesThatTheCliReDecodesWithTheGivenFile() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = io.flexconnect.app.Main.run(
        List.of("redecode", "demo-0001", "--from", "2021-06-01T00:00:00Z", "--to", String.valueOf(DAY + 86_400_000L),
            "--dbc", "demo.dbc"),
        Map.of("FLEXCONNECT_DB_URL", fx.dbUrl, "FLEXCONNECT_CAN_DBC_DIR", dbcDir.toString()),
        new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
    assertThat(code).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("1 messages, 3 frames (0 unknown)").contains("demo.dbc sha256 ");
    assertThat(value("EngineData.EngineSpeed", DAY, DAY + 86_400_000L)).isEqualTo(1026.0);
    assertThat(value("BatteryStatus.BatteryCurrent", DAY, DAY + 86_400_000L)).isEqualTo(-52.0);
  }

  @Test
  void verifiesThatAFileForOneBusReDecodesThatBusOnly() {
    fx.http.post("/api/v1/devices/demo-0001/redecode", "{" + RANGE + ", \"dbc\": \"demo.dbc\"}");
    JsonObject result = fx.http.post("/api/v1/devices/demo-0001/redecode",
        "{" + RANGE + ", \"dbc\": [{\"bus\": 1, \"file\": \"demo-v2.dbc\"}]}").json();
    assertThat(result.getLong("frames")).isEqualTo(2); // the bus-2 frame is left alone
    assertThat(result.getLong("rows_deleted")).isEqualTo(9);
    assertThat(result.getLong("rows_written")).isEqualTo(9);
    long end = DAY + 86_400_000L;
    assertThat(value("EngineData.EngineSpeed", DAY, end)).isEqualTo(2052.0);
    assertThat(value("ChassisData.SteeringAngle", DAY, end)).isCloseTo(438.6, org.assertj.core.api.Assertions.within(1e-9));
  }

  @Test
  void verifiesThatAnUnusableDbcIsRefusedWithItsLineAndColumnAndChangesNothing() {
    Http.Response missing = fx.http.post("/api/v1/devices/demo-0001/redecode",
        "{" + RANGE + ", \"dbc\": \"nope.dbc\"}");
    assertThat(missing.status()).isEqualTo(422);
    assertThat(missing.contentType()).isEqualTo("application/problem+json");
    assertThat(missing.json().getString("detail")).contains("nope.dbc");

    Http.Response broken = fx.http.post("/api/v1/devices/demo-0001/redecode",
        "{" + RANGE + ", \"dbc\": \"broken.dbc\"}");
    assertThat(broken.status()).isEqualTo(422);
    assertThat(broken.json().getString("detail")).containsPattern("broken.dbc:3:\\d+");
    assertThat(speedCount(0, LATER + 1)).isEqualTo(2);
  }

  @Test
  void verifiesThatARangeWithoutStoredMessagesKeepsItsRows() {
    // The rows of LATER stay, but the message they came from is gone (e.g. stored before storeRaw).
    io.flexconnect.testing.TestDatabase.jdbc(fx.dbUrl, conn -> conn.createStatement().executeUpdate(
        "DELETE FROM can_messages WHERE device_id = 'demo-0001' AND first_ts >= to_timestamp(" + LATER / 1000 + ")"));
    JsonObject result = fx.http.post("/api/v1/devices/demo-0001/redecode",
        "{\"from\": " + LATER + ", \"to\": " + (LATER + 1) + ", \"dbc\": \"demo-v2.dbc\"}").json();
    assertThat(result.getInteger("messages")).isZero();
    assertThat(result.getLong("rows_deleted")).isZero();
    assertThat(value("EngineData.EngineSpeed", LATER, LATER + 1)).isEqualTo(1026.0);
  }

  @Test
  void verifiesThatBadRequestsGetClearErrors() {
    assertThat(fx.http.post("/api/v1/devices/demo-0001/redecode", "{\"from\": 5, \"to\": 5}").status())
        .isEqualTo(400);
    assertThat(fx.http.post("/api/v1/devices/demo-0001/redecode", "{\"to\": 5}").json().getString("detail"))
        .contains("from: required");
    assertThat(fx.http.post("/api/v1/devices/demo-0001/redecode", "[1]").status()).isEqualTo(400);
    assertThat(fx.http.post("/api/v1/devices/ghost/redecode", "{" + RANGE + "}").status()).isEqualTo(404);
  }
}
