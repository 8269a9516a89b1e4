package io.flexconnect.dbc;

import io.flexconnect.dbc.DbcLexer.Kind;
import io.flexconnect.dbc.DbcLexer.Token;
import io.flexconnect.dbc.DbcParser.AttributeDefDraft;
import io.flexconnect.dbc.DbcParser.AttributeDefaultDraft;
import io.flexconnect.dbc.DbcParser.AttributeDraft;
import io.flexconnect.dbc.DbcParser.CommentDraft;
import io.flexconnect.dbc.DbcParser.Drafts;
import io.flexconnect.dbc.DbcParser.MessageDraft;
import io.flexconnect.dbc.DbcParser.MuxValueDraft;
import io.flexconnect.dbc.DbcParser.SignalDraft;
import io.flexconnect.dbc.DbcParser.TxDraft;
import io.flexconnect.dbc.DbcParser.ValTypeDraft;
import io.flexconnect.dbc.DbcParser.ValueDraft;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks and links the statements of a parsed DBC file and builds the immutable model. This is
 * where the sloppy-file policy of {@code docs/dbc.md} lives: each rule either adds a
 * {@link DbcWarning} or throws a {@link DbcParseException} pointing at the offending token.
 */
final class DbcResolver {

  static final String INDEPENDENT_SIGNALS_MESSAGE = "VECTOR__INDEPENDENT_SIG_MSG";
  private static final int MAX_STANDARD_ID = 0x7FF;
  private static final int MAX_EXTENDED_ID = 0x1FFFFFFF;
  private static final int MAX_LENGTH = 64;
  /** The VFrameFormat choices used when a file declares VFrameFormat as INT, as cantools does. */
  private static final List<String> VFRAME_FORMATS = List.of("StandardCAN", "ExtendedCAN", "reserved",
      "J1939PG", "reserved", "reserved", "reserved", "reserved", "reserved", "reserved", "reserved",
      "reserved", "reserved", "reserved", "StandardCAN_FD", "ExtendedCAN_FD");

  private final String sourceName;
  private final String encoding;
  private final Drafts drafts;
  private final List<DbcWarning> warnings = new ArrayList<>();
  private final Map<String, DbcAttributeDefinition> definitions = new LinkedHashMap<>();
  /** IDs of messages dropped on purpose, so statements naming them are dropped silently. */
  private final Set<Long> droppedIds = new HashSet<>();

  /** Everything attached to one message while linking, keyed by the ID as written in the file. */
  private static final class MessageState {
    final MessageDraft draft;
    final int frameId;
    final boolean extended;
    final Map<String, SignalState> signals = new LinkedHashMap<>();
    String comment;
    final Map<String, Object> attributes = new LinkedHashMap<>();
    final List<String> transmitters = new ArrayList<>();

    MessageState(MessageDraft draft, int frameId, boolean extended) {
      this.draft = draft;
      this.frameId = frameId;
      this.extended = extended;
    }
  }

  private static final class SignalState {
    final SignalDraft draft;
    DbcValueType valueType = DbcValueType.INTEGER;
    Map<Long, String> choices = Map.of();
    String comment;
    final Map<String, Object> attributes = new LinkedHashMap<>();
    MuxValueDraft muxValues;
    boolean multiplexer;
    DbcMuxCondition condition;

    SignalState(SignalDraft draft) {
      this.draft = draft;
      this.multiplexer = draft.multiplexer;
    }
  }

  DbcResolver(String sourceName, String encoding, Drafts drafts) {
    this.sourceName = sourceName;
    this.encoding = encoding;
    this.drafts = drafts;
  }

