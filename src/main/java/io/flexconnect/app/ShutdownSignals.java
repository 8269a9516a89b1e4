package io.flexconnect.app;

import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT for {@code run}: the first starts a graceful stop, a second exits at once.
 *
 * <p>A JVM shutdown hook cannot do this: once the first signal started the hooks, further signals
 * are ignored until they finish. {@code sun.misc.Signal} (module {@code jdk.unsupported}) is the
 * JDK's only way to see each signal.
 */
final class ShutdownSignals {
  private static final Logger log = LoggerFactory.getLogger(ShutdownSignals.class);

  private ShutdownSignals() {}

  /**
   * @param firstStop starts the graceful stop and returns true, or returns false when one is
   *     already under way (then the process halts)
   */
  static void install(BooleanSupplier firstStop) {
    for (String name : List.of("TERM", "INT")) {
      try {
        Signal.handle(new Signal(name), signal -> {
          if (!firstStop.getAsBoolean()) {
            log.warn("SIG{} again while stopping: exiting now; unacknowledged messages are delivered again",
                signal.getName());
            Runtime.getRuntime().halt(128 + signal.getNumber());
          }
        });
      } catch (IllegalArgumentException e) {
        log.debug("SIG{} cannot be handled here ({}); the shutdown hook stops the platform", name, e.getMessage());
      }
    }
  }
}
