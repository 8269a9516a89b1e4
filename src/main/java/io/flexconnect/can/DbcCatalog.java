package io.flexconnect.can;

import io.flexconnect.can.CanConfig.DbcMapping;
import io.flexconnect.dbc.DbcDecoder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import io.flexconnect.common.Glob;

/**
 * Resolves which compiled DBC decodes a device's bus. Pure and immutable apart from a bounded
 * per-device cache, so each extraction verticle instance holds its own.
 */
public final class DbcCatalog {
  private static final int BUSES = 8;
  private static final int MAX_CACHED_DEVICES = 100_000;

  private final List<Rule> rules;
  private final Map<String, DbcDecoder[]> byDevice = new HashMap<>();

  /**
   * @param mappings in priority order
   * @param decoders compiled decoders by file name; mappings to files missing here decode nothing
   */
  public DbcCatalog(List<DbcMapping> mappings, Map<String, DbcDecoder> decoders) {
    List<Rule> compiled = new ArrayList<>();
    for (DbcMapping m : mappings) {
      DbcDecoder decoder = decoders.get(m.file());
      if (decoder != null) {
        compiled.add(new Rule(Glob.of(m.devices()), m.bus(), decoder));
      }
    }
    this.rules = List.copyOf(compiled);
  }

  /** The decoder of each bus (index 0-7) for the device; null entries where no DBC applies. */
  public DbcDecoder[] forDevice(String deviceId) {
    DbcDecoder[] cached = byDevice.get(deviceId);
    if (cached != null) {
      return cached;
    }
    DbcDecoder[] buses = new DbcDecoder[BUSES];
    for (int bus = 0; bus < BUSES; bus++) {
      for (Rule rule : rules) {
        if ((rule.bus == null || rule.bus == bus) && rule.devices.matches(deviceId)) {
          buses[bus] = rule.decoder;
          break;
        }
      }
    }
    if (byDevice.size() >= MAX_CACHED_DEVICES) {
      byDevice.clear();
    }
    byDevice.put(deviceId, buses);
    return buses;
  }


  private record Rule(Glob devices, Integer bus, DbcDecoder decoder) {}
}
