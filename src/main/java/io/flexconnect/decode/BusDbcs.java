package io.flexconnect.decode;

import io.flexconnect.dbc.CompiledMessage;
import io.flexconnect.dbc.DbcDecoder;
import java.util.List;
import java.util.Map;

/**
 * Which DBC decodes a frame on which bus. A bus with files of its own ({@code --dbc BUS=FILE}) uses
 * only those; every other bus uses the all-bus files ({@code --dbc FILE}). Within a list the first
 * file that knows the ID wins, so files are searched in the order given.
 */
final class BusDbcs {

  private final List<DbcDecoder> allBuses;
  private final Map<Integer, List<DbcDecoder>> perBus;

  BusDbcs(List<DbcDecoder> allBuses, Map<Integer, List<DbcDecoder>> perBus) {
    this.allBuses = List.copyOf(allBuses);
    this.perBus = Map.copyOf(perBus);
  }

  /** The message for a frame, or null when no DBC of that bus knows the ID. */
  CompiledMessage find(int bus, int canId, boolean extended) {
    for (DbcDecoder decoder : perBus.getOrDefault(bus, allBuses)) {
      CompiledMessage m = decoder.find(canId, extended);
      if (m != null) {
        return m;
      }
    }
    return null;
  }
}
