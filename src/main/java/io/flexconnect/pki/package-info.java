/**
 * The platform's own certificate authority: a root CA, the embedded broker's server certificate,
 * device and platform client certificates, all issued with BouncyCastle (never hand-built ASN.1).
 * Plain Java without Vert.x: key generation and signing are CPU work the callers move off event
 * loops, and file access happens at start-up or from CLI commands.
 *
 * <h2>Choices</h2>
 * <ul>
 *   <li><b>EC P-256 keys, ECDSA with SHA-256</b> everywhere: generating a key takes about a
 *       millisecond (RSA-2048 about 100 ms), certificates and handshakes are small, and every TLS
 *       stack devices use (OpenSSL, mbedTLS, wolfSSL, the JDK) supports it.</li>
 *   <li><b>Private keys</b> are written as unencrypted PKCS#8 PEM ({@code BEGIN PRIVATE KEY}), the
 *       form Mosquitto, OpenSSL and Vert.x all read, into files created with mode 0600.</li>
 *   <li><b>Subjects</b>: a device certificate is {@code CN=<device id>, OU=device}; the platform's
 *       own client certificate is {@code CN=<name>, OU=platform}. The broker tells the two apart by
 *       the OU, so no device id can impersonate the platform.</li>
 *   <li><b>Serials</b> are 159-bit random positive numbers (RFC 5280 allows 20 octets), so they are
 *       unique without a counter shared between instances.</li>
 * </ul>
 */
package io.flexconnect.pki;
