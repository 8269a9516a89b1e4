package io.flexconnect.app;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flexconnect.testing.Mosquitto;
import io.flexconnect.testing.PlatformFixture;
import io.flexconnect.testing.TestDatabase;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A platform whose port another process holds says which setting and address are taken. */
class BusyPortTest {

  @Test
  void verifiesThatAStartOnABusyHttpPortNamesTheSettingAndAddress() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        Mosquitto broker = Mosquitto.start()) {
      int port = taken.getLocalPort();

      assertThatThrownBy(() -> PlatformFixture.start("busy_port", broker, TestDatabase.newDatabase("busy_port"),
          Map.of("FLEXCONNECT_HTTP_PORT", String.valueOf(port))))
          .hasStackTraceContaining("http.port " + port + " on 127.0.0.1 is in use");
    }
  }
}
