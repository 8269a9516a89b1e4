package io.flexconnect.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP relay in front of a real server, standing in for the network between the
 * platform and it: {@link #silenceOpenConnections()} makes the connections open at that moment
 * swallow everything in both directions without closing (a peer gone silent behind a stateful
 * firewall or a failed-over address), while new connections pass as before.
 */
public final class TcpProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final String targetHost;
  private final int targetPort;
  private final List<Relay> relays = new CopyOnWriteArrayList<>();

  public TcpProxy(String targetHost, int targetPort) throws IOException {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "tcp-proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** Connections open now stop passing bytes, in both directions, and stay open. */
  public void silenceOpenConnections() {
    relays.forEach(r -> r.silent = true);
  }

  /** Connections made so far. */
  public int connections() {
    return relays.size();
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(targetHost, targetPort);
        Relay relay = new Relay(client, server);
        relays.add(relay);
        pump(relay, client, server, "up");
        pump(relay, server, client, "down");
      } catch (IOException e) {
        // closed, or the server refused: the client sees its connection end
      }
    }
  }

  private static void pump(Relay relay, Socket from, Socket to, String direction) {
    Thread t = new Thread(() -> {
      byte[] buffer = new byte[16_384];
      try (InputStream in = from.getInputStream()) {
        OutputStream out = to.getOutputStream();
        int n;
        while ((n = in.read(buffer)) >= 0) {
          if (!relay.silent) {
            out.write(buffer, 0, n);
            out.flush();
          }
        }
      } catch (IOException e) {
        // one side closed
      }
      if (!relay.silent) {
        relay.close();
      }
    }, "tcp-proxy-" + direction);
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() throws IOException {
    listener.close();
    relays.forEach(Relay::close);
  }

  private static final class Relay {
    final Socket client;
    final Socket server;
    volatile boolean silent;

    Relay(Socket client, Socket server) {
      this.client = client;
      this.server = server;
    }

    void close() {
      try {
        client.close();
        server.close();
      } catch (IOException e) {
        // already closed
      }
    }
  }
}
