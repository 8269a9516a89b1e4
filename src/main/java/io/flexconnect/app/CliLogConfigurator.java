package io.flexconnect.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * Logback's configuration for a CLI command started from {@link Main#main}: the same stderr
 * appender and pattern as {@code logback.xml}, set up in code. Parsing {@code logback.xml} (an XML
 * parser and logback's configuration model) took a third of a {@code device list} call, and a
 * command that logs only warnings needs neither it nor the pattern compiler: {@link CliLayout}
 * writes the pattern's line directly.
 *
 * <p>Found by logback through {@code META-INF/services}; it acts only when {@link #LEVEL_PROPERTY}
 * names a level (set by {@code Main.main} for commands other than {@code run}), and never when the
 * user names a configuration file ({@code -Dlogback.configurationFile}). Otherwise logback goes on
 * to {@code logback.xml} as usual.
 */
public final class CliLogConfigurator extends ContextAwareBase implements Configurator {
  /** System property holding the root level of a CLI command ({@code WARN}, or {@code INFO} with --verbose). */
  static final String LEVEL_PROPERTY = "flexconnect.cli.logLevel";

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    String level = System.getProperty(LEVEL_PROPERTY);
    if (level == null || System.getProperty("logback.configurationFile") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    CliLayout layout = new CliLayout();
    layout.setContext(context);
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(context);
    encoder.setLayout(layout);
    encoder.start();
    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(context);
    stderr.setName("STDERR");
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder);
    stderr.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(level, Level.WARN));
    root.addAppender(stderr);
    for (String chatty : new String[] {"io.zonky", "io.netty", "io.vertx"}) {
      context.getLogger(chatty).setLevel(Level.WARN);
    }
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** {@code logback.xml}'s pattern {@code %d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n}, and the stack trace. */
  static final class CliLayout extends LayoutBase<ILoggingEvent> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    @Override
    public String doLayout(ILoggingEvent event) {
      String logger = event.getLoggerName();
      StringBuilder line = new StringBuilder(128)
          .append(TIME.format(Instant.ofEpochMilli(event.getTimeStamp()))).append(' ')
          .append(String.format("%-5s", event.getLevel())).append(' ')
          .append(logger.substring(logger.lastIndexOf('.') + 1)).append(" - ")
          .append(event.getFormattedMessage()).append(System.lineSeparator());
      IThrowableProxy thrown = event.getThrowableProxy();
      if (thrown != null) {
        line.append(ThrowableProxyUtil.asString(thrown)).append(System.lineSeparator());
      }
      return line.toString();
    }
  }
}
