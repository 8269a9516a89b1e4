package io.flexconnect.pki;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The platform's revocation list in memory: certificate serial to the instant from which it is no
 * longer accepted (now for a revocation, the end of the grace period for a rotated-out
 * certificate). Read on the broker's event loop for every connection, written by whoever learns of
 * a revocation (the provisioning service at once, a periodic refresh from the database for
 * revocations made elsewhere), hence a concurrent map and no locks.
 */
public final class RevokedCertificates {
  private final Map<BigInteger, Instant> revokedFrom = new ConcurrentHashMap<>();

  /** Whether {@code serial} may no longer be used at {@code now}. */
  public boolean isRevoked(BigInteger serial, Instant now) {
    Instant from = revokedFrom.get(serial);
    return from != null && !now.isBefore(from);
  }

  /** Records a revocation effective at {@code from}; an earlier one already known wins. */
  public void revoke(BigInteger serial, Instant from) {
    revokedFrom.merge(serial, from, (a, b) -> a.isBefore(b) ? a : b);
  }

  /** Adds everything in {@code entries} (a refresh from the registry; entries never disappear while their certificate lives). */
  public void addAll(Map<BigInteger, Instant> entries) {
    entries.forEach(this::revoke);
  }

  public int size() {
    return revokedFrom.size();
  }
}
