package io.flexconnect.ingest;

import io.flexconnect.can.CanAddresses;
import io.flexconnect.can.CanConfig;
import io.flexconnect.can.CanDecodeResult;
import io.flexconnect.can.Extraction;
import io.flexconnect.can.ExtractionRequest;
import io.flexconnect.codec.Decoded;
import io.flexconnect.codec.RejectReason;
import io.flexconnect.codec.Rejection;
import io.flexconnect.codec.can.CanMessage;
import io.flexconnect.codec.json.JsonDecoderLimits;
import io.flexconnect.codec.json.JsonTelemetry;
import io.flexconnect.codec.json.JsonTelemetryDecoder;
import io.flexconnect.device.DeviceAddresses;
import io.flexconnect.device.DeviceDirectory;
import io.flexconnect.device.DeviceRegistry;
import io.flexconnect.rules.ProcessingAddresses;
import io.flexconnect.storage.Database;
import io.flexconnect.storage.DatabaseConfig;
import io.flexconnect.storage.RawCanMessage;
import io.flexconnect.storage.RejectedMessage;
import io.flexconnect.storage.StorageAddresses;
import io.flexconnect.storage.StorageConfig;
import io.flexconnect.storage.TelemetryBatch;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.sqlclient.Pool;
import java.util.EnumMap;
import java.util.Map;

/**
 * Turns raw MQTT payloads into stored rows. It detects the format, has the payload decoded (JSON
 * here; binary CAN by the CAN decoder and signal extraction verticles), authenticates the device
 * and hands the rows to storage. Refused messages are recorded with their reason. The reply comes
 * only after the rows (or the rejection) are committed.
 */
public final class IngestVerticle extends VerticleBase {

  private final IngestConfig config;
  private final CanConfig can;
  private final DatabaseConfig database;
  private final StorageConfig storage;
  private final RejectionTracker rejections = new RejectionTracker();
  private final DeliveryOptions local = new DeliveryOptions().setLocalOnly(true).setSendTimeout(120_000);
  private JsonTelemetryDecoder jsonDecoder;
  private final RowMapper rowMapper = new RowMapper(RowMapper.DEFAULT_CACHED_TAG_SETS);
  private Authenticator authenticator;
  private DeviceDirectory devices;
  private Pool pool;

  private final MeterRegistry meters;
  /** Looked up once: a registry lookup per message (tags built and sorted) costs more than the count. */
  private Counter accepted;
  private final Map<RejectReason, Counter> rejectedByReason = new EnumMap<>(RejectReason.class);

  public IngestVerticle(IngestConfig config, CanConfig can, DatabaseConfig database, StorageConfig storage,
      MeterRegistry meters) {
    this.meters = meters;
    this.config = config;
    this.can = can;
    this.database = database;
    this.storage = storage;
  }

  @Override
  public Future<?> start() {
    pool = Database.pool(vertx, database, 2);
    devices = new DeviceDirectory(new DeviceRegistry(pool), config.deviceCacheSeconds() * 1000L,
        config.unknownDeviceCacheSeconds() * 1000L, 100_000, System::currentTimeMillis);
    authenticator = new Authenticator(devices, config.deviceTopicSegment());
    jsonDecoder = new JsonTelemetryDecoder(new JsonDecoderLimits(config.maxDecompressedBytes(),
        config.minTimestampMillis(), config.maxFutureSeconds() * 1000L, 256));
    accepted = meters.counter("flexconnect.messages", "outcome", "accepted", "reason", "");
    vertx.eventBus().<RawMessage>localConsumer(IngestAddresses.RAW, this::handle);
    vertx.eventBus().<String>localConsumer(DeviceAddresses.CREDENTIALS_CHANGED, m -> devices.evict(m.body()));
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    return pool.close();
  }

  private void handle(Message<RawMessage> message) {
    process(message.body()).onComplete(ar -> {
      if (ar.succeeded()) {
        IngestOutcome outcome = ar.result();
        counterOf(outcome).increment();
        message.reply(outcome);
      } else {
        message.fail(503, ar.cause().getMessage());
      }
    });
  }

