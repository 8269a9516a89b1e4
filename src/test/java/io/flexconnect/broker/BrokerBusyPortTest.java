package io.flexconnect.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A broker whose port another process holds says which setting and address are taken. */
class BrokerBusyPortTest {

  @Test
  void verifiesThatAStartOnABusyPortNamesTheSettingAndAddress() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      EmbeddedBrokerVerticle broker = new EmbeddedBrokerVerticle(BrokerConfig.defaults().withPort(port));

      Throwable failure = null;
      try {
        vertx.deployVerticle(broker).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        failure = e.getCause();
      }

      assertThat(failure).isNotNull();
      assertThat(failure.getMessage()).startsWith("broker.port " + port + " on 127.0.0.1 is in use");
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
