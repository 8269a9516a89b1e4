package io.flexconnect.cluster;

import io.flexconnect.codec.RejectReason;
import io.flexconnect.codec.Rejection;
import io.flexconnect.ingest.IngestAddresses;
import io.flexconnect.ingest.IngestOutcome;
import io.flexconnect.ingest.RawMessage;
import io.flexconnect.ingest.TopicDevice;
import io.flexconnect.storage.StorageAddresses;
import io.flexconnect.storage.StorageState;
import io.flexconnect.storage.TelemetryBatch;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This member's part of the cluster: routes every received MQTT message to the owner of its device
 * (itself, or another member over the clustered event bus), serves the messages other members
 * forward to it, recomputes the {@link PartitionTable} when members join or leave, and fans
 * committed rows and alert transitions out to every member's live streams.
 *
 * <p>A forwarded message is answered only after the owner committed it (or rejected it for good),
 * so the receiving member acknowledges it to the broker exactly as it would have its own; a
 * timeout or a lost owner leaves it unacknowledged and the subscription tries it again, routed by
 * the table of that moment.
 */
public final class ClusterVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(ClusterVerticle.class);
  private static final String ORIGIN = "origin";
  /** A member that just joined registers its ingest address a moment after it is a member. */
  private static final int NO_HANDLER_ATTEMPTS = 10;
  private static final long NO_HANDLER_DELAY_MS = 200;
  private static final long MEMBERSHIP_CHECK_MS = 1000;

  private final ClusterConfig config;
  private final ClusterNode node;
  private final int deviceTopicSegment;
  private final MeterRegistry meters;
  private final AlertFanOut alerts;
  private final DeliveryOptions local = new DeliveryOptions().setLocalOnly(true).setSendTimeout(120_000);
  private DeliveryOptions forward;
  private PartitionTable table;
  private String self;
  private boolean forwardFailing;
  private long forwarded;
  private long forwardFailures;
  private long servedForOthers;
  private long localRouted;
  private long fannedIn;

  /**
   * @param deviceTopicSegment the topic level naming the device ({@code ingest.deviceTopicSegment});
   *     a message whose topic names none is ingested where it was received
   */
  /**
   * The local addresses of alert transitions: those raised here ({@code raised}), and where those
   * raised on other members are republished ({@code elsewhere}). Given by the composition root, so
   * that this package does not depend on the rules that raise them.
   */
  public record AlertFanOut(String raised, String elsewhere) {}

  public ClusterVerticle(ClusterConfig config, ClusterNode node, int deviceTopicSegment, MeterRegistry meters,
      AlertFanOut alerts) {
    this.config = config;
    this.node = node;
    this.deviceTopicSegment = deviceTopicSegment;
    this.meters = meters;
    this.alerts = alerts;
  }

  @Override
  public Future<?> start() {
    self = node.self();
    forward = new DeliveryOptions().setCodecName(WireCodecs.RAW_MESSAGE).setSendTimeout(config.forwardTimeoutMs());
    WireCodecs.register(vertx.eventBus());
    recompute();
    node.onMembershipChange(() -> vertx.runOnContext(v -> recompute()));
    // Belt and braces: a membership event missed (or not raised) is caught up within a second.
    vertx.setPeriodic(MEMBERSHIP_CHECK_MS, id -> recompute());
    vertx.eventBus().<RawMessage>localConsumer(ClusterAddresses.ROUTE, this::route);
    vertx.eventBus().<JsonObject>localConsumer(ClusterAddresses.STATUS, msg -> msg.reply(status()));
    // Fan-out: what this member commits and raises goes to every other member's live streams.
    DeliveryOptions batchOut = new DeliveryOptions().setCodecName(WireCodecs.TELEMETRY_BATCH).addHeader(ORIGIN, self);
    DeliveryOptions alertOut = new DeliveryOptions().addHeader(ORIGIN, self);
    vertx.eventBus().<TelemetryBatch>localConsumer(StorageAddresses.COMMITTED, msg -> {
      if (table.members().size() > 1) {
        vertx.eventBus().publish(ClusterAddresses.COMMITTED, msg.body(), batchOut);
      }
    });
    vertx.eventBus().<JsonObject>localConsumer(alerts.raised(), msg -> {
      if (table.members().size() > 1) {
        vertx.eventBus().publish(ClusterAddresses.ALERTS, msg.body(), alertOut);
      }
    });
    FunctionCounter.builder("flexconnect.cluster.forwarded", this, v -> v.forwarded)
        .description("messages forwarded to the member owning their device").register(meters);
    FunctionCounter.builder("flexconnect.cluster.forward.failures", this, v -> v.forwardFailures)
        .description("forwards not answered with a commit (left unacknowledged, tried again)").register(meters);
    FunctionCounter.builder("flexconnect.cluster.served", this, v -> v.servedForOthers)
        .description("messages other members forwarded here").register(meters);
    Gauge.builder("flexconnect.cluster.members", this, v -> v.table.members().size()).register(meters);
    Gauge.builder("flexconnect.cluster.partitions.owned", this, v -> v.owned()).register(meters);
    return Future.all(List.of(
        vertx.eventBus().<RawMessage>consumer(ClusterAddresses.INGEST_PREFIX + self, this::serveForwarded).completion(),
        vertx.eventBus().<TelemetryBatch>consumer(ClusterAddresses.COMMITTED, msg -> fanIn(msg,
            StorageAddresses.COMMITTED_ELSEWHERE)).completion(),
        vertx.eventBus().<JsonObject>consumer(ClusterAddresses.ALERTS, msg -> fanIn(msg,
            alerts.elsewhere())).completion()));
  }

  private <T> void fanIn(Message<T> msg, String localAddress) {
    if (!self.equals(msg.headers().get(ORIGIN))) {
      fannedIn++;
      vertx.eventBus().publish(localAddress, msg.body(), new DeliveryOptions().setLocalOnly(true));
    }
  }

  private void recompute() {
    List<String> members = node.members();
    PartitionTable next = PartitionTable.assign(members, config.partitions());
    if (table != null && table.members().equals(next.members())) {
      return;
    }
    table = next;
    log.info("Cluster of {} members: this member ({}) owns {} of {} device partitions", members.size(), self, owned(),
        config.partitions());
    vertx.eventBus().publish(ClusterAddresses.OWNERSHIP, new Ownership(table, self),
        new DeliveryOptions().setLocalOnly(true));
  }

  private int owned() {
    return table.counts().getOrDefault(self, 0);
  }

  /** A message received from the broker: ingested here when this member owns its device, else forwarded. */
  private void route(Message<RawMessage> msg) {
    RawMessage raw = msg.body();
    String device = TopicDevice.of(raw.topic(), deviceTopicSegment);
    String owner = device == null ? self : table.ownerOf(device);
    if (owner == null || owner.equals(self)) {
      localRouted++;
      vertx.eventBus().<IngestOutcome>request(IngestAddresses.RAW, raw, local)
          .onSuccess(reply -> msg.reply(reply.body()))
          .onFailure(err -> fail(msg, err));
      return;
    }
    forwardTo(msg, device, owner, 1);
  }

  private void forwardTo(Message<RawMessage> msg, String device, String owner, int attempt) {
    forwarded++;
    vertx.eventBus().<JsonObject>request(ClusterAddresses.INGEST_PREFIX + owner, msg.body(), forward)
        .onSuccess(reply -> {
          if (forwardFailing) {
            forwardFailing = false;
            // Messages that waited for a failed forward are tried again at once, as after a storage outage.
            vertx.eventBus().publish(StorageAddresses.STATE, StorageState.WRITABLE, local);
          }
          msg.reply(outcome(reply.body()));
        })
        .onFailure(err -> {
          String next = table.ownerOf(device);
          if (noHandlers(err) && attempt < NO_HANDLER_ATTEMPTS) {
            // The owner has not registered its address yet (just joined) or has just left.
            vertx.setTimer(NO_HANDLER_DELAY_MS, id -> {
              String now = table.ownerOf(device);
              if (now == null || now.equals(self)) {
                route(msg);
              } else {
                forwardTo(msg, device, now, attempt + 1);
              }
            });
            return;
          }
          forwardFailures++;
          forwardFailing = true;
          log.debug("Forward of a message of '{}' to {} failed ({}); owner now {}", device, owner, err.getMessage(), next);
          fail(msg, err);
        });
  }

  private static boolean noHandlers(Throwable err) {
    return err instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS;
  }

  /** A message another member received for a device this member owns. */
  private void serveForwarded(Message<RawMessage> msg) {
    servedForOthers++;
    vertx.eventBus().<IngestOutcome>request(IngestAddresses.RAW, msg.body(), local)
        .onSuccess(reply -> {
          IngestOutcome o = reply.body();
          JsonObject answer = new JsonObject().put("rows", o.rows());
          if (!o.accepted()) {
            answer.put("reason", o.rejection().reason().name()).put("detail", o.rejection().detail());
          }
          msg.reply(answer);
        })
        .onFailure(err -> fail(msg, err));
  }

  private static IngestOutcome outcome(JsonObject answer) {
    String reason = answer.getString("reason");
    return reason == null ? IngestOutcome.stored(answer.getInteger("rows", 0))
        : IngestOutcome.rejected(Rejection.of(RejectReason.valueOf(reason), answer.getString("detail")));
  }

  private static void fail(Message<?> msg, Throwable err) {
    int code = err instanceof ReplyException re ? re.failureCode() : 503;
    msg.fail(code, String.valueOf(err.getMessage()));
  }

  private JsonObject status() {
    JsonObject partitions = new JsonObject();
    table.counts().forEach(partitions::put);
    return new JsonObject()
        .put("self", self)
        .put("members", new JsonArray(table.members()))
        .put("partitions", config.partitions())
        .put("partitions_owned", owned())
        .put("partitions_by_member", partitions)
        .put("forwarded", forwarded)
        .put("forward_failures", forwardFailures)
        .put("served_for_others", servedForOthers)
        .put("ingested_here", localRouted)
        .put("received_from_others", fannedIn);
  }
}
