package io.flexconnect.dbc;

import java.util.Map;

/** A node ({@code BU_}) with its comment (or null) and attributes. */
public record DbcNode(String name, String comment, Map<String, Object> attributes) {

  public DbcNode {
    attributes = Map.copyOf(attributes);
  }
}
