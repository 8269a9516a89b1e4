package io.flexconnect.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Free TCP ports for listeners that a test hands to another process (a platform, Mosquitto,
 * PostgreSQL). They come from below Linux's ephemeral range (32768–60999): a port the kernel hands
 * out for {@code bind(0)} is also one it hands out to outgoing connections, so a platform's own
 * connection to its database can take it in the moment before the platform listens on it.
 * Deployed platforms listen on fixed low ports for the same reason.
 *
 * <p>Also compiled into the benchmarks ({@code bench/faults/run.sh}, {@code bench/e2e}, {@code bench/cluster}).
 */
public final class ListenPorts {
  private static final int LOWEST = 20_000;
  private static final int RANGE = 32_768 - LOWEST;
  /** Walks the range from a random start, so ports handed out in one JVM never repeat. */
  private static final AtomicInteger NEXT = new AtomicInteger(ThreadLocalRandom.current().nextInt(RANGE));

  private ListenPorts() {}

  /** A port nothing listens on now, outside the ephemeral range. */
  public static int free() throws IOException {
    for (int attempt = 0; attempt < RANGE; attempt++) {
      int port = LOWEST + Math.floorMod(NEXT.getAndIncrement(), RANGE);
      try (ServerSocket probe = new ServerSocket()) {
        probe.setReuseAddress(false);
        probe.bind(new InetSocketAddress(port));
        return port;
      } catch (IOException taken) {
        // in use by another process: try the next one
      }
    }
    throw new IOException("no free TCP port in " + LOWEST + "-" + (LOWEST + RANGE - 1));
  }
}
