package io.flexconnect.cluster;

import io.flexconnect.codec.RejectReason;
import io.flexconnect.codec.Rejection;
import io.flexconnect.ingest.IngestAddresses;
import io.flexconnect.ingest.IngestOutcome;
import io.flexconnect.ingest.RawMessage;
import io.flexconnect.ingest.TopicDevice;
import io.flexconnect.storage.StorageAddresses;
import io.flexconnect.storage.TelemetryBatch;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This member's part of the cluster: routes every received MQTT message to the owner of its device
 * (itself, or another member over the clustered event bus), serves the messages other members
 * forward to it, recomputes the {@link PartitionTable} when members join or leave, and fans
 * committed rows and alert transitions out to every member's live streams.
 *
 * <p>A forwarded message is answered only after the owner committed it (or rejected it for good),
 * so the receiving member acknowledges it to the broker exactly as it would have its own. A
 * timeout, a lost owner or an owner that no longer owns the device makes this member route it
 * again (by the table of that moment, with backoff) until it is committed: the broker would deliver
 * it again only on a new connection.
 */
public final class ClusterVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(ClusterVerticle.class);
  private static final String ORIGIN = "origin";
  /** Backoff of a forward tried again (owner gone, not registered yet, or not the owner by its table). */
  private static final long RETRY_MIN_MS = 50;
  private static final long RETRY_MAX_MS = 1000;
  /**
   * How long a message is retried here before it goes back to the subscription: less than the
   * subscription waits for an answer (120 s), so the two never hold the same message at once.
   */
  private static final long ROUTE_DEADLINE_MS = 90_000;
  /** The failure code of a member refusing a message of a device it does not own by its table. */
  static final int NOT_OWNER = 409;
  private static final long MEMBERSHIP_CHECK_MS = 1000;

  private final ClusterConfig config;
  private final ClusterNode node;
  private final int deviceTopicSegment;
  private final MeterRegistry meters;
  private final AlertFanOut alerts;
  private final SessionAdopter adopter;
  private final DeliveryOptions local = new DeliveryOptions().setLocalOnly(true).setSendTimeout(120_000);
  private DeliveryOptions forward;
  private PartitionTable table;
  private String self;
  private SessionTakeover sessions;
  /** Forwards awaiting their owner's answer, in the order they were sent. */
  private final Set<Routed> pending = new LinkedHashSet<>();
  private long forwarded;
  private long forwardFailures;
  private long forwardRetries;
  private long notOwnerRefusals;
  private long servedForOthers;
  private long localRouted;
  private long fannedIn;

  /**
   * The local addresses of alert transitions: those raised here ({@code raised}), and where those
   * raised on other members are republished ({@code elsewhere}). Given by the composition root, so
   * that this package does not depend on the rules that raise them.
   */
  public record AlertFanOut(String raised, String elsewhere) {}

  /**
   * Builds the subscription that takes over the MQTT session of a departed member, given its
   * instance name. Given by the composition root, so that this package does not depend on MQTT.
   */
  @FunctionalInterface
  public interface SessionAdopter {
    Deployable subscriptionOf(String instance);
  }

  /**
   * @param deviceTopicSegment the topic level naming the device ({@code ingest.deviceTopicSegment});
   *     a message whose topic names none is ingested where it was received
   */
  public ClusterVerticle(ClusterConfig config, ClusterNode node, int deviceTopicSegment, MeterRegistry meters,
      AlertFanOut alerts, SessionAdopter adopter) {
    this.config = config;
    this.node = node;
    this.deviceTopicSegment = deviceTopicSegment;
    this.meters = meters;
    this.alerts = alerts;
    this.adopter = adopter;
  }

  @Override
  public Future<?> start() {
    self = node.self();
    forward = new DeliveryOptions().setCodecName(WireCodecs.RAW_MESSAGE).setSendTimeout(config.forwardTimeoutMs());
    WireCodecs.register(vertx.eventBus());
    sessions = new SessionTakeover(context, node, adopter);
    recompute();
    Future<Void> registered = sessions.register();
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
        .description("forwards handed back unacknowledged to the subscription (owner's storage failing)")
        .register(meters);
    FunctionCounter.builder("flexconnect.cluster.forward.retries", this, v -> v.forwardRetries)
        .description("forwards tried again (owner gone, not yet registered, or no longer the owner)").register(meters);
    FunctionCounter.builder("flexconnect.cluster.served", this, v -> v.servedForOthers)
        .description("messages other members forwarded here").register(meters);
    Gauge.builder("flexconnect.cluster.members", this, v -> v.table.members().size()).register(meters);
    Gauge.builder("flexconnect.cluster.partitions.owned", this, v -> v.owned()).register(meters);
    return Future.all(List.of(registered,
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
      sessions.membersAre(table); // an instance's registration may not have been readable at its join
      return;
    }
    table = next;
    rerouteFromLeft(members);
    sessions.membersAre(next);
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
    route(new Routed(msg, System.currentTimeMillis() + ROUTE_DEADLINE_MS));
  }

  private void route(Routed r) {
    RawMessage raw = r.msg.body();
    String device = TopicDevice.of(raw.topic(), deviceTopicSegment);
    String owner = device == null ? self : table.ownerOf(device);
    if (owner == null || owner.equals(self)) {
      localRouted++;
      // A failure here is storage's: the subscription holds the message and tries it again.
      vertx.eventBus().<IngestOutcome>request(IngestAddresses.RAW, raw, local)
          .onSuccess(reply -> r.msg.reply(reply.body()))
          .onFailure(err -> fail(r.msg, err));
      return;
    }
    if (r.owner == null) {
      forwarded++; // messages, not attempts: attempts after the first are counted as retries
    }
    r.owner = owner;
    pending.add(r);
    long left = r.deadlineMs - System.currentTimeMillis();
    // Never waits past the deadline: the subscription gives up on its request soon after it.
    DeliveryOptions options = left >= config.forwardTimeoutMs() ? forward
        : new DeliveryOptions(forward).setSendTimeout(Math.max(1, left));
    vertx.eventBus().<JsonObject>request(ClusterAddresses.INGEST_PREFIX + owner, raw, options).onComplete(ar -> {
      if (!pending.remove(r)) {
        return; // re-routed when its owner left the cluster: this late answer is not the one awaited
      }
      if (ar.succeeded()) {
        r.msg.reply(outcome(ar.result().body()));
      } else {
        retryOrGiveUp(r, device, ar.cause());
      }
    });
  }

  /**
   * A forward not answered with a commit is tried again here, routed by the table of that moment
   * (a new owner, or this member), with backoff: it is never left to the broker's redelivery, which
   * MQTT 3.1.1 brokers do only when the connection is made again. Only when the owner's own storage
   * refused it, or after {@link #ROUTE_DEADLINE_MS}, does it go back unacknowledged to the
   * subscription, which holds it and tries it again as it does while storage is down.
   */
  private void retryOrGiveUp(Routed r, String device, Throwable err) {
    long now = System.currentTimeMillis();
    if (refusedByOwnerStorage(err) || now + r.backoffMs > r.deadlineMs) {
      forwardFailures++;
      log.debug("Forward of a message of '{}' to {} failed ({}); handed back to the subscription", device, r.owner,
          err.getMessage());
      fail(r.msg, err);
      return;
    }
    forwardRetries++;
    log.debug("Forward of a message of '{}' to {} failed ({}); trying again in {} ms", device, r.owner,
        err.getMessage(), r.backoffMs);
    long delay = r.backoffMs;
    r.backoffMs = Math.min(r.backoffMs * 2, RETRY_MAX_MS);
    vertx.setTimer(delay, id -> route(r));
  }

  /** The owner answered, and its answer is a failure of its pipeline other than "not mine". */
  private static boolean refusedByOwnerStorage(Throwable err) {
    return err instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE
        && re.failureCode() != NOT_OWNER;
  }

  /**
   * Forwards awaiting an owner that has just left are routed again at once, in the order they were
   * received, rather than after their timeout: messages of a device keep their order across the
   * loss of its owner (the later ones would otherwise reach the new owner first).
   */
  private void rerouteFromLeft(List<String> members) {
    List<Routed> orphaned = pending.stream().filter(r -> !members.contains(r.owner)).toList();
    if (orphaned.isEmpty()) {
      return;
    }
    log.info("{} forwarded messages awaited a member that left; routed again", orphaned.size());
    orphaned.forEach(pending::remove);
    forwardRetries += orphaned.size();
    orphaned.forEach(this::route);
  }

  /**
   * A message another member received for a device this member owns. Refused when this member does
   * not own the device by its own table (it is newer than the sender's): only the owner of the
   * moment stores a device's messages, so its alert state sees all of them; the sender tries again.
   */
  private void serveForwarded(Message<RawMessage> msg) {
    String device = TopicDevice.of(msg.body().topic(), deviceTopicSegment);
    String owner = device == null ? self : table.ownerOf(device);
    if (owner != null && !owner.equals(self)) {
      notOwnerRefusals++;
      msg.fail(NOT_OWNER, "device '" + device + "' is owned by " + owner);
      return;
    }
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

  /** A message being routed: where it was last sent, and its retry schedule. */
  private static final class Routed {
    final Message<RawMessage> msg;
    final long deadlineMs;
    long backoffMs = RETRY_MIN_MS;
    String owner;

    Routed(Message<RawMessage> msg, long deadlineMs) {
      this.msg = msg;
      this.deadlineMs = deadlineMs;
    }
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
    // Node ids are what the partition table knows; operators know their instances by name.
    JsonObject names = new JsonObject();
    table.members().forEach(member -> names.put(member, sessions.instanceOf(member)));
    return new JsonObject()
        .put("self", self)
        .put("members", new JsonArray(table.members()))
        .put("instances", names)
        .put("partitions", config.partitions())
        .put("partitions_owned", owned())
        .put("partitions_by_member", partitions)
        .put("forwarded", forwarded)
        .put("forward_failures", forwardFailures)
        .put("forward_retries", forwardRetries)
        .put("refused_not_owner", notOwnerRefusals)
        .put("sessions_taken_over", new JsonArray(sessions.taken()))
        .put("served_for_others", servedForOthers)
        .put("ingested_here", localRouted)
        .put("received_from_others", fannedIn);
  }
}
