package io.flexconnect.bench.cluster;

import io.flexconnect.bench.e2e.DevicePublishers;
import io.flexconnect.bench.e2e.IngestDataset;
import io.flexconnect.bench.faults.Mosquitto;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The broker and the devices of {@code bench/cluster/scale-out.sh}, which starts and measures the
 * platform instances itself.
 *
 * <pre>
 * ScaleOutLoad broker DIR PORT                     Mosquitto (the bench's no-loss settings) until killed
 * ScaleOutLoad devices DEVICES                     prints "device-id token" per device, to register them
 * ScaleOutLoad publish PORT DEVICES MESSAGES       MESSAGES JSON messages in all, one point of one field
 *                                                  each, spread over the devices; QoS 1, 50 in flight per
 *                                                  device; returns once all are PUBACKed
 * </pre>
 *
 * <p>Messages are small on purpose (one row each): the cost measured is the per-message cost of the
 * cluster hop, which large messages would hide behind the database's per-row cost.
 */
public final class ScaleOutLoad {
  private static final int WINDOW = 50;
  private static final long BASE_TS = 1_700_000_000_000L;

  private ScaleOutLoad() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "broker" -> broker(Path.of(args[1]), Integer.parseInt(args[2]));
      case "devices" -> {
        for (int d = 0; d < Integer.parseInt(args[1]); d++) {
          System.out.println(IngestDataset.deviceId(d) + " " + IngestDataset.token(d));
        }
      }
      case "publish" -> publish(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
      default -> throw new IllegalArgumentException("broker | devices | publish, not " + args[0]);
    }
  }

  private static void broker(Path dir, int port) throws Exception {
    Mosquitto broker = new Mosquitto(dir, port);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        broker.stop();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      stopped.countDown();
    }));
    broker.start();
    System.out.println("ready");
    stopped.await();
  }

  private static void publish(int port, int devices, int messages) throws Exception {
    IngestDataset data = new IngestDataset(devices, messages);
    byte[][][] payloads = new byte[devices][][];
    Random random = new Random(42);
    for (int d = 0; d < devices; d++) {
      payloads[d] = new byte[data.messagesOf(d)][];
      for (int i = 0; i < payloads[d].length; i++) {
        payloads[d][i] = ("{\"device_id\":\"" + IngestDataset.deviceId(d) + "\",\"token\":\"" + IngestDataset.token(d)
            + "\",\"points\":[{\"timestamp\":" + (BASE_TS + i * 1000L) + ",\"fields\":[{\"name\":\"temperature\",\"value\":"
            + (20 + random.nextInt(1000) / 100.0) + "}]}]}").getBytes(StandardCharsets.UTF_8);
      }
    }
    Vertx vertx = Vertx.vertx();
    try {
      long start = System.nanoTime();
      DevicePublishers.publish(vertx, port, "json", payloads, WINDOW).toCompletionStage().toCompletableFuture()
          .get(30, TimeUnit.MINUTES);
      System.out.printf("published=%d publish_s=%.2f%n", data.messages(), (System.nanoTime() - start) / 1e9);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
