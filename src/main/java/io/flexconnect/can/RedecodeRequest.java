package io.flexconnect.can;

import io.flexconnect.can.CanConfig.DbcMapping;
import java.util.List;

/**
 * Decode a device's stored binary messages in [fromMs, toMs) again and replace the CAN-derived
 * rows of that range.
 *
 * @param dbc the files to decode with ({@code devices} is ignored; {@code bus} null = every bus);
 *     empty = the device's configured mapping
 */
public record RedecodeRequest(String deviceId, long fromMs, long toMs, List<DbcMapping> dbc) {
  public RedecodeRequest {
    dbc = List.copyOf(dbc);
  }
}
