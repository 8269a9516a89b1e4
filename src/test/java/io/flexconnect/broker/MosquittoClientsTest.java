package io.flexconnect.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The broker against Mosquitto's command-line clients: real third-party MQTT 3.1.1 clients. */
@ExtendWith(VertxExtension.class)
class MosquittoClientsTest {

  /** What the blocking part observed, checked back on the test thread. */
  record Outcome(List<String> received, boolean publisherWaitedForSubscriber, int publisherExit) {
  }

  @BeforeAll
  static void quietPacketLogs() {
    BrokerFixture.quietPacketLogs();
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void verifiesThatMosquittoPublisherIsAckedOnlyOnceThePersistentSubscriberCameBack(Vertx vertx,
      VertxTestContext ctx) {
    BrokerFixture.start(vertx, BrokerFixture.config())
        // Processes are waited for: never on the event loop.
        .compose(f -> vertx.executeBlocking(() -> exchange(f.port())))
        .onComplete(ctx.succeeding(outcome -> ctx.verify(() -> {
          assertThat(outcome.received()).containsExactly("mq/1 one", "mq/1 two", "mq/1 three");
          assertThat(outcome.publisherWaitedForSubscriber()).isTrue();
          assertThat(outcome.publisherExit()).isZero();
          ctx.completeNow();
        })));
  }

  private static Outcome exchange(int port) throws Exception {
    String p = String.valueOf(port);
    // Create the persistent session with its subscription, then leave.
    Process register = start("mosquitto_sub", "-V", "mqttv311", "-h", "127.0.0.1", "-p", p,
        "-c", "-i", "mq-platform", "-q", "1", "-t", "mq/#", "-E");
    assertThat(register.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(register.exitValue()).isZero();

    Path lines = Files.createTempFile("mq-lines", ".txt");
    Files.writeString(lines, "one\ntwo\nthree\n");
    Process publisher = new ProcessBuilder("mosquitto_pub", "-V", "mqttv311", "-h", "127.0.0.1", "-p", p,
        "-i", "mq-device", "-q", "1", "-t", "mq/1", "-l")
        .redirectInput(lines.toFile())
        .redirectErrorStream(true)
        .start();
    // Ack-through: with the subscriber away, the device must still be holding its messages.
    boolean exitedEarly = publisher.waitFor(1, TimeUnit.SECONDS);

    Path output = Files.createTempFile("mq-received", ".txt");
    Process subscriber = new ProcessBuilder("mosquitto_sub", "-V", "mqttv311", "-h", "127.0.0.1", "-p", p,
        "-c", "-i", "mq-platform", "-q", "1", "-t", "mq/#", "-v")
        .redirectOutput(output.toFile())
        .start();
    // The device finishes only once the subscriber acknowledged all three (mosquitto_sub -C would
    // leave before acknowledging the last one, so it is stopped from here instead).
    boolean publisherDone = publisher.waitFor(20, TimeUnit.SECONDS);
    subscriber.destroy();
    assertThat(subscriber.waitFor(10, TimeUnit.SECONDS)).isTrue();
    String printed = Files.readString(output).strip();
    List<String> received = printed.isEmpty() ? List.of() : List.of(printed.split("\n"));
    assertThat(publisherDone).as("mosquitto_pub finished").isTrue();
    Files.deleteIfExists(lines);
    Files.deleteIfExists(output);
    return new Outcome(received, !exitedEarly, publisher.exitValue());
  }

  private static Process start(String... command) throws IOException {
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }
}
