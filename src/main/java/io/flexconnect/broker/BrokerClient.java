package io.flexconnect.broker;

import io.vertx.mqtt.MqttAuth;
import io.vertx.mqtt.MqttEndpoint;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * One client connection as the authorizer sees it.
 *
 * @param clientId    client identifier from CONNECT
 * @param auth        user name and password, {@code null} when the client sent none
 * @param tls         whether the connection came in over the TLS listener
 * @param certificate the client certificate the TLS handshake verified, {@code null} without one
 */
public record BrokerClient(String clientId, MqttAuth auth, boolean tls, X509Certificate certificate) {

  static BrokerClient of(String clientId, MqttEndpoint endpoint) {
    return new BrokerClient(clientId, endpoint.auth(), endpoint.isSsl(), endpoint.isSsl() ? peer(endpoint.sslSession()) : null);
  }

  private static X509Certificate peer(SSLSession session) {
    if (session == null) {
      return null;
    }
    try {
      Certificate[] chain = session.getPeerCertificates();
      return chain.length > 0 && chain[0] instanceof X509Certificate leaf ? leaf : null;
    } catch (SSLPeerUnverifiedException e) {
      return null;
    }
  }

  /** Never the password. */
  @Override
  public String toString() {
    return "BrokerClient[" + clientId + (tls ? ", tls" : "")
        + (certificate != null ? ", " + certificate.getSubjectX500Principal() : "") + "]";
  }
}
