package io.flexconnect.dbc;

import io.flexconnect.dbc.DbcLexer.Kind;
import io.flexconnect.dbc.DbcLexer.Token;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Parses DBC text into a {@link DbcDatabase}. The grammar handled is the one real files use (see
 * {@code docs/dbc.md}); every other section keyword is skipped up to its {@code ;}. The parser
 * first reads statements into mutable drafts, then {@link DbcResolver} checks and links them and
 * builds the immutable model, so a broken file never yields a half-loaded database.
 */
public final class DbcParser {

  /** Sections read and dropped (up to their terminating semicolon). */
  private static final Set<String> SKIPPED = Set.of("EV_", "ENVVAR_DATA_", "SGTYPE_", "SGTYPE_VAL_",
      "BA_DEF_SGTYPE_", "BA_SGTYPE_", "SIG_TYPE_REF_", "BA_DEF_REL_", "BA_REL_", "BA_DEF_DEF_REL_",
      "SIG_GROUP_", "CAT_DEF_", "CAT_", "FILTER", "SIGTYPE_VALTYPE_", "BU_SG_REL_", "BU_EV_REL_",
      "BU_BO_REL_", "EV_DATA_", "NS_DESC_");

  private final String sourceName;
  private final DbcLexer lexer;
  private Token token;
  private final Drafts drafts = new Drafts();

  private DbcParser(String text, String sourceName) throws DbcParseException {
    this.sourceName = sourceName;
    this.lexer = new DbcLexer(sourceName, text);
    this.token = lexer.next();
  }

  /**
   * Parses a whole DBC text.
   *
   * @param sourceName the file name shown in error messages and warnings
   * @throws DbcParseException with line and column when the text is not a loadable DBC
   */
  public static DbcDatabase parse(String text, String sourceName) throws DbcParseException {
    return parse(text, sourceName, "UTF-8");
  }

  static DbcDatabase parse(String text, String sourceName, String encoding) throws DbcParseException {
    DbcParser parser = new DbcParser(text, sourceName);
    parser.parseFile();
    return new DbcResolver(sourceName, encoding, parser.drafts).resolve();
  }

  // ---------------------------------------------------------------------------------------------
  // Drafts: what the statements said, before checks and linking.

  static final class Drafts {
    String version = "";
    final List<Token> nodes = new ArrayList<>();
    final List<MessageDraft> messages = new ArrayList<>();
    final Map<String, Map<Long, String>> valueTables = new LinkedHashMap<>();
    final List<CommentDraft> comments = new ArrayList<>();
    final List<AttributeDefDraft> attributeDefs = new ArrayList<>();
    final List<AttributeDefaultDraft> attributeDefaults = new ArrayList<>();
    final List<AttributeDraft> attributes = new ArrayList<>();
    final List<ValueDraft> values = new ArrayList<>();
    final List<ValTypeDraft> valTypes = new ArrayList<>();
    final List<MuxValueDraft> muxValues = new ArrayList<>();
    final List<TxDraft> transmitters = new ArrayList<>();
    final List<DbcWarning> warnings = new ArrayList<>();
  }

  static final class MessageDraft {
    Token idToken;
    long dbcId;
    String name;
    int length;
    Token lengthToken;
    String sender;
    final List<SignalDraft> signals = new ArrayList<>();
  }

  static final class SignalDraft {
    Token nameToken;
    String name;
    Token muxToken;
    boolean multiplexer;
    Long muxValue;
    int startBit;
    int length;
    Token geometryToken;
    DbcByteOrder byteOrder;
    boolean signed;
    double factor;
    double offset;
    double minimum;
    double maximum;
    String unit;
    final List<String> receivers = new ArrayList<>();
  }

  record CommentDraft(Token at, String kind, Long messageId, String object, String text) {}

  record AttributeDefDraft(Token at, String objectType, String name, String type, Double min, Double max,
      List<String> enumValues) {}

  record AttributeDefaultDraft(Token at, String name, Token value) {}

  record AttributeDraft(Token at, String name, String objectType, Long messageId, String object,
      Token value) {}

  record ValueDraft(Token at, long messageId, String signal, Map<Long, String> choices) {}

  record ValTypeDraft(Token at, long messageId, String signal, int type) {}

