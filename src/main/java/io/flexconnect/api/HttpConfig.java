package io.flexconnect.api;

import io.flexconnect.common.Checks;
import io.flexconnect.common.ConfigException;
import java.util.List;

/**
 * The REST/WebSocket listener.
 *
 * @param maxRowsPerResponse hard cap on rows one query returns (also on a stream replay)
 * @param streamQueueBytes write queue of one live-stream client; beyond it points are dropped and
 *     the client is told how many it missed
 * @param corsOrigins origins whose browser front ends may call the API ({@code https://app.example.com});
 *     empty = no cross-origin access
 */
public record HttpConfig(String host, int port, int maxRowsPerResponse, int streamQueueBytes, List<String> corsOrigins) {

  public HttpConfig {
    corsOrigins = List.copyOf(corsOrigins);
  }

  public void validate() {
    Checks.notBlank("http.host", host);
    Checks.port("http.port", port);
    Checks.positive("http.maxRowsPerResponse", maxRowsPerResponse);
    Checks.positive("http.streamQueueBytes", streamQueueBytes);
    for (String origin : corsOrigins) {
      if (!origin.matches("https?://[^/\\s]+")) {
        throw new ConfigException(
            "http.corsOrigins: '" + origin + "' is not an origin such as https://app.example.com");
      }
    }
  }
}