  DbcDatabase resolve() throws DbcParseException {
    warnings.addAll(drafts.warnings);
    resolveDefinitions();
    Map<Long, MessageState> messages = resolveMessages();

    Map<String, String> nodeComments = new HashMap<>();
    Map<String, Map<String, Object>> nodeAttributes = new HashMap<>();
    Set<String> nodeNames = new HashSet<>();
    for (Token n : drafts.nodes) {
      nodeNames.add(n.text());
    }
    String databaseComment = null;
    for (CommentDraft c : drafts.comments) {
      switch (c.kind()) {
        case "" -> databaseComment = c.text();
        case "BU_" -> {
          if (nodeNames.contains(c.object())) {
            nodeComments.put(c.object(), c.text());
          } else {
            warn(c.at(), "CM_ BU_ names unknown node " + c.object() + "; comment ignored");
          }
        }
        case "BO_" -> {
          MessageState m = messageFor(messages, c.messageId(), c.at(), "CM_ BO_");
          if (m != null) {
            m.comment = c.text();
          }
        }
        case "SG_" -> {
          SignalState s = signalFor(messages, c.messageId(), c.object(), c.at(), "CM_ SG_");
          if (s != null) {
            s.comment = c.text();
          }
        }
        default -> { } // EV_: environment variables are not modelled
      }
    }

    Map<String, Object> databaseAttributes = new LinkedHashMap<>();
    for (AttributeDraft a : drafts.attributes) {
      Object value = attributeValue(a.name(), a.value(), a.at());
      switch (a.objectType()) {
        case "" -> databaseAttributes.put(a.name(), value);
        case "BU_" -> {
          if (nodeNames.contains(a.object())) {
            nodeAttributes.computeIfAbsent(a.object(), k -> new LinkedHashMap<>()).put(a.name(), value);
          } else {
            warn(a.at(), "BA_ \"" + a.name() + "\" names unknown node " + a.object() + "; ignored");
          }
        }
        case "BO_" -> {
          MessageState m = messageFor(messages, a.messageId(), a.at(), "BA_ \"" + a.name() + "\"");
          if (m != null) {
            m.attributes.put(a.name(), value);
          }
        }
        case "SG_" -> {
          SignalState s = signalFor(messages, a.messageId(), a.object(), a.at(),
              "BA_ \"" + a.name() + "\"");
          if (s != null) {
            s.attributes.put(a.name(), value);
          }
        }
        default -> { }
      }
    }

    for (ValueDraft v : drafts.values) {
      SignalState s = signalFor(messages, v.messageId(), v.signal(), v.at(), "VAL_");
      if (s != null) {
        s.choices = v.choices();
      }
    }
    for (ValTypeDraft v : drafts.valTypes) {
      SignalState s = signalFor(messages, v.messageId(), v.signal(), v.at(), "SIG_VALTYPE_");
      if (s != null) {
        s.valueType = v.type() == 1 ? DbcValueType.FLOAT32
            : v.type() == 2 ? DbcValueType.FLOAT64 : DbcValueType.INTEGER;
      }
    }
    for (MuxValueDraft v : drafts.muxValues) {
      SignalState s = signalFor(messages, v.messageId(), v.signal(), v.at(), "SG_MUL_VAL_");
      if (s != null) {
        s.muxValues = v;
      }
    }
    for (TxDraft t : drafts.transmitters) {
      MessageState m = messageFor(messages, t.messageId(), t.at(), "BO_TX_BU_");
      if (m != null) {
        m.transmitters.addAll(t.transmitters());
      }
    }

    List<DbcMessage> built = new ArrayList<>();
    for (MessageState m : messages.values()) {
      built.add(buildMessage(m, databaseAttributes));
    }

    List<DbcNode> nodes = new ArrayList<>();
    for (Token n : drafts.nodes) {
      nodes.add(new DbcNode(n.text(), nodeComments.get(n.text()),
          nodeAttributes.getOrDefault(n.text(), Map.of())));
    }
    return new DbcDatabase(sourceName, encoding, drafts.version, nodes, built, drafts.valueTables,
        definitions, databaseAttributes, databaseComment, warnings);
  }

  // ---------------------------------------------------------------------------------------------

  private void resolveDefinitions() {
    for (AttributeDefDraft d : drafts.attributeDefs) {
      definitions.put(d.name(), new DbcAttributeDefinition(d.name(), d.objectType(), d.type(), d.min(),
          d.max(), d.enumValues(), null));
    }
    for (AttributeDefaultDraft d : drafts.attributeDefaults) {
      DbcAttributeDefinition def = definitions.get(d.name());
      if (def == null) {
        warn(d.at(), "BA_DEF_DEF_ \"" + d.name() + "\" has no BA_DEF_; default ignored");
        continue;
      }
      definitions.put(d.name(), new DbcAttributeDefinition(def.name(), def.objectType(), def.type(),
          def.minimum(), def.maximum(), def.enumValues(), attributeValue(d.name(), d.value(), d.at())));
    }
  }

