package io.flexconnect.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexconnect.app.Codecs;
import io.flexconnect.testing.Await;
import io.flexconnect.testing.ListenPorts;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real members (Hazelcast, the clustered event bus) in one JVM, each with its {@link ClusterVerticle};
 * taking over a session deploys a stand-in for the MQTT subscription, which the composition root
 * gives in production. What is checked is who takes over which departed instance's session.
 */
class SessionTakeoverTest {
  private final String group = "takeover-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
  private final List<Integer> ports = new ArrayList<>();
  private final List<ClusterNode> nodes = new ArrayList<>();
  /** "member instance:taken-over instance" while the stand-in subscription runs. */
  private final Set<String> subscriptions = ConcurrentHashMap.newKeySet();

  @AfterEach
  void leave() {
    for (ClusterNode node : nodes) {
      try {
        Await.result(node.vertx().close());
      } catch (RuntimeException alreadyClosed) {
        // closed by the test
      }
    }
  }

  private ClusterNode join(String instance) throws IOException {
    ports.add(ListenPorts.free());
    List<String> members = ports.stream().map(p -> "127.0.0.1:" + p).toList();
    ClusterConfig config = new ClusterConfig(true, instance, members, "127.0.0.1", ports.get(ports.size() - 1), 0,
        group, 64, 10_000);
    ClusterNode node = Await.result(ClusterNode.join(config, instance));
    nodes.add(node);
    Codecs.register(node.vertx().eventBus()); // as the composition root does
    ClusterVerticle.SessionAdopter adopter = departed -> new VerticleBase() {
      @Override
      public Future<?> start() {
        subscriptions.add(instance + ":" + departed);
        return Future.succeededFuture();
      }

      @Override
      public Future<?> stop() {
        subscriptions.remove(instance + ":" + departed);
        return Future.succeededFuture();
      }
    };
    Await.result(node.vertx().deployVerticle(new ClusterVerticle(config, node, 1, new SimpleMeterRegistry(),
        new ClusterVerticle.AlertFanOut("test.alerts.raised", "test.alerts.elsewhere"), adopter)));
    return node;
  }

  private static JsonObject status(ClusterNode node) {
    return Await.result(node.vertx().eventBus().<JsonObject>request(ClusterAddresses.STATUS, "")).body();
  }

  private static void awaitMembers(ClusterNode node, int count) {
    Await.until(count + " members seen by " + node.instance(), Duration.ofSeconds(30),
        () -> status(node).getJsonArray("members").size() == count ? true : null);
  }

  @Test
  void verifiesThatAMemberThatJoinedAfterAnInstanceDiedTakesOverItsSessionWhenTheHolderDiesToo() throws Exception {
    ClusterNode a = join("pa");
    ClusterNode b = join("pb");
    awaitMembers(a, 2);
    awaitMembers(b, 2);

    Await.result(a.vertx().close());
    Await.until("pb serving the session of pa", Duration.ofSeconds(30),
        () -> subscriptions.equals(Set.of("pb:pa")) ? true : null);

    ClusterNode c = join("pc"); // never a member together with pa
    awaitMembers(c, 2);
    Await.result(b.vertx().close());

    Await.until("pc serving the sessions of pa and pb", Duration.ofSeconds(30),
        () -> subscriptions.equals(Set.of("pc:pa", "pc:pb")) ? true : null);
    assertThat(status(c).getJsonArray("sessions_taken_over").getList()).containsExactlyInAnyOrder("pa", "pb");
  }

  @Test
  void verifiesThatAnInstanceThatComesBackHasItsSessionBack() throws Exception {
    ClusterNode a = join("pa");
    ClusterNode b = join("pb");
    awaitMembers(b, 2);
    Await.result(a.vertx().close());
    Await.until("pb serving the session of pa", Duration.ofSeconds(30),
        () -> subscriptions.equals(Set.of("pb:pa")) ? true : null);

    join("pa"); // the replacement takes the dead instance's name
    Await.until("the session of pa given back", Duration.ofSeconds(30),
        () -> subscriptions.isEmpty() ? true : null);
    assertThat(status(b).getJsonArray("sessions_taken_over").getList()).isEmpty();
  }
}
