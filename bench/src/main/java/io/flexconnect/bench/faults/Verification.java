package io.flexconnect.bench.faults;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the database holds for a fleet, compared with what its devices were told (PUBACK), by SQL
 * over JDBC after the run:
 *
 * <ul>
 *   <li>lost: PUBACKed messages without all their rows (each message is one (device, ts) with one row
 *       per field);
 *   <li>duplicated rows: more than one row for a (device, signal, ts) — excluded by the primary key,
 *       checked anyway — and rows no device sent;
 *   <li>wrong values: rows whose value is not the one their message carried;
 *   <li>rewritten: messages stored more than once ({@code devices.messages} counts every stored
 *       delivery, in the same transaction as the rows), i.e. redeliveries of committed messages;
 *   <li>latest: {@code device_signals} must name each device's newest message, whatever arrived last.
 * </ul>
 */
record Verification(long found, long lost, long duplicateRows, long unexpectedRows, long wrongValues, long rewritten,
                    long wrongLatest) {

  static Verification check(String jdbcUrl, Fleet fleet) throws SQLException {
    List<Fleet.Device> devices = fleet.devices();
    Map<String, int[]> rowsPerMessage = new HashMap<>();
    Map<String, Fleet.Device> byId = new HashMap<>();
    for (Fleet.Device d : devices) {
      rowsPerMessage.put(d.id, new int[d.count]);
      byId.put(d.id, d);
    }
    long unexpected = 0;
    long wrongValues = 0;
    long storedDeliveries = 0;
    long wrongLatest = 0;
    try (Connection c = DriverManager.getConnection(jdbcUrl)) {
      c.setAutoCommit(false); // lets the driver stream with a fetch size
      try (PreparedStatement s = c.prepareStatement("""
          SELECT device_id, signal, round(extract(epoch FROM ts) * 1000)::bigint, value
          FROM telemetry WHERE device_id LIKE 'fault-%'""")) {
        s.setFetchSize(10_000);
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            Fleet.Device d = byId.get(r.getString(1));
            long i = r.getLong(3) - Fleet.BASE_TS;
            if (d == null || i < 0 || i >= d.count) {
              unexpected++;
              continue;
            }
            rowsPerMessage.get(d.id)[(int) i]++;
            double expected = r.getString(2).equals("seq") ? i : r.getString(2).equals("dev") ? d.index : Double.NaN;
            if (r.getDouble(4) != expected) {
              wrongValues++;
            }
          }
        }
      }
      try (Statement s = c.createStatement();
           ResultSet r = s.executeQuery("SELECT coalesce(sum(messages), 0) FROM devices WHERE device_id LIKE 'fault-%'")) {
        r.next();
        storedDeliveries = r.getLong(1);
      }
      Map<String, long[]> latest = new HashMap<>();
      try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("""
          SELECT device_id, round(extract(epoch FROM ts) * 1000)::bigint, value FROM device_signals
          WHERE device_id LIKE 'fault-%' AND signal = 'seq'""")) {
        while (r.next()) {
          latest.put(r.getString(1), new long[] {r.getLong(2), (long) r.getDouble(3)});
        }
      }
      for (Fleet.Device d : devices) {
        long[] l = latest.get(d.id);
        int last = d.count - 1;
        if (l == null || l[0] != Fleet.BASE_TS + last || l[1] != last) {
          wrongLatest++;
        }
      }
      c.rollback();
    }
    long found = 0;
    long lost = 0;
    long duplicateRows = 0;
    for (Fleet.Device d : devices) {
      BitSet acked = fleet.ackedOf(d);
      int[] rows = rowsPerMessage.get(d.id);
      for (int i = 0; i < d.count; i++) {
        if (rows[i] > 0) {
          found++;
        }
        if (rows[i] > Fleet.FIELDS.length) {
          duplicateRows += rows[i] - Fleet.FIELDS.length;
        }
        if (acked.get(i) && rows[i] < Fleet.FIELDS.length) {
          lost++;
        }
      }
    }
    return new Verification(found, lost, duplicateRows, unexpected, wrongValues,
        storedDeliveries - found, wrongLatest);
  }

  /** Messages whose rows are all there (cheap: one count over the key), to see when a run has settled. */
  static long stored(String jdbcUrl) {
    try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement();
         ResultSet r = s.executeQuery("SELECT count(*) FROM telemetry WHERE device_id LIKE 'fault-%' AND signal = 'dev'")) {
      r.next();
      return r.getLong(1);
    } catch (SQLException e) {
      return -1; // database down or not there yet
    }
  }
}
