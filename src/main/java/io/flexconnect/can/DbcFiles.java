package io.flexconnect.can;

import io.flexconnect.dbc.DbcDatabase;
import io.flexconnect.dbc.DbcDecoder;
import io.flexconnect.dbc.DbcLoader;
import io.flexconnect.dbc.DbcParseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Loads DBC files of the configured folder, with the content hash that names their version. Blocking. */
public final class DbcFiles {
  private DbcFiles() {}

  /**
   * @throws DbcFileException naming the file, and line and column for a parse error
   */
  public static LoadedDbc load(Path dir, String name) {
    Path path = dir.resolve(name).normalize();
    if (!path.startsWith(dir.normalize()) || name.contains("/") || name.contains("\\")) {
      throw new DbcFileException("'" + name + "' is not a file name in " + dir);
    }
    try {
      byte[] bytes = Files.readAllBytes(path);
      DbcDatabase database = DbcLoader.load(bytes, path.toString());
      return new LoadedDbc(name, bytes, sha256(bytes), database, DbcDecoder.compile(database));
    } catch (DbcParseException e) {
      throw new DbcFileException(e.getMessage());
    } catch (IOException e) {
      throw new DbcFileException("cannot read DBC file " + path + ": " + e.getMessage());
    }
  }

  static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A loaded, compiled DBC file and its version (SHA-256 of the file). */
  public record LoadedDbc(String name, byte[] content, byte[] sha256, DbcDatabase database, DbcDecoder decoder) {}

  /** A DBC file that cannot be used, with a message a user can act on. */
  public static final class DbcFileException extends RuntimeException {
    public DbcFileException(String message) {
      super(message, null, false, false);
    }
  }
}
