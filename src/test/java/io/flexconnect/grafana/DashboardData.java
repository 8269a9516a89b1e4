package io.flexconnect.grafana;

import io.flexconnect.testing.Await;
import io.flexconnect.testing.PlatformFixture;
import io.flexconnect.testing.TestVectors;
import io.flexconnect.testing.TestDatabase;
import io.flexconnect.testing.TestPublisher;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Real data for the dashboards: the guide's JSON and binary CAN seed messages ingested through a
 * real broker and the platform (as they are, from 2021, and again moved to the last hour), two
 * refused messages, and alert episodes as the rules engine will write them.
 */
final class DashboardData {
  static final String DEVICE = "demo-0001";
  static final String TOKEN = "tok_demo-0001-7f3a9c2e5b814d06a1e2c3d4e5f60718";
  static final int SIGNALS = 17; // 15 decoded CAN signals + temperature + humidity

  private DashboardData() {}

  /** Ingests everything and waits until it is stored; returns the moment used as "now". */
  static Instant load(PlatformFixture fx) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    fx.addDevice(DEVICE, TOKEN);
    try (TestPublisher device = fx.publisher("grafana-" + DEVICE)) {
      device.publish("flexconnect/" + DEVICE + "/json", TestVectors.message("seed-json.json"));
      device.publish("flexconnect/" + DEVICE + "/can", TestVectors.message("seed-binary.bin"));
      for (int minutesAgo : new int[] {50, 20, 2}) {
        long ts = now.minus(Duration.ofMinutes(minutesAgo)).toEpochMilli();
        device.publish("flexconnect/" + DEVICE + "/can", retimed(TestVectors.message("seed-binary.bin"), ts));
        device.publish("flexconnect/" + DEVICE + "/json", json(ts, 20 + minutesAgo / 10.0, 40 + minutesAgo));
      }
      device.publish("flexconnect/" + DEVICE + "/json", new String(TestVectors.message("seed-json.json"),
          StandardCharsets.UTF_8).replace(TOKEN, "tok_wrong").getBytes(StandardCharsets.UTF_8));
      device.publish("flexconnect/" + DEVICE + "/json", "{\"device_id\": ".getBytes(StandardCharsets.UTF_8));
    }
    Await.until("telemetry, signals and rejections stored", Duration.ofSeconds(30), () -> count(fx,
        "SELECT (SELECT count(*) FROM device_signals) = " + SIGNALS
            + " AND (SELECT count(*) FROM telemetry WHERE ts > now() - interval '1 day') = 3 * (15 + 2)"
            + " AND (SELECT count(*) FROM rejected_messages) = 2") ? true : null);
    TestDatabase.jdbc(fx.dbUrl, conn -> conn.createStatement().executeUpdate("""
        INSERT INTO alerts (device_id, rule_id, rule_name, severity, state, opened_at, closed_at, peak_value, message)
        VALUES ('demo-0001', 'r-speed', 'Engine overspeed', 'critical', 'firing', now() - interval '20 minutes', NULL, 1026, 'EngineSpeed above 1000 rpm'),
               ('demo-0001', 'r-volt', 'Battery voltage high', 'warning', 'resolved', now() - interval '2 hours', now() - interval '90 minutes', 437.07, NULL),
               ('demo-0001', 'r-temp', 'Temperature rising', 'info', 'pending', now() - interval '3 minutes', NULL, 25, 'waiting for 5 minutes'),
               ('demo-0001', 'r-speed', 'Engine overspeed', 'critical', 'resolved', '2021-06-01T11:43:20Z', '2021-06-01T11:50:00Z', 1026, NULL)
        """));
    return now;
  }

  private static boolean count(PlatformFixture fx, String sql) {
    return TestDatabase.jdbc(fx.dbUrl, conn -> {
      ResultSet rs = conn.createStatement().executeQuery(sql);
      rs.next();
      return rs.getBoolean(1);
    });
  }

  private static byte[] json(long ts, double temperature, double humidity) {
    return ("{\"device_id\":\"" + DEVICE + "\",\"token\":\"" + TOKEN + "\",\"points\":[{\"timestamp\":" + ts
        + ",\"fields\":[{\"name\":\"temperature\",\"value\":" + temperature + "},{\"name\":\"humidity\",\"value\":"
        + humidity + "}]}]}").getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The same binary message with its points moved so the first starts at {@code firstTs} (keeping
   * their spacing): u32 token length and token, then points of an 8-byte little-endian timestamp,
   * u16 reading count and u16 point length (header included).
   */
  static byte[] retimed(byte[] message, long firstTs) {
    byte[] out = message.clone();
    ByteBuffer b = ByteBuffer.wrap(out);
    int offset = 4 + b.getInt(0);
    b.order(ByteOrder.LITTLE_ENDIAN);
    long shift = firstTs - b.getLong(offset);
    while (offset < out.length) {
      b.putLong(offset, b.getLong(offset) + shift);
      offset += Short.toUnsignedInt(b.getShort(offset + 10));
    }
    return out;
  }
}
