package io.flexconnect.dbc;

import java.util.List;
import java.util.Map;

/**
 * A message ({@code BO_}).
 *
 * @param frameId the 11- or 29-bit identifier, without flag bits
 * @param extended true for a 29-bit identifier
 * @param length the declared length in bytes (DLC as a byte count, up to 64 for CAN FD)
 * @param fd true when {@code VFrameFormat} says CAN FD or the length exceeds 8
 * @param j1939 true when the message is a J1939 parameter group (see {@code docs/dbc.md})
 * @param cycleTimeMs {@code GenMsgCycleTime} (or its default), or null
 */
public record DbcMessage(int frameId, boolean extended, String name, int length, String sender,
    List<String> transmitters, List<DbcSignal> signals, String comment, Map<String, Object> attributes,
    boolean fd, boolean j1939, Integer cycleTimeMs) {

  /** Bit 31 marks an extended identifier, as in the DBC file and in {@link DbcDecoder}. */
  public static final int EXTENDED_FLAG = 0x80000000;

  public DbcMessage {
    transmitters = List.copyOf(transmitters);
    signals = List.copyOf(signals);
    attributes = Map.copyOf(attributes);
  }

  /** The identifier as a DBC file writes it: bit 31 set for an extended identifier. */
  public int dbcId() {
    return extended ? frameId | EXTENDED_FLAG : frameId;
  }

  /** The signal with that name, or null. */
  public DbcSignal signal(String signalName) {
    for (DbcSignal s : signals) {
      if (s.name().equals(signalName)) {
        return s;
      }
    }
    return null;
  }
}
