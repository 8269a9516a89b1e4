package io.flexconnect.dbc;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the compiled decoder of a frame by CAN ID. Immutable and thread-safe; build once per
 * database with {@link #compile(DbcDatabase)}.
 *
 * <p>Keys are the DBC convention: a 29-bit ID carries bit 31 ({@code 0x80000000}), so an 11-bit
 * and a 29-bit ID with the same number never collide. For J1939 messages an exact ID match is
 * tried first, then the frame's PGN (priority and source address ignored; PDU1 (PF &lt; 240) PGNs
 * exclude the destination address, PDU2 PGNs include PS), as cantools does.
 */
public final class DbcDecoder {

  private final DbcDatabase database;
  private final IntObjectTable<CompiledMessage> byId;
  private final IntObjectTable<CompiledMessage> byPgn;
  private final boolean hasJ1939;
  private final List<CompiledMessage> messages;

  private DbcDecoder(DbcDatabase database) {
    this.database = database;
    List<CompiledMessage> compiled = new ArrayList<>();
    int n = database.messages().size();
    int[] ids = new int[n];
    int[] pgns = new int[n];
    Object[] idValues = new Object[n];
    Object[] pgnValues = new Object[n];
    int pgnCount = 0;
    for (int i = 0; i < n; i++) {
      DbcMessage m = database.messages().get(i);
      CompiledMessage c = new CompiledMessage(m);
      compiled.add(c);
      ids[i] = m.dbcId();
      idValues[i] = c;
      if (m.j1939() && m.extended()) {
        pgns[pgnCount] = j1939Pgn(m.frameId());
        pgnValues[pgnCount++] = c;
      }
    }
    this.messages = List.copyOf(compiled);
    this.byId = new IntObjectTable<>(ids, idValues, n);
    this.byPgn = new IntObjectTable<>(pgns, pgnValues, pgnCount);
    this.hasJ1939 = pgnCount > 0;
  }

  /** Compiles every message of the database. */
  public static DbcDecoder compile(DbcDatabase database) {
    return new DbcDecoder(database);
  }

  public DbcDatabase database() {
    return database;
  }

  public List<CompiledMessage> messages() {
    return messages;
  }

  /**
   * The compiled message for a frame, or null when the database does not know it.
   *
   * @param canId the 11- or 29-bit identifier (bit 31 may be set or not for extended IDs)
   * @param extended true for a 29-bit identifier
   */
  public CompiledMessage find(int canId, boolean extended) {
    int id = canId & 0x7FFFFFFF;
    CompiledMessage m = byId.get(extended ? id | DbcMessage.EXTENDED_FLAG : id);
    if (m == null && extended && hasJ1939) {
      m = byPgn.get(j1939Pgn(id));
    }
    return m;
  }

  /** The J1939 parameter group number of a 29-bit ID, per SAE J1939-21 (as in cantools). */
  public static int j1939Pgn(int canId) {
    int reserved = (canId >>> 25) & 1;
    int dataPage = (canId >>> 24) & 1;
    int pduFormat = (canId >>> 16) & 0xFF;
    int pduSpecific = pduFormat < 240 ? 0 : (canId >>> 8) & 0xFF;
    return (reserved << 17) | (dataPage << 16) | (pduFormat << 8) | pduSpecific;
  }
}
