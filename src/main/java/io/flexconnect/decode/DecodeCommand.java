package io.flexconnect.decode;

import io.flexconnect.codec.Decoded;
import io.flexconnect.codec.can.CanDecoderLimits;
import io.flexconnect.codec.can.CanLogEntry;
import io.flexconnect.codec.can.CanMessage;
import io.flexconnect.codec.can.CanMessageDecoder;
import io.flexconnect.codec.can.CanTextFrame;
import io.flexconnect.codec.can.CanTextParser;
import io.flexconnect.codec.can.CanTextParser.Result;
import io.flexconnect.dbc.DbcDatabase;
import io.flexconnect.dbc.DbcDecoder;
import io.flexconnect.dbc.DbcLoader;
import io.flexconnect.dbc.DbcParseException;
import io.flexconnect.dbc.DbcWarning;
import io.flexconnect.decode.DecodeOptions.DbcSpec;
import io.flexconnect.decode.DecodeOptions.UsageException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code decode}: the offline decoder of the fat JAR. Checks DBC files against a capture without a
 * broker or a database: reads a binary CAN message, a {@code candump -L} log or {@code --frame}
 * arguments and prints one JSON line per decoded frame (see {@link FramePrinter} for the line and
 * {@link DecodeOptions#USAGE} for the command line).
 *
 * <p>Exit status: {@value #OK} when every input was read; {@value #INPUT_ERROR} when some input was
 * bad (a rejected binary message, a malformed candump line or {@code --frame}, an unreadable input
 * file) — each is reported on stderr and the rest is still decoded; {@value #USAGE_ERROR} for a
 * command line that does not follow the usage or a DBC file that cannot be loaded, before anything
 * is decoded. Messages go to stderr, never a stack trace.
 */
public final class DecodeCommand {

  static final int OK = 0;
  static final int INPUT_ERROR = 1;
  static final int USAGE_ERROR = 2;

  /** Largest binary message read (the decoder bounds what a compressed one inflates to). */
  static final int MAX_BINARY_BYTES = 64 * 1024 * 1024;
  /** Largest DBC file read. */
  static final long MAX_DBC_BYTES = 64L * 1024 * 1024;
  /** Longest candump line; a longer one is reported (not a log, or a binary file). */
  static final int MAX_LINE_CHARS = 4096;
  /** Input errors printed in full; the rest are only counted. */
  static final int MAX_REPORTED_ERRORS = 100;
  /** DBC warnings printed per file. */
  static final int MAX_REPORTED_WARNINGS = 20;

  private static final String STDIN = "<stdin>";

  private DecodeCommand() {}

  /**
   * Runs the command.
   *
   * @param args the arguments after {@code decode}
   * @param in standard input, read when no INPUT (or {@code -}) is given
   * @param out where the JSON lines go
   * @param err where errors, DBC warnings and the summary go
   * @return the exit status
   */
  public static int run(List<String> args, InputStream in, PrintStream out, PrintStream err) {
    DecodeOptions options;
    try {
      options = DecodeOptions.parse(args);
    } catch (UsageException e) {
      err.println("decode: " + e.getMessage() + "\n\n" + DecodeOptions.USAGE);
      return USAGE_ERROR;
    }
    if (options.help()) {
      out.println(DecodeOptions.USAGE);
      return OK;
    }
    BusDbcs catalog;
    try {
      catalog = loadCatalog(options.dbcs(), err);
    } catch (DbcUnusable e) {
      err.println("decode: " + e.getMessage());
      return USAGE_ERROR;
    }

    FramePrinter printer = new FramePrinter(catalog, options.printUnknown(), out);
    ErrorReport errors = new ErrorReport(err, printer);
    try {
      switch (options.mode()) {
        case BINARY -> decodeBinary(options.input(), in, printer, errors);
        case CANDUMP -> decodeCandump(options.input(), in, options.bus(), printer, errors);
        case FRAMES -> decodeFrames(options, printer, errors, err);
      }
    } catch (UncheckedIOException e) {
      errors.report("cannot write the output: " + describe(e.getCause()));
    } catch (RuntimeException e) {
      errors.report("internal error: " + e); // a bug, but the user still gets a sentence
    } finally {
      printer.flush();
    }
    err.println("decoded " + printer.decoded() + " frames, " + printer.unknown() + " unknown, "
        + errors.count() + " errors");
    return errors.count() == 0 ? OK : INPUT_ERROR;
  }

  // ---- DBC files ----

  /** A DBC file that cannot be used; the message names the file (and line:column if it parsed). */
  private static final class DbcUnusable extends Exception {
    private static final long serialVersionUID = 1L;

    DbcUnusable(String message) {
      super(message);
    }
  }

  private static BusDbcs loadCatalog(List<DbcSpec> specs, PrintStream err) throws DbcUnusable {
    Map<Path, DbcDecoder> loaded = new HashMap<>(); // a file named twice is loaded once
    List<DbcDecoder> allBuses = new ArrayList<>();
    Map<Integer, List<DbcDecoder>> perBus = new LinkedHashMap<>();
    for (DbcSpec spec : specs) {
      DbcDecoder decoder = loaded.get(spec.file().toAbsolutePath().normalize());
      if (decoder == null) {
        decoder = DbcDecoder.compile(loadDbc(spec.file(), err));
        loaded.put(spec.file().toAbsolutePath().normalize(), decoder);
      }
      if (spec.bus() == DbcSpec.ALL_BUSES) {
        allBuses.add(decoder);
      } else {
        perBus.computeIfAbsent(spec.bus(), b -> new ArrayList<>()).add(decoder);
      }
    }
    return new BusDbcs(allBuses, perBus);
  }

  private static DbcDatabase loadDbc(Path file, PrintStream err) throws DbcUnusable {
    DbcDatabase db;
    try {
      if (Files.isRegularFile(file) && Files.size(file) > MAX_DBC_BYTES) {
        throw new DbcUnusable("DBC file " + file + " is larger than " + MAX_DBC_BYTES + " bytes");
      }
      // The path as given names the file in messages, so file:line:col points where the user looks.
      db = DbcLoader.load(Files.readAllBytes(file), file.toString());
    } catch (IOException e) {
      throw new DbcUnusable("cannot read DBC file " + file + ": " + describe(e));
    } catch (DbcParseException e) {
      throw new DbcUnusable("DBC file refused: " + e.getMessage());
    }
    List<DbcWarning> warnings = db.warnings();
    for (int i = 0; i < warnings.size() && i < MAX_REPORTED_WARNINGS; i++) {
      err.println("decode: warning: " + file + ":" + warnings.get(i));
    }
    if (warnings.size() > MAX_REPORTED_WARNINGS) {
      err.println("decode: warning: " + file + ": " + (warnings.size() - MAX_REPORTED_WARNINGS)
          + " more warnings not shown");
    }
    return db;
  }

  // ---- inputs ----

  private static void decodeBinary(Path input, InputStream in, FramePrinter printer, ErrorReport errors) {
    String name = input == null ? STDIN : input.toString();
    byte[] bytes;
    try (InputStream stream = input == null ? null : Files.newInputStream(input)) {
      bytes = readBounded(stream == null ? in : stream, MAX_BINARY_BYTES);
    } catch (IOException e) {
      errors.report("cannot read " + name + ": " + describe(e));
      return;
    }
    if (bytes == null) {
      errors.report(name + ": larger than " + MAX_BINARY_BYTES + " bytes, not a CAN message");
      return;
    }
    ByteBuf buf = Unpooled.wrappedBuffer(bytes);
    try {
      Decoded<CanMessage> decoded = new CanMessageDecoder(CanDecoderLimits.defaults()).decode(buf);
      if (decoded instanceof Decoded.Rejected<CanMessage> rejected) {
        errors.report(name + ": " + rejected.rejection().reason().code() + ": "
            + rejected.rejection().detail() + hintFor(bytes));
        return;
      }
      try (CanMessage message = ((Decoded.Ok<CanMessage>) decoded).value()) {
        message.forEachReading(printer::frame);
      }
    } finally {
      buf.release();
    }
  }

  /** A rejected "binary" input that is in fact text most often lacks {@code --candump}. */
  private static String hintFor(byte[] bytes) {
    return bytes.length > 0 && bytes[0] == '(' ? " (this looks like a candump log: add --candump)" : "";
  }

  private static void decodeCandump(Path input, InputStream in, int defaultBus, FramePrinter printer,
      ErrorReport errors) {
    String name = input == null ? STDIN : input.toString();
    try (InputStream stream = input == null ? null : Files.newInputStream(input)) {
      Reader reader = new InputStreamReader(stream == null ? in : stream, StandardCharsets.UTF_8);
      LineReader lines = new LineReader(reader, MAX_LINE_CHARS);
      String line;
      while ((line = lines.next()) != null) {
        int number = lines.number();
        if (lines.truncated()) {
          errors.report(name + ":" + number + ": line longer than " + MAX_LINE_CHARS
              + " characters: " + abbreviate(line));
          continue;
        }
        Result<CanLogEntry> result = CanTextParser.parseCandumpLine(line);
        if (result instanceof Result.Parsed<CanLogEntry> parsed) {
          CanLogEntry entry = parsed.value();
          CanTextFrame frame = entry.frame();
          int bus = entry.bus() >= 0 ? entry.bus() : defaultBus;
          printer.frame(entry.timestampMs(), bus, frame.canId(), frame.extended(), frame.data());
        } else if (result instanceof Result.Invalid<CanLogEntry> invalid) {
          String text = abbreviate(line);
          // Most parser errors quote the offending part; the whole line is added unless they quote it all.
          errors.report(name + ":" + number + ": " + invalid.error()
              + (invalid.error().contains(text) ? "" : " in line: " + text));
        }
        // Skipped: blank lines, comments, remote and error frames carry no signal.
      }
    } catch (IOException e) {
      errors.report("cannot read " + name + ": " + describe(e));
    }
  }

  private static void decodeFrames(DecodeOptions options, FramePrinter printer, ErrorReport errors,
      PrintStream err) {
    for (String text : options.frames()) {
      Result<CanTextFrame> result = CanTextParser.parseFrame(text);
      if (result instanceof Result.Parsed<CanTextFrame> parsed) {
        CanTextFrame frame = parsed.value();
        printer.frame(options.timeMs(), options.bus(), frame.canId(), frame.extended(), frame.data());
      } else if (result instanceof Result.Invalid<CanTextFrame> invalid) {
        errors.report("--frame " + text + ": " + invalid.error());
      } else if (result instanceof Result.Skipped<CanTextFrame> skipped) {
        err.println("decode: --frame " + text + ": " + skipped.why() + ", nothing to decode");
      }
    }
  }

  // ---- helpers ----

  /** Reads the whole stream, or returns null as soon as it exceeds {@code max} bytes. */
  static byte[] readBounded(InputStream in, int max) throws IOException {
    byte[] bytes = in.readNBytes(max);
    if (bytes.length == max && in.read() != -1) {
      return null;
    }
    return bytes;
  }

  private static String abbreviate(String line) {
    String s = line.strip();
    return s.length() <= 120 ? s : s.substring(0, 120) + "...";
  }

  /** A sentence for an IO failure, without the exception class names a user does not need. */
  static String describe(Throwable e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    return e.getMessage() != null ? e.getMessage() : e.toString();
  }

  /** Counts input errors and prints the first {@link #MAX_REPORTED_ERRORS} of them. */
  private static final class ErrorReport {
    private final PrintStream err;
    private final FramePrinter printer;
    private long count;

    ErrorReport(PrintStream err, FramePrinter printer) {
      this.err = err;
      this.printer = printer;
    }

    void report(String message) {
      count++;
      if (count <= MAX_REPORTED_ERRORS) {
        printer.flush(); // on a terminal the error appears after the lines that preceded it
        err.println("decode: " + message);
      } else if (count == MAX_REPORTED_ERRORS + 1) {
        err.println("decode: further errors are counted, not shown");
      }
    }

    long count() {
      return count;
    }
  }
}
