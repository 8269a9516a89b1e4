package io.flexconnect.dbc;

import java.util.List;
import java.util.Map;

/**
 * An immutable, fully resolved DBC database. Attribute values are Long, Double or String (ENUM
 * values resolved to their label).
 *
 * @param sourceName the file name the database came from (used in messages)
 * @param encoding {@code UTF-8} or {@code windows-1252}, whichever decoded the file
 * @param valueTables the named {@code VAL_TABLE_}s
 * @param warnings what the loader accepted despite being sloppy, with line and column
 */
public record DbcDatabase(String sourceName, String encoding, String version, List<DbcNode> nodes,
    List<DbcMessage> messages, Map<String, Map<Long, String>> valueTables,
    Map<String, DbcAttributeDefinition> attributeDefinitions, Map<String, Object> attributes,
    String comment, List<DbcWarning> warnings) {

  public DbcDatabase {
    nodes = List.copyOf(nodes);
    messages = List.copyOf(messages);
    valueTables = Map.copyOf(valueTables);
    attributeDefinitions = Map.copyOf(attributeDefinitions);
    attributes = Map.copyOf(attributes);
    warnings = List.copyOf(warnings);
  }

  /** The message with that name, or null. */
  public DbcMessage message(String name) {
    for (DbcMessage m : messages) {
      if (m.name().equals(name)) {
        return m;
      }
    }
    return null;
  }

  /** The message with that identifier, or null. */
  public DbcMessage message(int frameId, boolean extended) {
    for (DbcMessage m : messages) {
      if (m.frameId() == frameId && m.extended() == extended) {
        return m;
      }
    }
    return null;
  }
}
