package io.flexconnect.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Logging of one CLI command: stdout carries only the command's result, so every console log line
 * goes to stderr, and only warnings and errors are logged unless {@code --verbose} asks for INFO.
 * {@link #close()} restores the previous setup (the CLI also runs inside a JVM that keeps going, e.g. tests).
 */
final class CliLogging implements AutoCloseable {
  private final Logger root;
  private final Level previousLevel;
  private final List<ConsoleAppender<ILoggingEvent>> retargeted = new ArrayList<>();

  private CliLogging(Logger root, Level previousLevel) {
    this.root = root;
    this.previousLevel = previousLevel;
  }

  static CliLogging forCommand(boolean verbose) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return new CliLogging(null, null);
    }
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    CliLogging logging = new CliLogging(root, root.getLevel());
    root.setLevel(verbose ? Level.INFO : Level.WARN);
    for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
      if (it.next() instanceof ConsoleAppender<ILoggingEvent> console && "System.out".equals(console.getTarget())) {
        retarget(console, "System.err");
        logging.retargeted.add(console);
      }
    }
    return logging;
  }

  private static void retarget(ConsoleAppender<ILoggingEvent> console, String target) {
    console.stop(); // the target is read when the appender starts
    console.setTarget(target);
    console.start();
  }

  @Override
  public void close() {
    if (root == null) {
      return;
    }
    root.setLevel(previousLevel);
    retargeted.forEach(console -> retarget(console, "System.out"));
  }
}
