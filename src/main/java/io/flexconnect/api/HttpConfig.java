package io.flexconnect.api;

import io.flexconnect.app.Checks;

/**
 * The REST/WebSocket listener.
 *
 * @param maxRowsPerResponse hard cap on rows one query returns (also on a stream replay)
 * @param streamQueueBytes write queue of one live-stream client; beyond it points are dropped and
 *     the client is told how many it missed
 */
public record HttpConfig(String host, int port, int maxRowsPerResponse, int streamQueueBytes) {
  public void validate() {
    Checks.notBlank("http.host", host);
    Checks.port("http.port", port);
    Checks.positive("http.maxRowsPerResponse", maxRowsPerResponse);
    Checks.positive("http.streamQueueBytes", streamQueueBytes);
  }
}
