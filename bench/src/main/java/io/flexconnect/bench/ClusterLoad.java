package io.flexconnect.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Publishes {@code MESSAGES} QoS 1 JSON messages (10 fields each) for each of {@code DEVICES}
 * devices {@code bench-1 … bench-D} (tokens {@code tok_bench-D-0f1e2d3c4b5a6978}) at once, each
 * device with its own connection and 500 messages in flight, and prints the publishing time. The
 * caller measures until storage holds every row. Run by bench/cluster/scale-out.sh.
 *
 * <pre>
 * ClusterLoad MQTT_PORT MESSAGES DEVICES
 * </pre>
 */
public final class ClusterLoad {
  private static final long BASE_TS = 1_700_000_000_000L;

  public static void main(String[] args) throws Exception {
    int mqttPort = Integer.parseInt(args[0]);
    int messages = Integer.parseInt(args[1]);
    int devices = Integer.parseInt(args[2]);
    Vertx vertx = Vertx.vertx();
    try {
      List<Thread> threads = new ArrayList<>();
      long start = System.nanoTime();
      for (int d = 1; d <= devices; d++) {
        String device = "bench-" + d;
        String token = "tok_bench-" + d + "-0f1e2d3c4b5a6978";
        byte[][] payloads = new byte[messages][];
        Random random = new Random(42 + d);
        for (int i = 0; i < messages; i++) {
          payloads[i] = IngestLoad.json(device, token, BASE_TS + i, random);
        }
        Thread t = new Thread(() -> IngestLoad.publishAll(vertx, mqttPort, "flexconnect/" + device + "/json", payloads));
        t.start();
        threads.add(t);
      }
      for (Thread t : threads) {
        t.join();
      }
      System.out.printf("published=%d publish_s=%.2f%n", messages * devices, (System.nanoTime() - start) / 1e9);
    } finally {
      Future<Void> closed = vertx.close();
      closed.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
