package io.flexconnect.dbc;

import java.util.List;
import java.util.Map;

/**
 * A signal of a message: its geometry, its conversion and its multiplexing.
 *
 * @param multiplexer true when other signals depend on this one's value ({@code M} or {@code mNM})
 * @param muxCondition when this signal is present; null for a signal present in every frame
 * @param comment the {@code CM_ SG_} text, or null
 */
public record DbcSignal(String name, DbcLayout layout, DbcConversion conversion, List<String> receivers,
    boolean multiplexer, DbcMuxCondition muxCondition, String comment, Map<String, Object> attributes) {

  public DbcSignal {
    receivers = List.copyOf(receivers);
    attributes = Map.copyOf(attributes);
  }

  public String unit() {
    return conversion.unit();
  }
}
