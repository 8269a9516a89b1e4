package io.flexconnect.app;

import io.flexconnect.common.ConfigException;
import io.flexconnect.decode.DecodeCommand;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Command-line entry point of the fat JAR.
 *
 * <pre>
 * java -jar flexconnect.jar [run]                  start the platform
 * java -jar flexconnect.jar device add ID [...]    register a device
 * java -jar flexconnect.jar device provision ID    register a device with a client certificate
 * java -jar flexconnect.jar pki server-cert ...    certificates for an external mTLS broker
 * java -jar flexconnect.jar apikey create ...      an API key of a tenant for REST and the live stream
 * java -jar flexconnect.jar config                 print the effective configuration keys
 * </pre>
 *
 * Global option {@code --config FILE} (default {@code conf/flexconnect.json} when present, or
 * {@code $FLEXCONNECT_CONFIG}); {@code --verbose} logs INFO (on stderr) for CLI commands, which
 * otherwise log only warnings and errors so that stdout holds only their result.
 */
public final class Main {
  static final String USAGE = """
      usage: java -jar flexconnect.jar [--config FILE] [--verbose] COMMAND

      Commands print their result on stdout and log warnings and errors on stderr (--verbose: also INFO).
      Exit codes: 0 done, 1 failed (bad input the database refuses, not found, unreachable), 2 usage or
      configuration error.

      commands:
        run                    start the platform (the default): with no configuration it runs an
                               embedded MQTT broker and an embedded PostgreSQL
      %s
        decode --dbc FILE [--dbc BUS=FILE ...] [--candump | --frame ID#HEX ...] [INPUT]
                               decode CAN frames offline to JSON lines (decode --help for more)
      %s
      %s
        env                    list the environment variables that override configuration
        help                   this text
      """.formatted(DeviceCli.USAGE.indent(2).stripTrailing() + "\n" + RedecodeCli.USAGE.indent(2).stripTrailing(),
          PkiCli.USAGE.indent(2).stripTrailing(), ApiKeyCli.USAGE.indent(2).stripTrailing());

  private Main() {}

  public static void main(String[] argv) {
    List<String> args = List.of(argv);
    if (!isRun(args)) {
      // Before anything logs: logback then sets itself up in code for the command (CliLogConfigurator).
      System.setProperty(CliLogConfigurator.LEVEL_PROPERTY, args.contains("--verbose") ? "INFO" : "WARN");
    }
    System.exit(run(args, System.getenv(), System.out, System.err, !isRun(args)));
  }

  /** Whether the arguments start the platform: no command, or {@code run}, after the global options. */
  static boolean isRun(List<String> argv) {
    for (int i = 0; i < argv.size(); i++) {
      String arg = argv.get(i);
      if (arg.equals("--config")) {
        i++;
      } else if (!arg.equals("--verbose")) {
        return arg.equals("run");
      }
    }
    return true;
  }

  public static int run(List<String> argv, Map<String, String> env, PrintStream out, PrintStream err) {
    return run(argv, env, out, err, false);
  }

  /**
   * @param loggingConfigured logback was set up for a CLI command at process start
   *     ({@link CliLogConfigurator}): then nothing touches logging here, so commands that log nothing
   *     ({@code help}, {@code env}, {@code decode}) never load it
   */
  static int run(List<String> argv, Map<String, String> env, PrintStream out, PrintStream err,
      boolean loggingConfigured) {
    List<String> args = new ArrayList<>(argv);
    Path configFile;
    try {
      configFile = configFile(args, env);
    } catch (ConfigException e) {
      err.println("configuration error: " + e.getMessage());
      return 2;
    }
    boolean verbose = args.remove("--verbose");
    String command = args.isEmpty() ? "run" : args.remove(0);
    if (command.equals("run") || loggingConfigured) {
      return runCommand(command, args, configFile, env, out, err);
    }
    try (CliLogging logging = CliLogging.forCommand(verbose)) {
      return runCommand(command, args, configFile, env, out, err);
    }
  }

  private static int runCommand(String command, List<String> args, Path configFile, Map<String, String> env,
      PrintStream out, PrintStream err) {
    try {
      if (command.equals("help") || command.equals("--help") || command.equals("-h")) {
        out.print(USAGE);
        return 0;
      }
      if (command.equals("decode")) { // offline: needs no platform configuration
        return DecodeCommand.run(args, System.in, out, err);
      }
      if (command.equals("env")) {
        new ConfigLoader().environmentNames().forEach(out::println);
        return 0;
      }
      FlexconnectConfig config = new ConfigLoader().load(configFile, env);
      return switch (command) {
        case "run" -> PlatformRunner.runUntilStopped(config, out);
        case "device" -> DeviceCli.run(args, config, out, err);
        case "redecode" -> RedecodeCli.run(args, config, out, err);
        case "pki" -> PkiCli.run(args, config, out, err);
        case "apikey" -> ApiKeyCli.run(args, config, out, err);
        default -> {
          err.println("unknown command '" + command + "'\n\n" + USAGE);
          yield 2;
        }
      };
    } catch (ConfigException e) {
      err.println("configuration error: " + e.getMessage());
      return 2;
    } catch (Exception e) {
      err.println("error: " + e);
      return 1;
    }
  }

  private static Path configFile(List<String> args, Map<String, String> env) {
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).equals("--config") && i + 1 < args.size()) {
        Path file = Path.of(args.get(i + 1));
        args.remove(i + 1);
        args.remove(i);
        if (!Files.isRegularFile(file)) {
          throw new ConfigException("--config " + file + ": no such file");
        }
        return file;
      }
    }
    String fromEnv = env.get("FLEXCONNECT_CONFIG");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Path.of(fromEnv);
    }
    Path local = Path.of("conf", "flexconnect.json");
    return Files.isRegularFile(local) ? local : null;
  }
}
