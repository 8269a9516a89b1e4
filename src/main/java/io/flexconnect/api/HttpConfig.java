package io.flexconnect.api;

import io.flexconnect.app.Checks;

/**
 * The REST/WebSocket listener.
 *
 * @param maxRowsPerResponse hard cap on rows one query returns
 */
public record HttpConfig(String host, int port, int maxRowsPerResponse) {
  public void validate() {
    Checks.notBlank("http.host", host);
    Checks.port("http.port", port);
    Checks.positive("http.maxRowsPerResponse", maxRowsPerResponse);
  }
}