  private Counter counterOf(IngestOutcome outcome) {
    if (outcome.accepted()) {
      return accepted;
    }
    return rejectedByReason.computeIfAbsent(outcome.rejection().reason(),
        reason -> meters.counter("flexconnect.messages", "outcome", "rejected", "reason", reason.code()));
  }

  Future<IngestOutcome> process(RawMessage raw) {
    if (TopicDevice.isPlatformOutput(raw.topic(), config.deviceTopicSegment())) {
      return Future.succeededFuture(IngestOutcome.stored(0)); // our own alerts, seen through flexconnect/#
    }
    byte[] payload = raw.payload();
    if (payload.length == 0) {
      return rejectUnproven(raw, Rejection.of(RejectReason.EMPTY_PAYLOAD, "payload is empty"), null);
    }
    if (payload.length > config.maxMessageBytes()) {
      return rejectUnproven(raw, Rejection.of(RejectReason.OVERSIZED,
          payload.length + " bytes exceeds the limit of " + config.maxMessageBytes()), null);
    }
    return switch (PayloadFormat.detect(payload)) {
      case JSON -> processJson(raw);
      case BINARY, BINARY_COMPRESSED -> processBinary(raw);
    };
  }

  private Future<IngestOutcome> processJson(RawMessage raw) {
    Decoded<JsonTelemetry> decoded =
        jsonDecoder.decode(raw.payload(), 0, raw.payload().length, System.currentTimeMillis());
    if (decoded instanceof Decoded.Rejected<JsonTelemetry> r) {
      return rejectUnproven(raw, r.rejection(), null);
    }
    JsonTelemetry message = ((Decoded.Ok<JsonTelemetry>) decoded).value();
    return authenticator.byDeviceId(message.deviceId(), message.token(), raw.topic()).compose(identity -> {
      if (identity.refusal() != null) {
        return refused(raw, identity, message.deviceId());
      }
      return store(raw, new TelemetryBatch(rowMapper.rows(message.deviceId(), message.points(), raw.receivedAtMs())),
          message.deviceId());
    });
  }

  private Future<IngestOutcome> processBinary(RawMessage raw) {
    return vertx.eventBus().<CanDecodeResult>request(CanAddresses.DECODE, raw, local).compose(reply -> {
      CanDecodeResult result = reply.body();
      if (result.rejection() != null) {
        return rejectUnproven(raw, result.rejection(), null);
      }
      CanMessage message = result.message();
      return authenticator.byToken(message.token(), raw.topic())
          .compose(identity -> identity.refusal() == null
              ? extractAndStore(raw, message, identity.device().deviceId())
              : refused(raw, identity, null))
          .eventually(() -> {
            message.close();
            return Future.succeededFuture();
          });
    });
  }

  private Future<IngestOutcome> extractAndStore(RawMessage raw, CanMessage message, String deviceId) {
    return vertx.eventBus()
        .<Extraction>request(CanAddresses.EXTRACT, new ExtractionRequest(deviceId, message, raw.receivedAtMs()), local)
        .compose(reply -> {
          Extraction extraction = reply.body();
          if (extraction.frames() == 0) {
            return Future.succeededFuture(IngestOutcome.stored(0));
          }
          Rejection clock = checkClock(extraction);
          if (clock != null) {
            return reject(raw, clock, deviceId);
          }
          RawCanMessage kept = can.storeRaw() ? rawMessage(deviceId, message, extraction, raw.receivedAtMs()) : null;
          return store(raw, new TelemetryBatch(extraction.rows(), kept), deviceId);
        });
  }

  private Rejection checkClock(Extraction e) {
    long now = System.currentTimeMillis();
    long min = config.minTimestampMillis();
    long max = now + config.maxFutureSeconds() * 1000L;
    if (e.firstTimestampMs() < min || e.lastTimestampMs() > max) {
      long bad = e.firstTimestampMs() < min ? e.firstTimestampMs() : e.lastTimestampMs();
      return Rejection.of(RejectReason.TIMESTAMP_OUT_OF_RANGE, "point timestamp " + bad
          + " is outside the accepted window [" + min + ", now + " + config.maxFutureSeconds() + " s] (device clock fault?)");
    }
    return null;
  }

