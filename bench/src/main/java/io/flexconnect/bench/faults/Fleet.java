package io.flexconnect.bench.faults;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Devices that publish QoS 1 messages and keep the books a device must keep to lose nothing: every
 * message that got its PUBACK is recorded, and after any disconnect the device reconnects (same client
 * id, {@code cleanSession=false}) and republishes, with the DUP flag, every message still waiting for
 * one. A message is PUBACKed once the broker took responsibility for it, so every PUBACKed message
 * must end up committed.
 *
 * <p>Device {@code d} sends {@code perDevice} messages; message {@code i} has one point at
 * {@code BASE_TS + i} ms with two fields, {@code seq = i} and {@code dev = d}, so its rows are found
 * by (device, ts) and their values say which message they came from.
 */
final class Fleet {
  static final long BASE_TS = 1_700_000_000_000L;
  static final String[] FIELDS = {"seq", "dev"};
  private static final int WINDOW = 50;

  private final Vertx vertx;
  private final List<Device> devices = new ArrayList<>();
  private final List<String> deploymentIds = new ArrayList<>();
  final AtomicLong acked = new AtomicLong();
  final AtomicLong resent = new AtomicLong();
  final AtomicLong duplicatesAcked = new AtomicLong();
  final AtomicLong connects = new AtomicLong();

  Fleet(Vertx vertx, int deviceCount, int perDevice, String runTag) {
    this.vertx = vertx;
    for (int d = 0; d < deviceCount; d++) {
      devices.add(new Device(d, deviceId(d), token(d), perDevice, "faults-" + runTag + "-" + d));
    }
  }

  static String deviceId(int d) {
    return String.format("fault-%02d", d);
  }

  static String token(int d) {
    return String.format("tok_fault-%02d-0f1e2d3c4b5a6978", d);
  }

  List<Device> devices() {
    return devices;
  }

  long total() {
    return (long) devices.size() * devices.get(0).count;
  }

  /** Starts publishing on {@code host:port}; returns at once. */
  void start(String host, int port) {
    for (Device device : devices) {
      device.host = host;
      device.port = port;
      deploymentIds.add(await(vertx.deployVerticle(device)));
    }
  }

  /** Devices publish only their first {@code fraction} of messages until {@link #release()}. */
  void hold(double fraction) {
    for (Device device : devices) {
      device.limit = (int) Math.ceil(device.count * fraction);
    }
  }

  /** Lets every device publish the rest of its messages. */
  void release() {
    for (Device device : devices) {
      device.context().runOnContext(v -> {
        device.limit = device.count;
        device.pump();
      });
    }
  }

  /** After every message was PUBACKed: each device publishes every {@code every}-th message again. */
  void publishDuplicates(int every) {
    for (Device device : devices) {
      device.context().runOnContext(v -> device.queueDuplicates(every));
    }
  }

  /** How many messages {@link #publishDuplicates} sends again in all. */
  long duplicates(int every) {
    long n = 0;
    for (Device device : devices) {
      n += (device.count + every - 1) / every;
    }
    return n;
  }

  /** Disconnects every device (their books stay readable). */
  void stop() {
    for (String id : deploymentIds) {
      try {
        vertx.undeploy(id).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        // a device that cannot say goodbye to a dead broker is not a finding
      }
    }
    deploymentIds.clear();
  }

  /** The messages device {@code d} got a PUBACK for (a copy, taken on its own context). */
  BitSet ackedOf(Device device) {
    Promise<BitSet> copy = Promise.promise();
    device.context().runOnContext(v -> copy.complete((BitSet) device.acked.clone()));
    return await(copy.future());
  }

  static byte[] payload(Device device, int i) {
    String json = "{\"device_id\":\"" + device.id + "\",\"token\":\"" + device.token + "\",\"points\":[{\"timestamp\":"
        + (BASE_TS + i) + ",\"fields\":[{\"name\":\"seq\",\"value\":" + i + "},{\"name\":\"dev\",\"value\":"
        + device.index + "}]}]}";
    return json.getBytes(StandardCharsets.UTF_8);
  }

  static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** One device: its books and its connection, all on its own context. */
  final class Device extends VerticleBase {
    final int index;
    final String id;
    final String token;
    final int count;
    final String clientId;
    final String topic;
    final BitSet acked = new BitSet();
    private final BitSet sent = new BitSet();
    private final TreeSet<Integer> toResend = new TreeSet<>();
    private final ArrayDeque<Integer> duplicates = new ArrayDeque<>();
    private int next;
    volatile int limit = Integer.MAX_VALUE;
    private Link link;
    private boolean stopped;
    private long backoffMs = 100;
    String host;
    int port;