  record MuxValueDraft(Token at, long messageId, String signal, String multiplexer,
      List<DbcMuxCondition.Range> ranges) {}

  record TxDraft(Token at, long messageId, List<String> transmitters) {}

  // ---------------------------------------------------------------------------------------------

  private void parseFile() throws DbcParseException {
    MessageDraft current = null;
    while (token.kind() != Kind.EOF) {
      Token keyword = token;
      if (keyword.kind() != Kind.IDENT) {
        throw error(keyword, "expected a section keyword (BO_, SG_, CM_, ...)");
      }
      String k = keyword.text();
      switch (k) {
        case "VERSION" -> {
          advance();
          drafts.version = expectString("the version string");
        }
        case "NS_" -> parseNewSymbols();
        case "BS_" -> parseBitTiming();
        case "BU_" -> parseNodes(keyword);
        case "VAL_TABLE_" -> parseValueTable();
        case "BO_" -> current = parseMessage();
        case "SG_" -> {
          if (current == null) {
            throw error(keyword, "SG_ outside a message: expected a BO_ line before it");
          }
          current.signals.add(parseSignal(keyword));
        }
        case "CM_" -> parseComment(keyword);
        case "BA_DEF_" -> parseAttributeDefinition(keyword);
        case "BA_DEF_DEF_" -> parseAttributeDefault(keyword);
        case "BA_" -> parseAttribute(keyword);
        case "VAL_" -> parseValues(keyword);
        case "SIG_VALTYPE_" -> parseValType(keyword);
        case "SG_MUL_VAL_" -> parseMuxValues(keyword);
        case "BO_TX_BU_" -> parseTransmitters(keyword);
        default -> {
          if (SKIPPED.contains(k) || k.matches("[A-Z][A-Z0-9_]*_")) {
            skipStatement();
          } else {
            throw error(keyword, "expected a section keyword (BO_, SG_, CM_, ...) but found "
                + keyword.describe());
          }
        }
      }
      if (!"BO_".equals(k) && !"SG_".equals(k)) {
        current = null;
      }
    }
  }

  private void parseNewSymbols() throws DbcParseException {
    Token ns = advance();
    expectPunct(":");
    // The symbol list is indented; the next section starts in column 1.
    while (token.kind() == Kind.IDENT && (token.column() > 1 || token.line() == ns.line())) {
      advance();
    }
  }

  private void parseBitTiming() throws DbcParseException {
    advance();
    expectPunct(":");
    if (token.kind() == Kind.NUMBER) {
      advance();
      expectPunct(":");
      expectNumber("BTR1");
      expectPunct(",");
      expectNumber("BTR2");
    }
  }

  private void parseNodes(Token keyword) throws DbcParseException {
    advance();
    expectPunct(":");
    while (token.kind() == Kind.IDENT && (token.line() == keyword.line() || token.column() > 1)) {
      drafts.nodes.add(advance());
    }
  }

  private void parseValueTable() throws DbcParseException {
    advance();
    String name = expectIdent("a value table name");
    drafts.valueTables.put(name, parseChoices());
  }

  private Map<Long, String> parseChoices() throws DbcParseException {
    Map<Long, String> choices = new TreeMap<>();
    Token previous = token;
    while (!token.is(";")) {
      if (token.kind() == Kind.EOF
          || token.kind() == Kind.IDENT && token.column() == 1 && token.line() > previous.line()) {
        // A value list missing its ';' before the next section or at end of file (opendbc has one).
        drafts.warnings.add(warning(previous, "value list is not terminated by ';'; accepted up to "
            + "here"));
        return choices;
      }
      Token value = token;
      long raw = integerValue(expectNumberToken("a raw value or ';'"), value);
      previous = token;
      choices.put(raw, expectString("the label for value " + value.text()));
    }
    advance();
    return choices;
  }

  private MessageDraft parseMessage() throws DbcParseException {
    advance();
    MessageDraft m = new MessageDraft();
    m.idToken = token;
    m.dbcId = integerValue(expectNumberToken("a message ID"), m.idToken);
    m.name = expectIdent("a message name");
    expectPunct(":");
    m.lengthToken = token;
    m.length = (int) Math.min(Integer.MAX_VALUE, integerValue(expectNumberToken("the message length"),
        m.lengthToken));
    m.sender = token.kind() == Kind.IDENT && token.line() == m.idToken.line() ? advance().text() : "";
    drafts.messages.add(m);
    return m;
  }

