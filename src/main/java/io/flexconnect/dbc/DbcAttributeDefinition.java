package io.flexconnect.dbc;

import java.util.List;

/**
 * A {@code BA_DEF_} with its {@code BA_DEF_DEF_} default. ENUM values are stored as their label.
 *
 * @param objectType {@code ""} (database), {@code BU_}, {@code BO_}, {@code SG_} or {@code EV_}
 * @param type {@code INT}, {@code HEX}, {@code FLOAT}, {@code STRING} or {@code ENUM}
 * @param defaultValue a Long, Double or String, or null when no default is given
 */
public record DbcAttributeDefinition(String name, String objectType, String type, Double minimum,
    Double maximum, List<String> enumValues, Object defaultValue) {

  public DbcAttributeDefinition {
    enumValues = List.copyOf(enumValues);
  }
}
