package io.flexconnect.can;

import io.flexconnect.common.Checks;
import io.flexconnect.common.ConfigException;
import java.util.List;

/**
 * Binary CAN ingestion: which DBC decodes which device's buses, and what is kept besides the
 * decoded signals.
 *
 * @param dbcDir folder the mapping's file names are relative to
 * @param dbcMappings first match wins, in the order listed
 * @param storeRaw keep every binary message (its points, compactly) so a device's history can be
 *     decoded again with a newer DBC
 * @param storeUnknown store frames no DBC knows as rows {@code raw.<bus>.<id in hex>} holding the
 *     data in hex
 * @param maxPointsPerMessage bound on points in one binary message
 * @param maxReadingsPerPoint bound on readings in one point
 */
public record CanConfig(
    String dbcDir,
    List<DbcMapping> dbcMappings,
    boolean storeRaw,
    boolean storeUnknown,
    int maxPointsPerMessage,
    int maxReadingsPerPoint) {

  public CanConfig {
    dbcMappings = List.copyOf(dbcMappings);
  }

  public void validate() {
    Checks.notBlank("can.dbcDir", dbcDir);
    Checks.positive("can.maxPointsPerMessage", maxPointsPerMessage);
    Checks.positive("can.maxReadingsPerPoint", maxReadingsPerPoint);
    for (int i = 0; i < dbcMappings.size(); i++) {
      DbcMapping m = dbcMappings.get(i);
      String where = "can.dbcMappings[" + i + "]";
      Checks.notBlank(where + ".devices", m.devices());
      Checks.notBlank(where + ".file", m.file());
      try {
        io.flexconnect.common.Glob.of(m.devices());
      } catch (IllegalArgumentException e) {
        throw new ConfigException(where + ".devices: " + e.getMessage());
      }
      if (m.bus() != null && (m.bus() < 0 || m.bus() > 7)) {
        throw new ConfigException(where + ".bus must be 0-7 (or absent for every bus), got " + m.bus());
      }
    }
  }

  /**
   * Maps devices to a DBC file.
   *
   * @param devices a device id, or a glob over device ids ({@code *} any run of characters,
   *     {@code ?} one), e.g. {@code truck-*} for a device group
   * @param bus the bus (0-7) the file decodes, or null for every bus
   * @param file a file in {@code dbcDir}
   */
  public record DbcMapping(String devices, Integer bus, String file) {}
}