  private SignalDraft parseSignal(Token keyword) throws DbcParseException {
    advance();
    SignalDraft s = new SignalDraft();
    s.nameToken = token;
    s.name = expectIdent("a signal name");
    if (token.kind() == Kind.IDENT) {
      s.muxToken = advance();
      parseMuxIndicator(s);
    }
    expectPunct(":");
    s.geometryToken = token;
    s.startBit = intValue(expectNumberToken("the start bit"));
    expectPunct("|");
    Token lengthToken = token;
    s.length = intValue(expectNumberToken("the signal length"));
    expectPunct("@");
    Token order = token;
    long o = integerValue(expectNumberToken("the byte order 0 (Motorola) or 1 (Intel)"), order);
    if (o != 0 && o != 1) {
      throw error(order, "expected byte order 0 (Motorola) or 1 (Intel) but found " + order.describe());
    }
    s.byteOrder = o == 1 ? DbcByteOrder.LITTLE_ENDIAN : DbcByteOrder.BIG_ENDIAN;
    if (token.is("+") || token.is("-")) {
      s.signed = advance().is("-");
    } else {
      throw error(token, "expected '+' (unsigned) or '-' (signed) but found " + token.describe());
    }
    expectPunct("(");
    s.factor = finiteValue(expectNumberToken("the factor"));
    expectPunct(",");
    s.offset = finiteValue(expectNumberToken("the offset"));
    expectPunct(")");
    expectPunct("[");
    s.minimum = doubleValue(expectNumberToken("the minimum"));
    expectPunct("|");
    s.maximum = doubleValue(expectNumberToken("the maximum"));
    expectPunct("]");
    s.unit = expectString("the unit string");
    while (token.line() == s.nameToken.line() || token.is(",")) {
      if (token.kind() == Kind.IDENT) {
        s.receivers.add(advance().text());
      } else if (token.is(",")) {
        advance();
      } else {
        break;
      }
    }
    return s;
  }

  private void parseMuxIndicator(SignalDraft s) throws DbcParseException {
    String t = s.muxToken.text();
    if (t.equals("M")) {
      s.multiplexer = true;
      return;
    }
    if (t.length() > 1 && t.charAt(0) == 'm') {
      String digits = t.endsWith("M") ? t.substring(1, t.length() - 1) : t.substring(1);
      if (!digits.isEmpty() && digits.chars().allMatch(Character::isDigit) && digits.length() < 19) {
        s.muxValue = Long.parseLong(digits);
        s.multiplexer = t.endsWith("M");
        return;
      }
    }
    throw error(s.muxToken, "expected ':' or a multiplexer indicator (M, mN or mNM) but found "
        + s.muxToken.describe());
  }

  private void parseComment(Token keyword) throws DbcParseException {
    advance();
    if (token.kind() == Kind.STRING) {
      drafts.comments.add(new CommentDraft(keyword, "", null, null, advance().text()));
    } else {
      Token kind = token;
      String k = expectIdent("BU_, BO_, SG_, EV_ or a comment string");
      switch (k) {
        case "BU_", "EV_" -> {
          String name = expectIdent("a name");
          drafts.comments.add(new CommentDraft(keyword, k, null, name, expectString("the comment")));
        }
        case "BO_" -> {
          Token id = token;
          long messageId = integerValue(expectNumberToken("a message ID"), id);
          drafts.comments.add(new CommentDraft(keyword, k, messageId, null, expectString("the comment")));
        }
        case "SG_" -> {
          Token id = token;
          long messageId = integerValue(expectNumberToken("a message ID"), id);
          if (token.kind() == Kind.STRING) {
            drafts.warnings.add(warning(token, "CM_ SG_ " + id.text()
                + " names no signal; comment ignored"));
            advance();
          } else {
            String signal = expectIdent("a signal name");
            drafts.comments.add(new CommentDraft(keyword, k, messageId, signal,
                expectString("the comment")));
          }
        }
        default -> throw error(kind, "expected BU_, BO_, SG_, EV_ or a comment string after CM_ but found "
            + kind.describe());
      }
    }
    expectPunct(";");
  }