  /** Converts an attribute value by its definition: ENUM indexes become their label. */
  private Object attributeValue(String name, Token value, Token at) {
    DbcAttributeDefinition def = definitions.get(name);
    boolean number = value.kind() == Kind.NUMBER;
    if (def == null) {
      warn(at, "BA_ \"" + name + "\" has no BA_DEF_; value kept as written");
      return number ? numberValue(value.text()) : value.text();
    }
    switch (def.type()) {
      case "ENUM" -> {
        if (!number) {
          return value.text();
        }
        Object n = numberValue(value.text());
        List<String> choices = def.enumValues();
        if ("VFrameFormat".equals(name) && choices.isEmpty()) {
          choices = VFRAME_FORMATS;
        }
        if (n instanceof Long i && i >= 0 && i < choices.size()) {
          return choices.get(i.intValue());
        }
        warn(at, "value " + value.text() + " of ENUM attribute \"" + name + "\" is out of range; kept as "
            + "a number");
        return n;
      }
      case "INT", "HEX" -> {
        if ("VFrameFormat".equals(name)) {
          Object n = number ? numberValue(value.text()) : value.text();
          if (n instanceof Long i && i >= 0 && i < VFRAME_FORMATS.size()) {
            return VFRAME_FORMATS.get(i.intValue());
          }
          return n;
        }
        return number ? numberValue(value.text()) : value.text();
      }
      case "FLOAT" -> {
        return number ? Double.valueOf(Double.parseDouble(value.text())) : value.text();
      }
      default -> {
        return value.text();
      }
    }
  }

  private static Object numberValue(String text) {
    try {
      return Long.valueOf(Long.parseLong(text));
    } catch (NumberFormatException e) {
      return Double.valueOf(Double.parseDouble(text));
    }
  }

  private Map<Long, MessageState> resolveMessages() throws DbcParseException {
    Map<Long, MessageState> byDbcId = new LinkedHashMap<>();
    Map<Long, MessageDraft> byKey = new HashMap<>();
    for (MessageDraft d : drafts.messages) {
      if (INDEPENDENT_SIGNALS_MESSAGE.equals(d.name)) {
        droppedIds.add(d.dbcId);
        continue; // Vector's container for signals that belong to no message
      }
      long id = d.dbcId;
      if (id < 0 || id > 0xFFFFFFFFL) {
        throw error(d.idToken, "message ID " + id + " of " + d.name
            + " does not fit in 32 bits: expected an 11-bit ID, or a 29-bit ID with bit 31 set");
      }
      boolean extended;
      int frameId;
      if ((id & 0x80000000L) != 0) {
        extended = true;
        frameId = (int) (id & 0x7FFFFFFFL);
        if (frameId > MAX_EXTENDED_ID) {
          throw error(d.idToken, String.format(Locale.ROOT, "extended frame ID 0x%x of message %s is "
              + "more than 29 bits: expected at most 0x1fffffff after bit 31 (DBC ID at most %d)",
              frameId, d.name, 0x80000000L | MAX_EXTENDED_ID));
        }
      } else if (id > MAX_STANDARD_ID) {
        if (id > MAX_EXTENDED_ID) {
          throw error(d.idToken, String.format(Locale.ROOT, "frame ID 0x%x of message %s is more than "
              + "29 bits and is not marked extended (bit 31): expected an 11-bit or 29-bit ID", id, d.name));
        }
        extended = true;
        frameId = (int) id;
        warn(d.idToken, String.format(Locale.ROOT, "frame ID 0x%x of message %s is above 0x7ff without "
            + "the extended flag (bit 31); treated as a 29-bit extended ID", id, d.name));
      } else {
        extended = false;
        frameId = (int) id;
      }
      if (d.length > MAX_LENGTH) {
        throw error(d.lengthToken, "message " + d.name + " declares " + d.length
            + " bytes: expected at most 64 (CAN FD)");
      }
      long key = extended ? (frameId | 0x100000000L) : frameId;
      MessageDraft previous = byKey.putIfAbsent(key, d);
      if (previous != null) {
        throw error(d.idToken, String.format(Locale.ROOT, "message %s reuses %s ID 0x%x of message %s "
            + "(line %d): expected unique message IDs", d.name, extended ? "extended" : "standard",
            frameId, previous.name, previous.idToken.line()));
      }
      MessageState state = new MessageState(d, frameId, extended);
      for (SignalDraft s : d.signals) {
        checkSignal(d, s);
        if (state.signals.putIfAbsent(s.name, new SignalState(s)) != null) {
          throw error(s.nameToken, "signal " + s.name + " is defined twice in message " + d.name
              + ": expected unique signal names within a message");
        }
      }
      byDbcId.put(id, state);
    }
    return byDbcId;
  }