    Device(int index, String id, String token, int count, String clientId) {
      this.index = index;
      this.id = id;
      this.token = token;
      this.count = count;
      this.clientId = clientId;
      this.topic = "flexconnect/" + id + "/json";
    }

    io.vertx.core.Context context() {
      return context;
    }

    @Override
    public Future<?> start() {
      connect();
      return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
      stopped = true;
      Link l = link;
      link = null;
      return l != null && l.client.isConnected() ? l.client.disconnect().otherwiseEmpty() : Future.succeededFuture();
    }

    private void connect() {
      if (stopped) {
        return;
      }
      MqttClient client = MqttClient.create(vertx, new MqttClientOptions().setClientId(clientId)
          .setCleanSession(false).setMaxInflightQueue(WINDOW * 4).setKeepAliveInterval(10)
          .setAutoKeepAlive(true));
      Link l = new Link(client);
      client.publishCompletionHandler(l::onPuback);
      client.closeHandler(v -> lost(l));
      client.exceptionHandler(err -> { });
      client.connect(port, host).onComplete(ar -> {
        if (ar.failed() || stopped) {
          if (!stopped) {
            vertx.setTimer(backoffMs, t -> connect());
            backoffMs = Math.min(2000, backoffMs * 2);
          }
          return;
        }
        connects.incrementAndGet();
        backoffMs = 100;
        link = l;
        pump();
      });
    }

    /** Everything this connection left without a PUBACK is sent again on the next one. */
    private void lost(Link l) {
      if (link != l) {
        return;
      }
      link = null;
      for (int key : l.unacked) {
        if (key >= 0) {
          toResend.add(key);
        } else {
          duplicates.addFirst(key);
        }
      }
      l.unacked.clear();
      l.byPacket.clear();
      if (!stopped) {
        vertx.setTimer(backoffMs, t -> connect());
      }
    }

    void queueDuplicates(int every) {
      for (int i = 0; i < count; i += every) {
        duplicates.add(-(i + 1));
      }
      pump();
    }

    void pump() {
      Link l = link;
      while (l != null && l == link && l.unacked.size() < WINDOW) {
        int key;
        if (!toResend.isEmpty()) {
          key = toResend.pollFirst();
          if (acked.get(key)) {
            continue;
          }
        } else if (next < Math.min(count, limit)) {
          key = next++;
        } else if (!duplicates.isEmpty()) {
          key = duplicates.poll();
        } else {
          return;
        }
        int i = key >= 0 ? key : -key - 1;
        boolean again = key < 0 || sent.get(i);
        if (key >= 0 && again) {
          resent.incrementAndGet();
        }
        sent.set(i);
        l.unacked.add(key);
        l.client.publish(topic, Buffer.buffer(payload(this, i)), MqttQoS.AT_LEAST_ONCE, again, false)
            .onComplete(ar -> {
              if (ar.failed()) {
                if (link == l && l.unacked.remove(key)) {
                  // not written: send again (on this connection if it lives, else after the reconnect)
                  if (key >= 0) {
                    toResend.add(key);
                  } else {
                    duplicates.addFirst(key);
                  }
                  vertx.setTimer(50, t -> pump());
                }
                return;
              }
              int packetId = ar.result();
              if (l.early.remove(packetId)) {
                confirmed(l, key);
              } else {
                l.byPacket.put(packetId, key);
              }
            });
      }
    }

    private void confirmed(Link l, int key) {
      if (!l.unacked.remove(key)) {
        return;
      }
      if (key >= 0) {
        if (!acked.get(key)) {
          acked.set(key);
          Fleet.this.acked.incrementAndGet();
        }
      } else {
        duplicatesAcked.incrementAndGet();
      }
      pump();
    }

    /** One connection: packet ids mean something only within it. */
    private final class Link {
      final MqttClient client;
      final Map<Integer, Integer> byPacket = new HashMap<>();
      final Set<Integer> early = new HashSet<>();
      final Set<Integer> unacked = new HashSet<>();

      Link(MqttClient client) {
        this.client = client;
      }

      void onPuback(int packetId) {
        Integer key = byPacket.remove(packetId);
        if (key == null) {
          early.add(packetId); // PUBACK before the publish future reported its id
        } else {
          confirmed(this, key);
        }
      }
    }
  }
}
