package io.flexconnect.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexconnect.ingest.RawMessage;
import io.flexconnect.storage.TelemetryBatch;
import io.flexconnect.storage.TelemetryRow;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class WireCodecsTest {

  @Test
  void verifiesThatAForwardedMessageCrossesTheWireUnchanged() {
    byte[] payload = {0, 1, 2, (byte) 0xff, 'x'};
    RawMessage sent = new RawMessage("flexconnect/trück-1/can", payload, 1_700_000_000_123L);
    WireCodecs.RawMessageCodec codec = new WireCodecs.RawMessageCodec();
    Buffer wire = Buffer.buffer("prefix".getBytes(StandardCharsets.UTF_8));
    codec.encodeToWire(wire, sent);
    RawMessage received = codec.decodeFromWire(6, wire);
    assertThat(received.topic()).isEqualTo(sent.topic());
    assertThat(received.payload()).isEqualTo(payload);
    assertThat(received.receivedAtMs()).isEqualTo(sent.receivedAtMs());
  }

  @Test
  void verifiesThatCommittedRowsCrossTheWireWithTheirNullsAndNumbers() {
    TelemetryBatch sent = new TelemetryBatch(List.of(
        TelemetryRow.json("dev-1", "temperature", 1_000L, 22.5, null, "{\"a\":\"b\"}", 2_000L),
        TelemetryRow.json("dev-1", "state", 1_000L, 0, "idle", null, 2_000L),
        TelemetryRow.can("dev-2", "EngineData.EngineState", 3_000L, 3, "Running", "{\"bus\":\"1\"}", 4_000L, "rpm")));
    WireCodecs.TelemetryBatchCodec codec = new WireCodecs.TelemetryBatchCodec();
    Buffer wire = Buffer.buffer();
    codec.encodeToWire(wire, sent);
    TelemetryBatch received = codec.decodeFromWire(0, wire);
    assertThat(received.rows()).hasSize(3);
    assertThat(received.rows().get(0)).isEqualTo(sent.rows().get(0));
    assertThat(received.rows().get(2)).isEqualTo(sent.rows().get(2));
    assertThat(received.rows().get(1).text()).isEqualTo("idle");
    assertThat(received.rows().get(1).numeric()).isFalse();
    assertThat(received.rows().get(1).tagsJson()).isNull();
  }
}
