package io.flexconnect.ingest;

import io.flexconnect.codec.Decoded;
import io.flexconnect.codec.RejectReason;
import io.flexconnect.codec.Rejection;
import io.flexconnect.codec.json.JsonDecoderLimits;
import io.flexconnect.codec.json.JsonTelemetry;
import io.flexconnect.codec.json.JsonTelemetryDecoder;
import io.flexconnect.device.Device;
import io.flexconnect.device.DeviceDirectory;
import io.flexconnect.device.DeviceRegistry;
import io.flexconnect.device.Tokens;
import io.flexconnect.storage.Database;
import io.flexconnect.storage.DatabaseConfig;
import io.flexconnect.storage.RejectedMessage;
import io.flexconnect.storage.StorageAddresses;
import io.flexconnect.storage.StorageConfig;
import io.flexconnect.storage.TelemetryBatch;
import io.flexconnect.storage.TelemetryRow;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.Optional;

/**
 * Turns raw MQTT payloads into stored rows: detects the format, decodes, authenticates the device
 * (token against the stored hash, topic device segment against the token's device), and hands the
 * rows to storage. Refused messages are recorded with their reason. The reply comes only after the
 * rows (or the rejection) are committed.
 */
public final class IngestVerticle extends VerticleBase {

  private final IngestConfig config;
  private final DatabaseConfig database;
  private final StorageConfig storage;
  private final RejectionTracker rejections = new RejectionTracker();
  private JsonTelemetryDecoder jsonDecoder;
  private DeviceDirectory devices;
  private Pool pool;
  private final DeliveryOptions local = new DeliveryOptions().setLocalOnly(true).setSendTimeout(120_000);

  public IngestVerticle(IngestConfig config, DatabaseConfig database, StorageConfig storage) {
    this.config = config;
    this.database = database;
    this.storage = storage;
  }

  @Override
  public Future<?> start() {
    pool = Database.pool(vertx, database, 2);
    devices = new DeviceDirectory(new DeviceRegistry(pool), config.deviceCacheSeconds() * 1000L,
        config.unknownDeviceCacheSeconds() * 1000L, 100_000, System::currentTimeMillis);
    jsonDecoder = new JsonTelemetryDecoder(new JsonDecoderLimits(config.maxDecompressedBytes(),
        config.minTimestampMillis(), config.maxFutureSeconds() * 1000L, 256));
    vertx.eventBus().<RawMessage>localConsumer(IngestAddresses.RAW, this::handle);
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    return pool.close();
  }

  private void handle(Message<RawMessage> message) {
    process(message.body()).onComplete(ar -> {
      if (ar.succeeded()) {
        message.reply(ar.result());
      } else {
        message.fail(503, ar.cause().getMessage());
      }
    });
  }

  Future<IngestOutcome> process(RawMessage raw) {
    byte[] payload = raw.payload();
    if (payload.length == 0) {
      return reject(raw, Rejection.of(RejectReason.EMPTY_PAYLOAD, "payload is empty"), null);
    }
    if (payload.length > config.maxMessageBytes()) {
      return reject(raw, Rejection.of(RejectReason.OVERSIZED,
          payload.length + " bytes exceeds the limit of " + config.maxMessageBytes()), null);
    }
    return switch (PayloadFormat.detect(payload)) {
      case JSON -> processJson(raw);
      case BINARY, BINARY_COMPRESSED -> reject(raw, Rejection.of(RejectReason.UNSUPPORTED_FORMAT,
          "binary CAN messages are not decoded by this platform version"), null);
    };
  }

  private Future<IngestOutcome> processJson(RawMessage raw) {
    Decoded<JsonTelemetry> decoded =
        jsonDecoder.decode(raw.payload(), 0, raw.payload().length, System.currentTimeMillis());
    if (decoded instanceof Decoded.Rejected<JsonTelemetry> r) {
      return reject(raw, r.rejection(), null);
    }
    JsonTelemetry message = ((Decoded.Ok<JsonTelemetry>) decoded).value();
    return devices.byId(message.deviceId()).compose(found -> {
      Rejection refused = authenticate(message, found, raw.topic());
      if (refused != null) {
        return reject(raw, refused, message.deviceId());
      }
      List<TelemetryRow> rows = RowMapper.rows(message.deviceId(), message.points(), raw.receivedAtMs(), "json");
      return store(rows);
    });
  }

  /** Null when the message may be stored as {@code message.deviceId()}; the refusal otherwise. */
  private Rejection authenticate(JsonTelemetry message, Optional<Device> found, String topic) {
    if (found.isEmpty()) {
      return Rejection.of(RejectReason.UNKNOWN_DEVICE, "no device '" + message.deviceId() + "' is registered");
    }
    if (!Tokens.matches(message.token(), found.get().tokenHash())) {
      return Rejection.of(RejectReason.WRONG_TOKEN, "token does not belong to device '" + message.deviceId() + "'");
    }
    String topicDevice = TopicDevice.of(topic, config.deviceTopicSegment());
    if (topicDevice != null && !topicDevice.equals(message.deviceId())) {
      return Rejection.of(RejectReason.TOPIC_DEVICE_MISMATCH, "topic names device '" + topicDevice
          + "' but the message authenticates as '" + message.deviceId() + "'");
    }
    return null;
  }

  private Future<IngestOutcome> store(List<TelemetryRow> rows) {
    return vertx.eventBus().<Integer>request(StorageAddresses.TELEMETRY, new TelemetryBatch(rows), local)
        .map(reply -> IngestOutcome.stored(reply.body()));
  }

  private Future<IngestOutcome> reject(RawMessage raw, Rejection rejection, String deviceId) {
    rejections.record(rejection, raw.topic(), raw.receivedAtMs());
    byte[] head = PayloadRedactor.head(raw.payload(), storage.rejectedPayloadBytes());
    RejectedMessage record = new RejectedMessage(raw.receivedAtMs(), raw.topic(), rejection.reason().code(),
        rejection.detail(), deviceId, raw.payload().length, head);
    return vertx.eventBus().request(StorageAddresses.REJECTED, record, local)
        .map(reply -> IngestOutcome.rejected(rejection));
  }
}