  private void parseAttributeDefinition(Token keyword) throws DbcParseException {
    advance();
    String objectType = "";
    if (token.kind() == Kind.IDENT) {
      objectType = advance().text();
    }
    String name = expectString("the attribute name");
    Token typeToken = token;
    String type = expectIdent("an attribute type (INT, HEX, FLOAT, STRING or ENUM)");
    Double min = null;
    Double max = null;
    List<String> enumValues = new ArrayList<>();
    switch (type) {
      case "INT", "HEX", "FLOAT" -> {
        if (token.kind() == Kind.NUMBER) {
          min = doubleValue(advance());
          max = doubleValue(expectNumberToken("the maximum"));
        }
      }
      case "STRING" -> { }
      case "ENUM" -> {
        while (token.kind() == Kind.STRING) {
          enumValues.add(advance().text());
          if (token.is(",")) {
            advance();
          }
        }
      }
      default -> throw error(typeToken, "expected INT, HEX, FLOAT, STRING or ENUM but found "
          + typeToken.describe());
    }
    expectPunct(";");
    drafts.attributeDefs.add(new AttributeDefDraft(keyword, objectType, name, type, min, max, enumValues));
  }

  private void parseAttributeDefault(Token keyword) throws DbcParseException {
    advance();
    String name = expectString("the attribute name");
    Token value = expectValue();
    expectPunct(";");
    drafts.attributeDefaults.add(new AttributeDefaultDraft(keyword, name, value));
  }

  private void parseAttribute(Token keyword) throws DbcParseException {
    advance();
    String name = expectString("the attribute name");
    String objectType = "";
    Long messageId = null;
    String object = null;
    if (token.kind() == Kind.IDENT) {
      Token kind = advance();
      objectType = kind.text();
      switch (objectType) {
        case "BU_", "EV_" -> object = expectIdent("a name");
        case "BO_" -> messageId = integerValue(expectNumberToken("a message ID"), kind);
        case "SG_" -> {
          messageId = integerValue(expectNumberToken("a message ID"), kind);
          object = expectIdent("a signal name");
        }
        default -> throw error(kind, "expected BU_, BO_, SG_, EV_ or a value but found "
            + kind.describe());
      }
    }
    Token value = expectValue();
    expectPunct(";");
    drafts.attributes.add(new AttributeDraft(keyword, name, objectType, messageId, object, value));
  }

  private void parseValues(Token keyword) throws DbcParseException {
    advance();
    if (token.kind() != Kind.NUMBER) {
      skipStatement(); // VAL_ of an environment variable
      return;
    }
    Token id = token;
    long messageId = integerValue(advance(), id);
    String signal = expectIdent("a signal name");
    drafts.values.add(new ValueDraft(keyword, messageId, signal, parseChoices()));
  }

  private void parseValType(Token keyword) throws DbcParseException {
    advance();
    Token id = token;
    long messageId = integerValue(expectNumberToken("a message ID"), id);
    String signal = expectIdent("a signal name");
    if (token.is(":")) {
      advance();
    }
    Token type = token;
    long t = integerValue(expectNumberToken("the value type 0, 1 (float) or 2 (double)"), type);
    if (t < 0 || t > 2) {
      throw error(type, "expected value type 0 (integer), 1 (float) or 2 (double) but found "
          + type.describe());
    }
    expectPunct(";");
    drafts.valTypes.add(new ValTypeDraft(type, messageId, signal, (int) t));
  }

  private void parseMuxValues(Token keyword) throws DbcParseException {
    advance();
    Token id = token;
    long messageId = integerValue(expectNumberToken("a message ID"), id);
    String signal = expectIdent("a signal name");
    String multiplexer = expectIdent("the multiplexer signal name");
    List<DbcMuxCondition.Range> ranges = new ArrayList<>();
    while (true) {
      Token from = token;
      long lo = integerValue(expectNumberToken("a range like 1-3"), from);
      long hi;
      if (token.is("-")) {
        advance();
        Token to = token;
        hi = integerValue(expectNumberToken("the end of the range"), to);
      } else if (token.kind() == Kind.NUMBER && token.text().startsWith("-")) {
        // "1-3" lexes as 1 and -3
        hi = -integerValue(advance(), from);
      } else {
        throw error(token, "expected a range like 1-3 but found " + token.describe());
      }
      if (hi < lo) {
        throw error(from, "range " + lo + "-" + hi + " is empty: expected from <= to");
      }
      ranges.add(new DbcMuxCondition.Range(lo, hi));
      if (token.is(",")) {
        advance();
      } else {
        break;
      }
    }
    expectPunct(";");
    drafts.muxValues.add(new MuxValueDraft(keyword, messageId, signal, multiplexer, ranges));
  }

