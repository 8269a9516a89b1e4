package io.flexconnect.broker;

import static io.netty.handler.codec.mqtt.MqttQoS.AT_LEAST_ONCE;
import static io.netty.handler.codec.mqtt.MqttQoS.AT_MOST_ONCE;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class EmbeddedBrokerVerticleTest {

  @BeforeAll
  static void quietPacketLogs() {
    BrokerFixture.quietPacketLogs();
  }

  @Test
  void verifiesThatQos1MessageRoundTripsToManuallyAckingSubscriber(Vertx vertx, VertxTestContext ctx) {
    Checkpoint received = ctx.checkpoint();
    Checkpoint pubacked = ctx.checkpoint();
    BrokerFixture.start(vertx, BrokerFixture.config()).compose(f -> {
      MqttClient sub = f.manualAckClient("sub", true);
      MqttClient pub = f.publisher("pub");
      sub.publishHandler(message -> ctx.verify(() -> {
        assertThat(message.topicName()).isEqualTo("dev/1/telemetry");
        assertThat(message.payload().toString()).isEqualTo("hello");
        assertThat(message.qosLevel()).isEqualTo(AT_LEAST_ONCE);
        assertThat(message.isDup()).isFalse();
        message.ack();
        received.flag();
      }));
      pub.publishCompletionHandler(id -> pubacked.flag());
      return f.connectAndSubscribe(sub, "dev/+/telemetry", 1)
          .compose(v -> f.connect(pub))
          .compose(c -> pub.publish("dev/1/telemetry", Buffer.buffer("hello"), AT_LEAST_ONCE, false, false));
    }).onFailure(ctx::failNow);
  }

  @Test
  void verifiesThatPublisherGetsPubackOnlyAfterSubscriberAcked(Vertx vertx, VertxTestContext ctx) {
    AtomicBoolean subscriberAcked = new AtomicBoolean();
    AtomicBoolean publisherAcked = new AtomicBoolean();
    BrokerFixture.start(vertx, BrokerFixture.config()).compose(f -> {
      MqttClient sub = f.manualAckClient("sub", true);
      MqttClient pub = f.publisher("pub");
      sub.publishHandler(message -> vertx.setTimer(500, t -> ctx.verify(() -> {
        assertThat(publisherAcked).as("PUBACK before the subscriber acked").isFalse();
        subscriberAcked.set(true);
        message.ack();
      })));
      pub.publishCompletionHandler(id -> ctx.verify(() -> {
        assertThat(subscriberAcked).isTrue();
        publisherAcked.set(true);
        ctx.completeNow();
      }));
      return f.connectAndSubscribe(sub, "dev/#", 1)
          .compose(v -> f.connect(pub))
          .compose(c -> pub.publish("dev/1", Buffer.buffer("x"), AT_LEAST_ONCE, false, false));
    }).onFailure(ctx::failNow);
  }

  @Test
  void verifiesThatPubackWaitsForEverySubscriberItWasRoutedTo(Vertx vertx, VertxTestContext ctx) {
    AtomicBoolean slowAcked = new AtomicBoolean();
    BrokerFixture.start(vertx, BrokerFixture.config()).compose(f -> {
      MqttClient fast = f.manualAckClient("fast", true);
      MqttClient slow = f.manualAckClient("slow", true);
      MqttClient pub = f.publisher("pub");
      fast.publishHandler(message -> message.ack());
      slow.publishHandler(message -> vertx.setTimer(300, t -> {
        slowAcked.set(true);
        message.ack();
      }));
      pub.publishCompletionHandler(id -> ctx.verify(() -> {
        assertThat(slowAcked).as("PUBACK before the slower subscriber acked").isTrue();
        assertThat(f.broker.stats().acked()).isEqualTo(2);
        ctx.completeNow();
      }));
      return f.connectAndSubscribe(fast, "dev/#", 1)
          .compose(v -> f.connectAndSubscribe(slow, "dev/+", 1))
          .compose(v -> f.connect(pub))
          .compose(c -> pub.publish("dev/1", Buffer.buffer("x"), AT_LEAST_ONCE, false, false));
    }).onFailure(ctx::failNow);
  }

  @Test
  void verifiesThatUnmatchedPublishIsAcknowledgedAtOnce(Vertx vertx, VertxTestContext ctx) {
    BrokerFixture.start(vertx, BrokerFixture.config()).compose(f -> {
      MqttClient pub = f.publisher("pub");
      pub.publishCompletionHandler(id -> ctx.completeNow());
      return f.connect(pub).compose(c -> pub.publish("nobody/listens", Buffer.buffer("x"), AT_LEAST_ONCE, false, false));
    }).onFailure(ctx::failNow);
  }

  @Test
  void verifiesThatAPublishForAReservedSubscriptionIsAcknowledgedOnlyAfterItsClientConnectedAndAcked(Vertx vertx,
      VertxTestContext ctx) {
    AtomicBoolean platformAcked = new AtomicBoolean();
    ReservedSubscription platform = new ReservedSubscription("platform", "dev/#");
    BrokerFixture.startReserving(vertx, BrokerFixture.config(), platform).compose(f -> {
      MqttClient pub = f.publisher("pub");
      pub.publishCompletionHandler(id -> ctx.verify(() -> {
        assertThat(platformAcked).as("PUBACK before the reserved subscriber had the message").isTrue();
        ctx.completeNow();
      }));
      return f.connect(pub)
          .compose(c -> pub.publish("dev/1", Buffer.buffer("early"), AT_LEAST_ONCE, false, false))
          // The platform is still starting: nobody has the message, so the device must keep it.
          .compose(id -> vertx.timer(500))
          .compose(t -> {
            MqttClient sub = f.manualAckClient("platform", false);
            sub.publishHandler(message -> ctx.verify(() -> {
              assertThat(message.payload().toString()).isEqualTo("early");
              platformAcked.set(true);
              message.ack();
            }));
            return sub.connect(f.port(), "127.0.0.1");
          })
          .onSuccess(ack -> ctx.verify(() -> assertThat(ack.isSessionPresent()).isTrue()));
    }).onFailure(ctx::failNow);
  }

  @Test
  void verifiesThatAQos0MonitorDoesNotHoldThePubackOfAReservedSubscription(Vertx vertx, VertxTestContext ctx) {
    Checkpoint monitored = ctx.checkpoint();
    Checkpoint pubacked = ctx.checkpoint();
    ReservedSubscription platform = new ReservedSubscription("platform", "dev/#");
    BrokerFixture.startReserving(vertx, BrokerFixture.config(), platform).compose(f -> {
      MqttClient monitor = f.manualAckClient("monitor", true);
      MqttClient sub = f.manualAckClient("platform", false);
      MqttClient pub = f.publisher("pub");
      monitor.publishHandler(message -> ctx.verify(() -> {
        assertThat(message.qosLevel()).isEqualTo(AT_MOST_ONCE);
        monitored.flag();
      }));
      sub.publishHandler(message -> message.ack());
      pub.publishCompletionHandler(id -> pubacked.flag());
      return f.connectAndSubscribe(monitor, "dev/#", 0)
          .compose(v -> f.connect(sub))
          .compose(c -> f.connect(pub))
          .compose(c -> pub.publish("dev/1", Buffer.buffer("x"), AT_LEAST_ONCE, false, false));
    }).onFailure(ctx::failNow);
  }

  @Test
  void verifiesThatAReservedSessionRefusesACleanSessionConnect(Vertx vertx, VertxTestContext ctx) {
    ReservedSubscription platform = new ReservedSubscription("platform", "dev/#");
    BrokerFixture.startReserving(vertx, BrokerFixture.config(), platform).compose(f -> {
      MqttClient clean = f.manualAckClient("platform", true);
      return clean.connect(f.port(), "127.0.0.1")
          .map(ack -> ack.code())
          .otherwise(error -> error instanceof io.vertx.mqtt.MqttConnectionException refused ? refused.code() : null);
    }).onComplete(ctx.succeeding(code -> ctx.verify(() -> {
      assertThat(code).isEqualTo(io.netty.handler.codec.mqtt.MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED);
      ctx.completeNow();
    })));
  }

  @Test
  void verifiesThatPersistentSessionRedeliversUnackedMessageWithDupAfterReconnect(Vertx vertx,
      VertxTestContext ctx) {
    AtomicBoolean redeliveryAcked = new AtomicBoolean();
    BrokerFixture.start(vertx, BrokerFixture.config()).compose(f -> {
      MqttClient first = f.manualAckClient("platform", false);
      MqttClient second = f.manualAckClient("platform", false);
      MqttClient pub = f.publisher("pub");
      pub.publishCompletionHandler(id -> ctx.verify(() -> {
        assertThat(redeliveryAcked).as("PUBACK before the redelivery was acked").isTrue();
        ctx.completeNow();
      }));
      second.publishHandler(message -> ctx.verify(() -> {
        assertThat(message.payload().toString()).isEqualTo("keep-me");
        assertThat(message.isDup()).isTrue();
        redeliveryAcked.set(true);
        message.ack();
      }));
      first.publishHandler(message -> ctx.verify(() -> {
        assertThat(message.isDup()).isFalse();
        // Leave without acking: the broker must keep the message for this session.
        first.disconnect()
            .compose(v -> {
              Future<Void> pause = Future.future(p -> vertx.setTimer(300, t -> p.complete()));
              return pause;
            })
            .compose(v -> {
              ctx.verify(() -> assertThat(f.broker.stats().inflightNow()).isEqualTo(1));
              return f.connect(second);
            })
            .onFailure(ctx::failNow);
      }));
      return f.connectAndSubscribe(first, "dev/#", 1)
          .compose(v -> f.connect(pub))
          .compose(c -> pub.publish("dev/1", Buffer.buffer("keep-me"), AT_LEAST_ONCE, false, false));
    }).onFailure(ctx::failNow);
  }

  @Test
  void verifiesThatInflightWindowIsNeverExceededAndOrderIsKept(Vertx vertx, VertxTestContext ctx) {
    int count = 50;
    AtomicInteger outstanding = new AtomicInteger();
    AtomicInteger maxOutstanding = new AtomicInteger();
    AtomicInteger pubacks = new AtomicInteger();
    List<String> payloads = Collections.synchronizedList(new ArrayList<>());
    BrokerConfig config = BrokerFixture.config().withMaxInflightPerSession(5);
    BrokerFixture.start(vertx, config).compose(f -> {
      MqttClient sub = f.manualAckClient("sub", true);
      MqttClient pub = f.publisher("pub");
      sub.publishHandler(message -> {
        maxOutstanding.accumulateAndGet(outstanding.incrementAndGet(), Math::max);
        payloads.add(message.payload().toString());
        vertx.setTimer(5, t -> {
          outstanding.decrementAndGet();
          message.ack();
        });
      });
      pub.publishCompletionHandler(id -> {
        if (pubacks.incrementAndGet() == count) {
          ctx.verify(() -> {
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < count; i++) {
              expected.add("m-" + i);
            }
            assertThat(payloads).containsExactlyElementsOf(expected);
            assertThat(maxOutstanding.get()).isEqualTo(5);
            assertThat(f.broker.stats().acked()).isEqualTo(count);
            ctx.completeNow();
          });
        }
      });
      return f.connectAndSubscribe(sub, "q/#", 1)
          .compose(v -> f.connect(pub))
          .compose(c -> BrokerFixture.publishNumbered(pub, "q/1", count));
    }).onFailure(ctx::failNow);
  }

  @Test
  void verifiesThatWildcardsFollowTheMqttRules(Vertx vertx, VertxTestContext ctx) {
    Map<String, List<String>> expected = Map.of(
        "a/+/c", List.of("a/x/c", "a/b/c"),
        "a/#", List.of("a/x/c", "a/b", "a", "a/b/c"),
        "+/b/#", List.of("a/b", "x/b/y", "a/b/c"),
        "#", List.of("a/x/c", "a/b", "x/b/y", "a", "a/b/c"),
        "$SYS/#", List.of("$SYS/load", "$SYS/end"));
    List<String> published = List.of("a/x/c", "a/b", "x/b/y", "$SYS/load", "a", "a/b/c", "$SYS/end");
    Checkpoint done = ctx.checkpoint(expected.size());
    BrokerFixture.start(vertx, BrokerFixture.config()).compose(f -> {
      Future<Void> subscribed = Future.succeededFuture();
      for (Map.Entry<String, List<String>> entry : expected.entrySet()) {
        MqttClient sub = f.publisher("sub-" + entry.getKey().hashCode());
        List<String> topics = Collections.synchronizedList(new ArrayList<>());
        String last = entry.getValue().get(entry.getValue().size() - 1);
        sub.publishHandler(message -> {
          topics.add(message.topicName());
          if (message.topicName().equals(last)) {
            ctx.verify(() -> assertThat(topics).as(entry.getKey()).containsExactlyElementsOf(entry.getValue()));
            done.flag();
          }
        });
        subscribed = subscribed.compose(v -> f.connect(sub))
            .compose(c -> BrokerFixture.subscribe(sub, entry.getKey(), 1));
      }
      MqttClient pub = f.publisher("pub");
      return subscribed.compose(v -> f.connect(pub)).compose(c -> {
        for (String topic : published) {
          pub.publish(topic, Buffer.buffer(topic), AT_LEAST_ONCE, false, false);
        }
        return Future.succeededFuture();
      });
    }).onFailure(ctx::failNow);
  }

  @Test
  void verifiesThatSharedSubscriptionSplitsMessagesWithoutDuplicates(Vertx vertx, VertxTestContext ctx) {
    int count = 100;
    Map<String, String> receivedBy = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> perMember = new ConcurrentHashMap<>();
    BrokerFixture.start(vertx, BrokerFixture.config()).compose(f -> {
      Future<Void> subscribed = Future.succeededFuture();
      for (String member : List.of("instance-a", "instance-b")) {
        MqttClient sub = f.publisher(member);
        perMember.put(member, new AtomicInteger());
        sub.publishHandler(message -> {
          String previous = receivedBy.putIfAbsent(message.payload().toString(), member);
          ctx.verify(() -> assertThat(previous).as("duplicate of %s", message.payload()).isNull());
          perMember.get(member).incrementAndGet();
          if (receivedBy.size() == count) {
            ctx.verify(() -> {
              assertThat(perMember.get("instance-a").get()).isEqualTo(count / 2);
              assertThat(perMember.get("instance-b").get()).isEqualTo(count / 2);
            });
            ctx.completeNow();
          }
        });
        subscribed = subscribed.compose(v -> f.connectAndSubscribe(sub, "$share/ingest/data/#", 1));
      }
      MqttClient pub = f.publisher("pub");
      return subscribed.compose(v -> f.connect(pub)).compose(c -> {
        for (int i = 0; i < count; i++) {
          pub.publish("data/" + (i % 7), Buffer.buffer("m-" + i), AT_LEAST_ONCE, false, false);
        }
        return Future.succeededFuture();
      });
    }).onFailure(ctx::failNow);
  }

  @Test
  void verifiesThatSharedDeliveriesOfADepartedMemberGoToTheOtherMembers(Vertx vertx, VertxTestContext ctx) {
    int count = 10;
    Map<String, Boolean> ackedByB = new ConcurrentHashMap<>();
    AtomicInteger receivedByA = new AtomicInteger();
    AtomicInteger pubacks = new AtomicInteger();
    BrokerFixture.start(vertx, BrokerFixture.config()).compose(f -> {
      MqttClient a = f.manualAckClient("instance-a", false);
      MqttClient b = f.manualAckClient("instance-b", false);
      MqttClient pub = f.publisher("pub");
      // Instance A takes its share but never acknowledges, then goes away for good.
      a.publishHandler(message -> {
        if (receivedByA.incrementAndGet() == count / 2) {
          a.disconnect();
        }
      });
      b.publishHandler(message -> {
        ackedByB.put(message.payload().toString(), Boolean.TRUE);
        message.ack();
      });
      pub.publishCompletionHandler(id -> {
        if (pubacks.incrementAndGet() == count) {
          ctx.verify(() -> {
            assertThat(ackedByB).hasSize(count);
            assertThat(f.broker.stats().inflightNow()).isZero();
            ctx.completeNow();
          });
        }
      });
      return f.connectAndSubscribe(a, "$share/ingest/data/#", 1)
          .compose(v -> f.connectAndSubscribe(b, "$share/ingest/data/#", 1))
          .compose(v -> f.connect(pub))
          .compose(c -> BrokerFixture.publishNumbered(pub, "data/1", count));
    }).onFailure(ctx::failNow);
  }

  @Test
  void verifiesThatQos2PublishIsDeliveredAsQos1AndCompletedAfterTheSubscriberAcked(Vertx vertx,
      VertxTestContext ctx) {
    AtomicBoolean subscriberAcked = new AtomicBoolean();
    BrokerFixture.start(vertx, BrokerFixture.config()).compose(f -> {
      MqttClient sub = f.manualAckClient("sub", true);
      MqttClient pub = f.publisher("pub");
      sub.publishHandler(message -> vertx.setTimer(300, t -> ctx.verify(() -> {
        assertThat(message.qosLevel()).isEqualTo(AT_LEAST_ONCE);
        subscriberAcked.set(true);
        message.ack();
      })));
      // For QoS 2 the vertx client reports completion on PUBCOMP, after PUBREC and PUBREL.
      pub.publishCompletionHandler(id -> ctx.verify(() -> {
        assertThat(subscriberAcked).isTrue();
        ctx.completeNow();
      }));
      return f.connectAndSubscribe(sub, "dev/#", 2)
          .compose(v -> f.connect(pub))
          .compose(c -> pub.publish("dev/1", Buffer.buffer("x"), MqttQoS.EXACTLY_ONCE, false, false));
    }).onFailure(ctx::failNow);
  }

  @Test
  void verifiesThatCleanSessionSubscriberLeavingReleasesThePublisher(Vertx vertx, VertxTestContext ctx) {
    AtomicBoolean subscriberGone = new AtomicBoolean();
    BrokerFixture.start(vertx, BrokerFixture.config()).compose(f -> {
      MqttClient sub = f.manualAckClient("sub", true);
      MqttClient pub = f.publisher("pub");
      sub.publishHandler(message -> sub.disconnect().onSuccess(v -> subscriberGone.set(true)));
      pub.publishCompletionHandler(id -> ctx.verify(() -> {
        assertThat(subscriberGone).isTrue();
        assertThat(f.broker.stats().acked()).isZero();
        ctx.completeNow();
      }));
      return f.connectAndSubscribe(sub, "dev/#", 1)
          .compose(v -> f.connect(pub))
          .compose(c -> pub.publish("dev/1", Buffer.buffer("x"), AT_LEAST_ONCE, false, false));
    }).onFailure(ctx::failNow);
  }

  @Test
  void verifiesThatSubscriberNotAckingWithinTheTimeoutIsDisconnected(Vertx vertx, VertxTestContext ctx) {
    BrokerConfig config = BrokerFixture.config().withAckTimeout(Duration.ofMillis(300));
    BrokerFixture.start(vertx, config).compose(f -> {
      MqttClient sub = f.manualAckClient("stuck", false);
      MqttClient pub = f.publisher("pub");
      sub.closeHandler(v -> ctx.verify(() -> {
        BrokerStats stats = f.broker.stats();
        assertThat(stats.ackTimeouts()).isEqualTo(1);
        assertThat(stats.inflightNow()).as("kept for redelivery").isEqualTo(1);
        ctx.completeNow();
      }));
      return f.connectAndSubscribe(sub, "dev/#", 1)
          .compose(v -> f.connect(pub))
          .compose(c -> pub.publish("dev/1", Buffer.buffer("x"), AT_LEAST_ONCE, false, false));
    }).onFailure(ctx::failNow);
  }

  @Test
  void verifiesThatEmptyClientIdIsAcceptedOnlyForACleanSession(Vertx vertx, VertxTestContext ctx) {
    BrokerFixture.start(vertx, BrokerFixture.config()).compose(f -> {
      MqttClientOptions anonymous = new MqttClientOptions().setClientId("").setAutoGeneratedClientId(false);
      MqttClient clean = MqttClient.create(vertx, new MqttClientOptions(anonymous).setCleanSession(true));
      MqttClient persistent = MqttClient.create(vertx, new MqttClientOptions(anonymous).setCleanSession(false));
      return f.connect(clean)
          .compose(c -> f.connect(persistent)
              .map(p -> Boolean.TRUE)
              .recover(refused -> Future.succeededFuture(Boolean.FALSE)))
          .onSuccess(persistentAccepted -> ctx.verify(() -> {
            assertThat(persistentAccepted).isFalse();
            assertThat(f.broker.stats().connectionsNow()).isEqualTo(1);
            ctx.completeNow();
          }));
    }).onFailure(ctx::failNow);
  }

  @Test
  void verifiesThatTwoBrokersInOneJvmAreIndependent(Vertx vertx, VertxTestContext ctx) {
    Future.all(BrokerFixture.start(vertx, BrokerFixture.config()), BrokerFixture.start(vertx, BrokerFixture.config()))
        .compose(both -> {
          BrokerFixture first = both.resultAt(0);
          BrokerFixture second = both.resultAt(1);
          MqttClient pub = first.publisher("same-id");
          MqttClient other = second.publisher("same-id");
          Future<Void> pubacked = Future.future(p -> pub.publishCompletionHandler(id -> p.tryComplete()));
          return first.connect(pub)
              .compose(c -> second.connect(other))
              .compose(c -> pub.publish("dev/1", Buffer.buffer("x"), AT_LEAST_ONCE, false, false))
              .compose(id -> pubacked)
              .onSuccess(v -> ctx.verify(() -> {
                assertThat(first.port()).isNotEqualTo(second.port());
                assertThat(pub.isConnected()).as("no takeover across brokers").isTrue();
                assertThat(first.broker.stats().messagesIn()).isEqualTo(1);
                assertThat(second.broker.stats().messagesIn()).isZero();
                ctx.completeNow();
              }));
        }).onFailure(ctx::failNow);
  }

  @Test
  void verifiesThatOversizePublishDisconnectsThePublisher(Vertx vertx, VertxTestContext ctx) {
    BrokerConfig config = BrokerFixture.config().withMaxMessageBytes(1024);
    BrokerFixture.start(vertx, config).compose(f -> {
      MqttClient pub = f.publisher("big");
      pub.closeHandler(v -> ctx.verify(() -> {
        assertThat(f.broker.stats().oversize()).isEqualTo(1);
        assertThat(f.broker.stats().messagesIn()).isZero();
        ctx.completeNow();
      }));
      return f.connect(pub)
          .compose(c -> pub.publish("dev/1", Buffer.buffer(new byte[1025]), AT_MOST_ONCE, false, false));
    }).onFailure(ctx::failNow);
  }

  @Test
  void verifiesThatPacketBeyondTheDecoderLimitDisconnectsThePublisher(Vertx vertx, VertxTestContext ctx) {
    BrokerConfig config = BrokerFixture.config().withMaxMessageBytes(1024);
    BrokerFixture.start(vertx, config).compose(f -> {
      MqttClient pub = f.publisher("huge");
      pub.closeHandler(v -> vertx.setTimer(100, t -> ctx.verify(() -> {
        assertThat(f.broker.stats().oversize()).isEqualTo(1);
        ctx.completeNow();
      })));
      // The broker may cut the connection while the packet is still being written: a failed write is expected.
      return f.connect(pub)
          .compose(c -> pub.publish("dev/1", Buffer.buffer(new byte[512 * 1024]), AT_MOST_ONCE, false, false)
              .recover(writeCut -> Future.succeededFuture()));
    }).onFailure(ctx::failNow);
  }

  /** Either bound, the count or the payload bytes (three 3-byte payloads), ends the queue. */
  @ParameterizedTest
  @ValueSource(strings = {"messages", "bytes"})
  void verifiesThatFullQueueDisconnectsThePublisherInsteadOfDropping(String bound, Vertx vertx, VertxTestContext ctx) {
    BrokerConfig config = bound.equals("messages")
        ? BrokerFixture.config().withMaxInflightPerSession(1).withMaxQueuedPerSession(3)
        : BrokerFixture.config().withMaxInflightPerSession(1).withMaxQueuedBytesPerSession(9);
    BrokerFixture.start(vertx, config).compose(f -> {
      MqttClient sub = f.manualAckClient("slow", false);
      MqttClient pub = f.publisher("pub");
      pub.closeHandler(v -> vertx.setTimer(100, t -> ctx.verify(() -> {
        BrokerStats stats = f.broker.stats();
        assertThat(stats.overflows()).isEqualTo(1);
        assertThat(stats.inflightNow()).isEqualTo(1);
        assertThat(stats.queuedNow()).isEqualTo(3);
        assertThat(stats.messagesIn()).isEqualTo(4);
        ctx.completeNow();
      })));
      return f.connectAndSubscribe(sub, "dev/#", 1)
          .compose(v -> f.connect(pub))
          .compose(c -> BrokerFixture.publishNumbered(pub, "dev/1", 10));
    }).onFailure(ctx::failNow);
  }

  @Test
  void verifiesThatPublisherCanDeliverAgainOnceTheFullQueueDrained(Vertx vertx, VertxTestContext ctx) {
    BrokerConfig config = BrokerFixture.config().withMaxInflightPerSession(1).withMaxQueuedPerSession(3);
    List<String> received = Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean acking = new AtomicBoolean();
    List<io.vertx.mqtt.messages.MqttPublishMessage> held = Collections.synchronizedList(new ArrayList<>());
    BrokerFixture.start(vertx, config).compose(f -> {
      MqttClient sub = f.manualAckClient("slow", false);
      MqttClient pub = f.publisher("device");
      MqttClient retry = f.publisher("device");
      sub.publishHandler(message -> {
        received.add(message.payload().toString());
        if (acking.get()) {
          message.ack();
        } else {
          held.add(message);
        }
      });
      retry.publishCompletionHandler(id -> ctx.verify(() -> {
        assertThat(received).containsExactly("m-0", "m-1", "m-2", "m-3", "after");
        assertThat(f.broker.stats().overflows()).isEqualTo(1);
        ctx.completeNow();
      }));
      // Disconnected for the overflow: the subscriber catches up, the device comes back.
      pub.closeHandler(v -> {
        acking.set(true);
        held.forEach(io.vertx.mqtt.messages.MqttPublishMessage::ack);
        f.connect(retry)
            .compose(c -> retry.publish("dev/1", Buffer.buffer("after"), AT_LEAST_ONCE, false, false))
            .onFailure(ctx::failNow);
      });
      return f.connectAndSubscribe(sub, "dev/#", 1)
          .compose(v -> f.connect(pub))
          .compose(c -> BrokerFixture.publishNumbered(pub, "dev/1", 10));
    }).onFailure(ctx::failNow);
  }

  @Test
  void verifiesThatNewConnectionWithSameClientIdTakesOver(Vertx vertx, VertxTestContext ctx) {
    BrokerFixture.start(vertx, BrokerFixture.config()).compose(f -> {
      MqttClient first = f.publisher("device-7");
      MqttClient second = f.publisher("device-7");
      first.closeHandler(v -> vertx.setTimer(100, t -> ctx.verify(() -> {
        assertThat(second.isConnected()).isTrue();
        assertThat(f.broker.stats().connectionsNow()).isEqualTo(1);
        ctx.completeNow();
      })));
      return f.connect(first).compose(c -> f.connect(second));
    }).onFailure(ctx::failNow);
  }

  @Test
  void verifiesThatRetainedMessageIsDeliveredToLaterSubscriber(Vertx vertx, VertxTestContext ctx) {
    BrokerFixture.start(vertx, BrokerFixture.config()).compose(f -> {
      MqttClient pub = f.publisher("pub");
      MqttClient sub = f.publisher("sub");
      sub.publishHandler(message -> ctx.verify(() -> {
        assertThat(message.topicName()).isEqualTo("cfg/device-1");
        assertThat(message.payload().toString()).isEqualTo("v2");
        assertThat(message.isRetain()).isTrue();
        ctx.completeNow();
      }));
      Future<Void> pubacked = Future.future(p -> pub.publishCompletionHandler(id -> p.tryComplete()));
      return f.connect(pub)
          .compose(c -> pub.publish("cfg/device-1", Buffer.buffer("v2"), AT_LEAST_ONCE, false, true))
          .compose(id -> pubacked)
          .compose(v -> f.connectAndSubscribe(sub, "cfg/#", 1));
    }).onFailure(ctx::failNow);
  }

  @Test
  void verifiesThatAuthorizerCanRefuseAPublish(Vertx vertx, VertxTestContext ctx) {
    BrokerAuthorizer authorizer = new BrokerAuthorizer() {
      @Override
      public boolean mayPublish(String clientId, String topic) {
        return !topic.startsWith("admin/");
      }
    };
    BrokerFixture.start(vertx, BrokerFixture.config(), authorizer).compose(f -> {
      MqttClient pub = f.publisher("intruder");
      pub.closeHandler(v -> ctx.verify(() -> {
        assertThat(f.broker.stats().denied()).isEqualTo(1);
        ctx.completeNow();
      }));
      return f.connect(pub)
          .compose(c -> pub.publish("admin/reset", Buffer.buffer("x"), AT_LEAST_ONCE, false, false));
    }).onFailure(ctx::failNow);
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void verifiesThatBacklogOf20000MessagesReachesSlowSubscriberWithoutLoss(Vertx vertx, VertxTestContext ctx) {
    int count = 20_000;
    Map<String, Boolean> received = new ConcurrentHashMap<>();
    AtomicInteger pubacks = new AtomicInteger();
    List<io.vertx.mqtt.messages.MqttPublishMessage> unacked = Collections.synchronizedList(new ArrayList<>());
    BrokerConfig config = BrokerFixture.config().withMaxInflightPerSession(100);
    BrokerFixture.start(vertx, config).compose(f -> {
      MqttClient sub = f.manualAckClient("platform", false);
      MqttClient pub = f.publisher("device");
      sub.publishHandler(message -> {
        received.put(message.payload().toString(), Boolean.TRUE);
        unacked.add(message);
      });
      // A slow consumer: acknowledges what it has, in batches, every 10 ms.
      vertx.setPeriodic(10, t -> {
        List<io.vertx.mqtt.messages.MqttPublishMessage> batch;
        synchronized (unacked) {
          batch = new ArrayList<>(unacked);
          unacked.clear();
        }
        batch.forEach(io.vertx.mqtt.messages.MqttPublishMessage::ack);
      });
      pub.publishCompletionHandler(id -> {
        if (pubacks.incrementAndGet() == count) {
          vertx.setTimer(100, t -> ctx.verify(() -> {
            assertThat(received).hasSize(count);
            BrokerStats stats = f.broker.stats();
            assertThat(stats.acked()).isEqualTo(count);
            assertThat(stats.inflightNow()).isZero();
            assertThat(stats.queuedNow()).isZero();
            ctx.completeNow();
          }));
        }
      });
      return f.connectAndSubscribe(sub, "telemetry/#", 1)
          .compose(v -> f.connect(pub))
          .compose(c -> BrokerFixture.publishNumbered(pub, "telemetry/device", count));
    }).onFailure(ctx::failNow);
  }
}
