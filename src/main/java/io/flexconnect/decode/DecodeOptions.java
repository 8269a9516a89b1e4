package io.flexconnect.decode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The parsed arguments of the {@code decode} command. Parsing is pure: no file is opened here, so
 * every usage rule is tested without IO.
 *
 * @param dbcs the DBC files in the order given ({@link DbcSpec#ALL_BUSES} for {@code --dbc FILE})
 * @param mode where the frames come from
 * @param input the input file, or null for standard input (binary and candump modes)
 * @param frames the {@code --frame} texts, in order (frame mode)
 * @param bus the {@code --bus} value: the bus of {@code --frame} frames, and of candump interfaces
 *     whose name has no trailing digits; 0 when not given
 * @param timeMs the timestamp of {@code --frame} frames, 0 when not given
 * @param printUnknown whether frames no DBC knows are printed ({@code --unknown})
 * @param help whether {@code --help} was asked for (everything else is then ignored)
 */
public record DecodeOptions(
    List<DbcSpec> dbcs,
    Mode mode,
    Path input,
    List<String> frames,
    int bus,
    long timeMs,
    boolean printUnknown,
    boolean help) {

  /** Usage text, also printed with every usage error. */
  public static final String USAGE = """
      usage: java -jar flexconnect.jar decode --dbc FILE [--dbc BUS=FILE ...] [options] [INPUT]

      Decodes CAN frames with DBC files and prints one JSON line per decoded frame:
        {"t":MS,"bus":N,"id":ID,"message":NAME,"signals":{...},"labels":{...},"sa":SA}
      ("labels" only when value tables give labels, "sa" only for J1939 messages,
      "extended":true for 29-bit IDs). A summary goes to stderr.

      input (INPUT is a file, or '-' or absent for standard input):
        (default)              a binary CAN message as devices publish it (plain or 0xFC gzip)
        --candump              a 'candump -L' log; the bus is the interface's trailing number
        --frame ID#HEX         a single frame, e.g. 123#0102 or 18FEF100#AABB (repeatable;
                               no INPUT then)

      options:
        --dbc FILE             DBC file for every bus (repeatable; the first that knows an ID wins)
        --dbc BUS=FILE         DBC file for one bus; replaces the all-bus files on that bus
        --bus N                bus of --frame frames, and of candump interfaces without a
                               trailing number (default 0)
        --time MS              timestamp of --frame frames, epoch milliseconds (default 0)
        --unknown              also print frames no DBC knows: {"t":..,"unknown":true,"data":HEX}
        --help                 this text

      exit status: 0 ok, 1 bad input (reported, the rest still decoded), 2 usage or DBC error""";

  /** Where the frames come from. */
  public enum Mode { BINARY, CANDUMP, FRAMES }

  /**
   * One {@code --dbc} argument.
   *
   * @param bus the bus it applies to, or {@link #ALL_BUSES}
   * @param file the DBC file
   */
  public record DbcSpec(int bus, Path file) {
    /** Marks a DBC given without {@code BUS=}. */
    public static final int ALL_BUSES = -1;

    public DbcSpec {
      Objects.requireNonNull(file, "file");
    }
  }

  /** A command line that does not follow the usage; the message says what is wrong. */
  public static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  public DecodeOptions {
    dbcs = List.copyOf(dbcs);
    frames = List.copyOf(frames);
  }

  /** Parses the arguments that follow {@code decode}. */
  public static DecodeOptions parse(List<String> args) throws UsageException {
    List<DbcSpec> dbcs = new ArrayList<>();
    List<String> frames = new ArrayList<>();
    List<String> positional = new ArrayList<>();
    boolean candump = false;
    boolean unknown = false;
    Integer bus = null;
    Long time = null;
    boolean optionsEnded = false;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (optionsEnded || arg.equals("-") || !arg.startsWith("-")) {
        positional.add(arg);
        continue;
      }
      if (arg.equals("--")) {
        optionsEnded = true;
        continue;
      }
      String name = arg;
      String inlineValue = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        inlineValue = arg.substring(eq + 1);
      }
      switch (name) {
        case "-h", "--help" -> {
          return new DecodeOptions(List.of(), Mode.BINARY, null, List.of(), 0, 0, false, true);
        }
        case "--candump" -> {
          noValue(name, inlineValue);
          candump = true;
        }
        case "--unknown" -> {
          noValue(name, inlineValue);
          unknown = true;
        }
        case "--dbc" -> {
          String value = inlineValue != null ? inlineValue : value(args, ++i, name);
          dbcs.add(dbcSpec(value));
        }
        case "--frame" -> frames.add(inlineValue != null ? inlineValue : value(args, ++i, name));
        case "--bus" -> bus = (int) number(name,
            inlineValue != null ? inlineValue : value(args, ++i, name), Integer.MAX_VALUE);
        case "--time" -> time = number(name,
            inlineValue != null ? inlineValue : value(args, ++i, name), Long.MAX_VALUE);
        default -> throw new UsageException("unknown option '" + arg + "'");
      }
    }
    if (dbcs.isEmpty()) {
      throw new UsageException("at least one --dbc FILE is required");
    }
    if (positional.size() > 1) {
      throw new UsageException("one INPUT at most, got " + positional);
    }
    Mode mode = candump ? Mode.CANDUMP : frames.isEmpty() ? Mode.BINARY : Mode.FRAMES;
    if (candump && !frames.isEmpty()) {
      throw new UsageException("--candump and --frame exclude each other");
    }
    if (mode == Mode.FRAMES && !positional.isEmpty()) {
      throw new UsageException("--frame takes no INPUT, got '" + positional.get(0) + "'");
    }
    if (time != null && mode != Mode.FRAMES) {
      throw new UsageException("--time applies to --frame only");
    }
    if (bus != null && mode == Mode.BINARY) {
      throw new UsageException("--bus applies to --frame and --candump only: a binary message carries its bus");
    }
    Path input = positional.isEmpty() || positional.get(0).equals("-") ? null : Path.of(positional.get(0));
    return new DecodeOptions(dbcs, mode, input, frames, bus == null ? 0 : bus,
        time == null ? 0 : time, unknown, false);
  }

  /** {@code FILE} or {@code BUS=FILE}, BUS a decimal number. */
  static DbcSpec dbcSpec(String value) throws UsageException {
    int eq = value.indexOf('=');
    if (eq > 0 && value.substring(0, eq).chars().allMatch(c -> c >= '0' && c <= '9')) {
      int bus = (int) number("--dbc BUS", value.substring(0, eq), Integer.MAX_VALUE);
      String file = value.substring(eq + 1);
      if (file.isEmpty()) {
        throw new UsageException("--dbc " + value + ": file name missing after '='");
      }
      return new DbcSpec(bus, Path.of(file));
    }
    if (value.isEmpty()) {
      throw new UsageException("--dbc: file name missing");
    }
    return new DbcSpec(DbcSpec.ALL_BUSES, Path.of(value));
  }

  private static String value(List<String> args, int i, String name) throws UsageException {
    if (i >= args.size()) {
      throw new UsageException(name + " needs a value");
    }
    return args.get(i);
  }

  private static void noValue(String name, String inlineValue) throws UsageException {
    if (inlineValue != null) {
      throw new UsageException(name + " takes no value");
    }
  }

  private static long number(String name, String text, long max) throws UsageException {
    try {
      long n = Long.parseLong(text);
      if (n < 0 || n > max) {
        throw new UsageException(name + " must be between 0 and " + max + ", got " + text);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new UsageException(name + " needs a decimal number, got '" + text + "'");
    }
  }
}
