package io.flexconnect.bench;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * End-to-end load: publishes N QoS 1 messages (JSON or binary CAN) for one device and measures how
 * long until the platform has committed the last one (visible over REST), or, in {@code
 * broker-only} mode, how long until a plain subscriber that acknowledges at once received them
 * all — the upper bound for any pipeline behind the same broker. Run by bench/e2e/ingest-throughput.sh.
 *
 * <pre>
 * IngestLoad MODE(platform|broker-only) FORMAT(json|can) MQTT_PORT HTTP_PORT MESSAGES DEVICE TOKEN
 * </pre>
 */
public final class IngestLoad {
  private static final int WINDOW = 500;
  private static final long BASE_TS = 1_700_000_000_000L;

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    String format = args[1];
    int mqttPort = Integer.parseInt(args[2]);
    int httpPort = Integer.parseInt(args[3]);
    int messages = Integer.parseInt(args[4]);
    String device = args[5];
    String token = args[6];
    Vertx vertx = Vertx.vertx();
    try {
      byte[][] payloads = new byte[messages][];
      Random random = new Random(42);
      for (int i = 0; i < messages; i++) {
        payloads[i] = format.equals("json") ? json(device, token, BASE_TS + i, random) : can(token, BASE_TS + i, random);
      }
      Runnable waitDone;
      CompletableFuture<Void> received = new CompletableFuture<>();
      MqttClient subscriber = mode.equals("broker-only") ? MqttClient.create(vertx, new MqttClientOptions()
          .setClientId("bench-baseline-" + System.nanoTime()).setCleanSession(true)
          .setMaxMessageSize(16 * 1024 * 1024)) : null;
      if (subscriber != null) {
        AtomicLong count = new AtomicLong();
        subscriber.publishHandler(m -> {
          if (count.incrementAndGet() == messages) {
            received.complete(null);
          }
        });
        await(subscriber.connect(mqttPort, "127.0.0.1").compose(a -> subscriber.subscribe("bench/#", 1)));
        waitDone = () -> received.join();
      } else {
        long lastTs = BASE_TS + messages - 1;
        String signal = format.equals("json") ? "f0" : "EngineData.EngineSpeed";
        waitDone = () -> waitVisible(httpPort, device, signal, lastTs);
      }
      String topic = (mode.equals("broker-only") ? "bench/" : "flexconnect/") + device + "/" + format;
      long start = System.nanoTime();
      publishAll(vertx, mqttPort, topic, payloads);
      long published = System.nanoTime();
      waitDone.run();
      long done = System.nanoTime();
      double seconds = (done - start) / 1e9;
      System.out.printf("%s %s messages=%d bytes/msg=%d publish_s=%.2f total_s=%.2f msg_per_s=%.0f%n",
          mode, format, messages, payloads[0].length, (published - start) / 1e9, seconds, messages / seconds);
      if (subscriber != null) {
        await(subscriber.disconnect());
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** One point with 10 numeric fields: a typical sensor message. */
  static byte[] json(String device, String token, long ts, Random random) {
    JsonArray fields = new JsonArray();
    for (int f = 0; f < 10; f++) {
      fields.add(new JsonObject().put("name", "f" + f).put("value", Math.round(random.nextDouble() * 10_000) / 100.0));
    }
    return new JsonObject().put("device_id", device).put("token", token)
        .put("tags", new JsonArray().add(new JsonObject().put("site", "bench")))
        .put("points", new JsonArray().add(new JsonObject().put("timestamp", ts).put("fields", fields)))
        .encode().getBytes(StandardCharsets.UTF_8);
  }

  /** The guide's three frames (15 signals with the demo DBC) with random data. */
  static byte[] can(String token, long ts, Random random) {
    byte[] t = token.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(ByteBuffer.allocate(4).putInt(t.length).array());
    out.writeBytes(t);
    int[][] frames = {{0x123, 1, 8}, {0x456, 1, 4}, {0x789, 2, 6}};
    int length = 12;
    for (int[] f : frames) {
      length += 5 + f[2];
    }
    ByteBuffer header = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
    header.putLong(ts).putShort((short) frames.length).putShort((short) length);
    out.writeBytes(header.array());
    for (int[] f : frames) {
      out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(f[0]).array());
      out.write(f[1] << 5 | f[2]);
      byte[] data = new byte[f[2]];
      random.nextBytes(data);
      out.writeBytes(data);
    }
    return out.toByteArray();
  }

  static void publishAll(Vertx vertx, int port, String topic, byte[][] payloads) {
    MqttClient client = MqttClient.create(vertx, new MqttClientOptions().setClientId("bench-device-" + System.nanoTime())
        .setMaxInflightQueue(WINDOW * 2).setMaxMessageSize(16 * 1024 * 1024));
    Map<Integer, Promise<Void>> waiting = new HashMap<>();
    client.publishCompletionHandler(id -> {
      Promise<Void> p = waiting.remove(id);
      if (p != null) {
        p.complete();
      }
    });
    await(client.connect(port, "127.0.0.1"));
    for (int start = 0; start < payloads.length; start += WINDOW) {
      int end = Math.min(payloads.length, start + WINDOW);
      int from = start;
      Future<Void> window = Future.future(all -> vertx.runOnContext(v -> {
        java.util.List<Future<Void>> acks = new java.util.ArrayList<>();
        for (int i = from; i < end; i++) {
          Promise<Void> acked = Promise.promise();
          acks.add(acked.future());
          client.publish(topic, Buffer.buffer(payloads[i]), MqttQoS.AT_LEAST_ONCE, false, false)
              .onSuccess(id -> waiting.put(id, acked))
              .onFailure(acked::fail);
        }
        Future.all(acks).<Void>mapEmpty().onComplete(all);
      }));
      await(window);
    }
    await(client.disconnect());
  }

  static void waitVisible(int httpPort, String device, String signal, long lastTs) {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    URI uri = URI.create("http://127.0.0.1:" + httpPort + "/api/v1/devices/" + device + "/telemetry?signal=" + signal
        + "&from=" + lastTs + "&to=" + (lastTs + 1));
    while (true) {
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200 && new JsonObject(r.body()).getInteger("count") == 1) {
          return;
        }
        Thread.sleep(20);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(600, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