  private void checkSignal(MessageDraft m, SignalDraft s) throws DbcParseException {
    if (s.length < 1 || s.length > 64) {
      throw error(s.geometryToken, "signal " + s.name + " has length " + s.length
          + ": expected 1 to 64 bits");
    }
    if (s.startBit < 0 || s.startBit >= MAX_LENGTH * 8) {
      throw error(s.geometryToken, "signal " + s.name + " starts at bit " + s.startBit
          + ": expected 0 to 511");
    }
  }

  private MessageState messageFor(Map<Long, MessageState> messages, Long id, Token at, String what) {
    MessageState m = messages.get(id);
    if (m == null && !droppedIds.contains(id)) {
      warn(at, what + " names unknown message ID " + id + "; ignored");
    }
    return m;
  }

  private SignalState signalFor(Map<Long, MessageState> messages, Long id, String signal, Token at,
      String what) {
    MessageState m = messages.get(id);
    if (m == null) {
      if (!droppedIds.contains(id)) {
        warn(at, what + " names unknown message ID " + id + "; ignored");
      }
      return null;
    }
    SignalState s = m.signals.get(signal);
    if (s == null) {
      warn(at, what + " names unknown signal " + signal + " of message " + m.draft.name + "; ignored");
    }
    return s;
  }

  // ---------------------------------------------------------------------------------------------

  private DbcMessage buildMessage(MessageState m, Map<String, Object> databaseAttributes)
      throws DbcParseException {
    MessageDraft d = m.draft;
    resolveMultiplexing(m);

    // Names longer than 32 characters live in the SystemSignalLongSymbol attribute.
    Map<String, String> longNames = new HashMap<>();
    for (SignalState s : m.signals.values()) {
      longNames.put(s.draft.name, s.attributes.get("SystemSignalLongSymbol") instanceof String n
          && !n.isEmpty() ? n : s.draft.name);
    }
    List<DbcSignal> signals = new ArrayList<>();
    for (SignalState s : m.signals.values()) {
      SignalDraft sd = s.draft;
      DbcMuxCondition condition = s.condition == null ? null
          : new DbcMuxCondition(longNames.get(s.condition.multiplexer()), s.condition.ranges());
      DbcLayout layout = new DbcLayout(sd.startBit, sd.length, sd.byteOrder, sd.signed, s.valueType);
      if (s.valueType == DbcValueType.FLOAT32 && sd.length != 32
          || s.valueType == DbcValueType.FLOAT64 && sd.length != 64) {
        throw error(sd.geometryToken, "signal " + sd.name + " is declared " + s.valueType + " by "
            + "SIG_VALTYPE_ but is " + sd.length + " bits long: expected "
            + (s.valueType == DbcValueType.FLOAT32 ? 32 : 64));
      }
      if (sd.byteOrder == DbcByteOrder.BIG_ENDIAN && layout.motorolaMsbPosition() + sd.length > 512) {
        throw error(sd.geometryToken, "Motorola signal " + sd.name + " runs past byte 63: expected it "
            + "to end within 64 bytes");
      }
      if (layout.lastByte() >= MAX_LENGTH) {
        throw error(sd.geometryToken, "signal " + sd.name + " runs past byte 63: expected it to end "
            + "within 64 bytes");
      }
      if (layout.lastByte() >= d.length) {
        warn(sd.geometryToken, "signal " + sd.name + " needs " + (layout.lastByte() + 1)
            + " bytes but message " + d.name + " declares " + d.length
            + "; it is decoded only from frames that long");
      }
      signals.add(new DbcSignal(longNames.get(sd.name), layout, new DbcConversion(sd.factor, sd.offset, sd.minimum,
          sd.maximum, sd.unit, new TreeMap<>(s.choices)), sd.receivers, s.multiplexer, condition,
          s.comment, s.attributes));
    }
    checkOverlaps(m, signals);
    String name = m.attributes.get("SystemMessageLongSymbol") instanceof String n && !n.isEmpty()
        ? n : d.name;

    String frameFormat = stringAttribute("VFrameFormat", m.attributes, null);
    String protocol = stringAttribute("ProtocolType", m.attributes, databaseAttributes);
    boolean fd = d.length > 8 || (frameFormat != null && frameFormat.endsWith("_FD"));
    boolean j1939 = "J1939PG".equals(frameFormat)
        || (m.extended && protocol != null && protocol.equalsIgnoreCase("J1939"));
    Integer cycle = null;
    Object cycleValue = m.attributes.get("GenMsgCycleTime");
    if (cycleValue == null && definitions.containsKey("GenMsgCycleTime")) {
      cycleValue = definitions.get("GenMsgCycleTime").defaultValue();
    }
    if (cycleValue instanceof Number n && n.intValue() > 0) {
      cycle = n.intValue();
    }
    List<String> tx = new ArrayList<>(m.transmitters);
    return new DbcMessage(m.frameId, m.extended, name, d.length, d.sender, tx, signals, m.comment,
        m.attributes, fd, j1939, cycle);
  }