  private void parseTransmitters(Token keyword) throws DbcParseException {
    advance();
    Token id = token;
    long messageId = integerValue(expectNumberToken("a message ID"), id);
    expectPunct(":");
    List<String> tx = new ArrayList<>();
    while (!token.is(";")) {
      if (token.is(",")) {
        advance();
      } else {
        tx.add(expectIdent("a node name, ',' or ';'"));
      }
    }
    advance();
    drafts.transmitters.add(new TxDraft(keyword, messageId, tx));
  }

  private void skipStatement() throws DbcParseException {
    Token start = advance();
    while (!token.is(";")) {
      if (token.kind() == Kind.EOF) {
        throw error(start, start.text() + " statement is never terminated: expected ';'");
      }
      advance();
    }
    advance();
  }

  // ---------------------------------------------------------------------------------------------

  private Token advance() throws DbcParseException {
    Token t = token;
    token = lexer.next();
    return t;
  }

  private void expectPunct(String p) throws DbcParseException {
    if (!token.is(p) || token.kind() != Kind.PUNCT) {
      throw error(token, "expected '" + p + "' but found " + token.describe());
    }
    advance();
  }

  private String expectIdent(String what) throws DbcParseException {
    if (token.kind() != Kind.IDENT) {
      throw error(token, "expected " + what + " but found " + token.describe());
    }
    return advance().text();
  }

  private String expectString(String what) throws DbcParseException {
    if (token.kind() != Kind.STRING) {
      throw error(token, "expected " + what + " (a quoted string) but found " + token.describe());
    }
    return advance().text();
  }

  private Token expectNumberToken(String what) throws DbcParseException {
    if (token.kind() != Kind.NUMBER) {
      throw error(token, "expected " + what + " (a number) but found " + token.describe());
    }
    return advance();
  }

  private void expectNumber(String what) throws DbcParseException {
    expectNumberToken(what);
  }

  private Token expectValue() throws DbcParseException {
    if (token.kind() != Kind.NUMBER && token.kind() != Kind.STRING) {
      throw error(token, "expected an attribute value (number or string) but found " + token.describe());
    }
    return advance();
  }

  /**
   * An integer token as a long. Values up to 2^64 - 1 keep their low 64 bits (unsigned 64-bit
   * raw values in VAL_); "1.0" or "1e3" are accepted when integral. Never builds an unbounded number
   * (a hostile "1e999999999" must not cost minutes).
   */
  private long integerValue(Token t, Token at) throws DbcParseException {
    String text = t.text();
    if (text.matches("[+-]?[0-9]{1,25}")) {
      BigInteger v = new BigInteger(text.startsWith("+") ? text.substring(1) : text);
      if (v.bitLength() <= 64) {
        return v.longValue();
      }
    } else {
      double d = doubleValue(t);
      if (Double.isFinite(d) && d == Math.rint(d) && Math.abs(d) < 0x1p63) {
        return (long) d;
      }
    }
    throw error(t, "expected an integer of at most 64 bits but found " + t.describe());
  }

  private int intValue(Token t) throws DbcParseException {
    long v = integerValue(t, t);
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw error(t, "expected a small integer but found " + t.describe());
    }
    return (int) v;
  }

  private double finiteValue(Token t) throws DbcParseException {
    double v = doubleValue(t);
    if (!Double.isFinite(v)) {
      throw error(t, "expected a finite number but found " + t.describe());
    }
    return v;
  }

  private double doubleValue(Token t) throws DbcParseException {
    try {
      return Double.parseDouble(t.text());
    } catch (NumberFormatException e) {
      throw error(t, "expected a number but found " + t.describe());
    }
  }

  private DbcParseException error(Token at, String reason) {
    return new DbcParseException(sourceName, at.line(), at.column(), reason);
  }

  private static DbcWarning warning(Token at, String message) {
    return new DbcWarning(at.line(), at.column(), message);
  }
}
