/**
 * The embedded, in-process MQTT 3.1.1 broker of zero-config mode, built on vertx-mqtt's
 * {@code MqttServer}. The composition root deploys one {@link io.flexconnect.broker.EmbeddedBrokerVerticle}
 * per broker with a {@link io.flexconnect.broker.BrokerConfig} (and optionally a
 * {@link io.flexconnect.broker.BrokerAuthorizer}), reads the bound port with {@code actualPort()} and
 * the counters with {@code stats()}.
 *
 * <h2>Semantics and policies</h2>
 * <ul>
 *   <li><b>Sessions</b> are in memory, keyed by client id. Clean-session false keeps subscriptions,
 *       queued and unacknowledged deliveries across reconnects (CONNACK session-present set); they
 *       never expire. A new connection with a client id in use closes the older connection. Nothing
 *       is written to disk, and nothing needs to be: with ack-through the broker never holds a
 *       message it has acknowledged, so a crash loses only what the devices still have.</li>
 *   <li><b>Subscriptions</b> are granted at min(requested, 1). Topic filters follow 3.1.1 section 4.7,
 *       including {@code $}-topics being invisible to leading wildcards. {@code $share/{group}/{filter}}
 *       sends each message to one member, round-robin over connected members with queue room; when a
 *       member leaves, its queued and unacknowledged deliveries of that group move to a connected
 *       member (at least once). Retained messages are kept per topic (bounded) and sent after SUBACK to
 *       plain subscriptions, not to shared ones.</li>
 *   <li><b>Reserved subscriptions</b>: a {@link io.flexconnect.broker.ReservedSubscription} is a
 *       persistent QoS 1 session and subscription that exists from the broker's start, before its
 *       client first connects (the platform's ingest subscription). Matching publishes queue for it
 *       and their PUBACK waits, so a device reconnecting while the platform still starts keeps its
 *       messages. A clean-session connect under a reserved client id is refused (it would discard
 *       the queue and release those PUBACKs).</li>
 *   <li><b>Ack-through</b>: a QoS 1 publish gets its PUBACK only once every QoS 1 delivery it caused
 *       was acknowledged; with no QoS 1 subscriber it is acknowledged at once. A QoS 0 subscription
 *       (or QoS 0 publish) is delivered at QoS 0 and does not hold the PUBACK. If the publisher's
 *       connection closed meanwhile it gets no PUBACK and will retransmit: at least once, never lost.
 *       A retransmission (same packet id, same persistent publisher session) of a publish still in
 *       progress is not routed again.</li>
 *   <li><b>QoS 2 publishes</b> are delivered as QoS 1: PUBREC is sent when ack-through completes,
 *       PUBCOMP on PUBREL; a duplicate PUBLISH before PUBREL is answered with PUBREC, not re-routed.</li>
 *   <li><b>Leaving subscribers</b>: a persistent session keeps its in-flight deliveries and resends
 *       them with DUP=1 on reconnect (the publisher's PUBACK waits). A clean-session subscriber that
 *       disconnects drops its pending deliveries, which count as done for ack-through.</li>
 *   <li><b>Flow control</b>: per session at most {@code maxInflightPerSession} unacknowledged QoS 1
 *       deliveries, the rest wait in a FIFO of at most {@code maxQueuedPerSession}. A publish that
 *       would exceed a target's FIFO is not routed and not acknowledged, and its publisher is
 *       disconnected (counted as an overflow, one warning per overflow episode and subscriber): the
 *       device keeps the message and retries after reconnecting. vertx-mqtt offers no way to pause
 *       reading one connection, hence disconnection rather than back-pressure.</li>
 *   <li><b>Limits</b>: a payload above {@code maxMessageBytes} disconnects the publisher (counted as
 *       oversize); so does a publish the authorizer refuses (3.1.1 has no negative PUBACK). With an
 *       {@code ackTimeout}, a subscriber whose oldest delivery stays unacknowledged that long is
 *       disconnected (persistent sessions keep the messages).</li>
 *   <li><b>Listeners</b>: the plain one ({@code BrokerConfig.host/port}, loopback in the platform) and,
 *       with a {@link io.flexconnect.broker.BrokerTls}, a TLS one that requires a client certificate
 *       of the given CA (an expired one, one of another CA, or none fails the handshake). Both share
 *       sessions and routing. The authorizer sees each connection as a
 *       {@link io.flexconnect.broker.BrokerClient} with its verified certificate;
 *       {@link io.flexconnect.broker.DeviceCertificateAuthorizer} derives the device from the CN,
 *       refuses revoked certificates, and keeps each device below {@code flexconnect/{id}/}.</li>
 *   <li><b>Threading</b>: everything runs on the verticle's event loop; no locks, no blocking.</li>
 * </ul>
 */
package io.flexconnect.broker;
