package io.flexconnect.app;

import io.flexconnect.bus.LocalCodec;
import io.flexconnect.can.CanDecodeResult;
import io.flexconnect.can.Extraction;
import io.flexconnect.can.ExtractionRequest;
import io.flexconnect.can.RedecodeRequest;
import io.flexconnect.can.RedecodeResult;
import io.flexconnect.cluster.Ownership;
import io.flexconnect.ingest.IngestOutcome;
import io.flexconnect.ingest.RawMessage;
import io.flexconnect.mqtt.OutboundMessage;
import io.flexconnect.mqtt.SubscriptionStatus;
import io.flexconnect.storage.RejectedMessage;
import io.flexconnect.storage.StorageState;
import io.flexconnect.storage.StorageStatus;
import io.flexconnect.storage.TelemetryBatch;
import io.vertx.core.eventbus.EventBus;
import java.util.List;

/** Registers the by-reference codecs of every record sent on the event bus. */
public final class Codecs {
  private Codecs() {}

  static final List<Class<?>> LOCAL_TYPES = List.of(
      RawMessage.class, IngestOutcome.class, TelemetryBatch.class, RejectedMessage.class, SubscriptionStatus.class,
      CanDecodeResult.class, ExtractionRequest.class, Extraction.class, RedecodeRequest.class, RedecodeResult.class,
      OutboundMessage.class, StorageStatus.class, StorageState.class, Ownership.class);

  public static void register(EventBus bus) {
    for (Class<?> type : LOCAL_TYPES) {
      registerOne(bus, type);
    }
  }

  private static <T> void registerOne(EventBus bus, Class<T> type) {
    bus.registerDefaultCodec(type, new LocalCodec<>(type));
  }
}