  /** The points section of the (decompressed) message, for re-decoding later. */
  private static RawCanMessage rawMessage(String deviceId, CanMessage message, Extraction e, long receivedAtMs) {
    ByteBuf buf = message.buffer();
    int pointsStart = 4 + buf.getInt(0);
    byte[] points = ByteBufUtil.getBytes(buf, pointsStart, buf.writerIndex() - pointsStart);
    return new RawCanMessage(deviceId, e.firstTimestampMs(), e.lastTimestampMs(), receivedAtMs, points);
  }

  /**
   * Through the processing stage (pipeline rules), then to storage. Rows the database refuses for
   * good make the message a rejection ({@code storage_refused}): retrying could never store it.
   */
  private Future<IngestOutcome> store(RawMessage raw, TelemetryBatch batch, String deviceId) {
    return vertx.eventBus().<TelemetryBatch>request(ProcessingAddresses.PROCESS, batch, local)
        .compose(processed -> vertx.eventBus().<Integer>request(StorageAddresses.TELEMETRY, processed.body(), local))
        .map(reply -> IngestOutcome.stored(reply.body()))
        .recover(err -> err instanceof ReplyException re && re.failureCode() == StorageAddresses.REFUSED
            ? reject(raw, Rejection.of(RejectReason.STORAGE_REFUSED, "the database refuses its rows: " + re.getMessage()),
                deviceId)
            : Future.failedFuture(err));
  }

  /** An authentication refusal: the proven device's when the token was checked, else unproven. */
  private Future<IngestOutcome> refused(RawMessage raw, Authenticator.Identity identity, String claimed) {
    return identity.proven() != null
        ? reject(raw, identity.refusal(), identity.proven())
        : rejectUnproven(raw, identity.refusal(), claimed);
  }

  /** A refusal of a message that proved to be {@code deviceId}'s (its token was checked). */
  private Future<IngestOutcome> reject(RawMessage raw, Rejection rejection, String deviceId) {
    return record(raw, rejection, deviceId, true);
  }

  /**
   * A refusal before the message proved its device. It is kept under the registered device it
   * claims, else the registered device its topic names, marked as not authenticated, so that
   * device's tenant sees it; with neither it belongs to no tenant (operators see it). A name that
   * is not registered is never recorded as a device: registering it later must not reveal it.
   */
  private Future<IngestOutcome> rejectUnproven(RawMessage raw, Rejection rejection, String claimed) {
    return registered(claimed)
        .compose(found -> found != null ? Future.succeededFuture(found)
            : registered(TopicDevice.of(raw.topic(), config.deviceTopicSegment())))
        .otherwise((String) null) // the registry is unreachable: keep the rejection, of no tenant
        .compose(deviceId -> record(raw, rejection, deviceId, false));
  }

  /** {@code deviceId} when it names a registered device (through the credential cache), else null. */
  private Future<String> registered(String deviceId) {
    if (!DeviceRegistry.isValidId(deviceId)) {
      return Future.succeededFuture(null);
    }
    return devices.byId(deviceId).map(found -> found.isPresent() ? deviceId : null);
  }

  private Future<IngestOutcome> record(RawMessage raw, Rejection rejection, String deviceId, boolean authenticated) {
    rejections.record(rejection, raw.topic(), raw.receivedAtMs());
    byte[] head = PayloadRedactor.head(raw.payload(), storage.rejectedPayloadBytes());
    RejectedMessage record = new RejectedMessage(raw.receivedAtMs(), raw.topic(), rejection.reason().code(),
        rejection.detail(), deviceId, authenticated, raw.payload().length, head);
    return vertx.eventBus().request(StorageAddresses.REJECTED, record, local)
        .map(reply -> IngestOutcome.rejected(rejection));
  }
}