  private String stringAttribute(String name, Map<String, Object> own, Map<String, Object> database) {
    Object v = own.get(name);
    if (v == null && database != null) {
      v = database.get(name);
    }
    if (v == null && definitions.containsKey(name)) {
      v = definitions.get(name).defaultValue();
    }
    return v instanceof String s ? s : null;
  }

  /** Links each multiplexed signal to its multiplexer and refuses cycles. */
  private void resolveMultiplexing(MessageState m) throws DbcParseException {
    String name = m.draft.name;
    List<SignalState> plainMultiplexers = new ArrayList<>();
    for (SignalState s : m.signals.values()) {
      if (s.draft.multiplexer && s.draft.muxValue == null) {
        plainMultiplexers.add(s);
      }
    }
    for (SignalState s : m.signals.values()) {
      if (s.muxValues != null) {
        MuxValueDraft v = s.muxValues;
        SignalState mux = m.signals.get(v.multiplexer());
        if (mux == null) {
          throw error(v.at(), "SG_MUL_VAL_ for " + v.signal() + " names multiplexer " + v.multiplexer()
              + " which is not a signal of message " + name);
        }
        if (!mux.multiplexer) {
          warn(v.at(), "SG_MUL_VAL_ uses " + v.multiplexer() + " as multiplexer though it is not marked "
              + "M; treated as a multiplexer");
          mux.multiplexer = true;
        }
        s.condition = new DbcMuxCondition(v.multiplexer(), v.ranges());
      } else if (s.draft.muxValue != null) {
        if (plainMultiplexers.size() != 1) {
          throw error(s.draft.muxToken, "signal " + s.draft.name + " is multiplexed ("
              + s.draft.muxToken.text() + ") but message " + name + " has "
              + (plainMultiplexers.isEmpty() ? "no multiplexer signal (M)"
                  : plainMultiplexers.size() + " multiplexer signals (M)")
              + ": expected exactly one, or an SG_MUL_VAL_ line naming its multiplexer");
        }
        long value = s.draft.muxValue;
        s.condition = new DbcMuxCondition(plainMultiplexers.get(0).draft.name,
            List.of(new DbcMuxCondition.Range(value, value)));
      }
    }
    // Refuse cycles: following multiplexers from any signal must end at an unconditioned one.
    for (SignalState s : m.signals.values()) {
      SignalState cur = s;
      for (int depth = 0; cur.condition != null; depth++) {
        if (depth > m.signals.size()) {
          throw error(s.draft.nameToken, "multiplexing of signal " + s.draft.name + " in message "
              + name + " forms a cycle: expected each multiplexer chain to end at a plain signal");
        }
        SignalState parent = m.signals.get(cur.condition.multiplexer());
        if (parent == cur) {
          throw error(s.draft.nameToken, "signal " + cur.draft.name + " is its own multiplexer");
        }
        cur = parent;
      }
    }
  }

  private void checkOverlaps(MessageState m, List<DbcSignal> signals) {
    List<DbcSignal> plain = new ArrayList<>();
    for (DbcSignal s : signals) {
      if (s.muxCondition() == null) {
        plain.add(s);
      }
    }
    List<SignalDraft> drafts = new ArrayList<>();
    for (SignalState s : m.signals.values()) {
      if (s.condition == null) {
        drafts.add(s.draft);
      }
    }
    for (int i = 0; i < plain.size(); i++) {
      for (int j = i + 1; j < plain.size(); j++) {
        if (plain.get(i).layout().overlaps(plain.get(j).layout())) {
          SignalDraft d = drafts.get(j);
          warn(d.nameToken, "signal " + plain.get(j).name() + " overlaps signal " + plain.get(i).name()
              + " in message " + m.draft.name + "; both are decoded");
        }
      }
    }
  }

  private void warn(Token at, String message) {
    warnings.add(new DbcWarning(at.line(), at.column(), message));
  }

  private DbcParseException error(Token at, String reason) {
    return new DbcParseException(sourceName, at.line(), at.column(), reason);
  }
}
