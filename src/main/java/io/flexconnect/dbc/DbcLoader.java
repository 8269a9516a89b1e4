package io.flexconnect.dbc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads DBC files. Bytes are decoded as strict UTF-8 and, when that fails, as windows-1252 (tools on
 * Windows write cp1252); the encoding used is recorded on the database and, for the fallback, as a
 * warning. This is blocking file IO: call it off the event loop.
 */
public final class DbcLoader {

  private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

  private DbcLoader() {}

  /** Reads and parses a DBC file; the file name is used in messages. */
  public static DbcDatabase load(Path file) throws IOException, DbcParseException {
    return load(Files.readAllBytes(file), file.getFileName().toString());
  }

  /** Parses DBC bytes in UTF-8 or, failing that, windows-1252. */
  public static DbcDatabase load(byte[] bytes, String sourceName) throws DbcParseException {
    String text;
    String encoding;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
      encoding = "UTF-8";
    } catch (CharacterCodingException e) {
      text = new String(bytes, WINDOWS_1252);
      encoding = "windows-1252";
    }
    DbcDatabase db = DbcParser.parse(text, sourceName, encoding);
    if (!"UTF-8".equals(encoding)) {
      java.util.List<DbcWarning> w = new java.util.ArrayList<>();
      w.add(new DbcWarning(1, 1, "file is not valid UTF-8; read as windows-1252"));
      w.addAll(db.warnings());
      db = new DbcDatabase(db.sourceName(), db.encoding(), db.version(), db.nodes(), db.messages(),
          db.valueTables(), db.attributeDefinitions(), db.attributes(), db.comment(), w);
    }
    return db;
  }
}
