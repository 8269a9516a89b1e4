package io.flexconnect.ingest;

import io.flexconnect.codec.RejectReason;
import io.flexconnect.codec.Rejection;
import java.util.EnumMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts rejections per reason and logs without flooding: the first rejection of each reason is
 * logged with its detail, later ones are summed into at most one line per reason and minute.
 */
public final class RejectionTracker {
  private static final Logger log = LoggerFactory.getLogger(RejectionTracker.class);
  private static final long SUMMARY_INTERVAL_MS = 60_000;

  private final Map<RejectReason, long[]> counts = new EnumMap<>(RejectReason.class);
  private final Map<RejectReason, Long> lastLogged = new EnumMap<>(RejectReason.class);
  private final Map<RejectReason, Long> sinceLastLog = new EnumMap<>(RejectReason.class);

  /** Counts the rejection and logs it when due. */
  public void record(Rejection rejection, String topic, long nowMs) {
    RejectReason reason = rejection.reason();
    counts.computeIfAbsent(reason, r -> new long[1])[0]++;
    Long last = lastLogged.get(reason);
    if (last == null) {
      log.warn("Rejected a message on '{}': {} (further '{}' rejections are summarised once a minute)",
          topic, rejection, reason.code());
      lastLogged.put(reason, nowMs);
      return;
    }
    long suppressed = sinceLastLog.merge(reason, 1L, Long::sum);
    if (nowMs - last >= SUMMARY_INTERVAL_MS) {
      log.warn("{} more '{}' rejections in the last {} s, latest on '{}': {}",
          suppressed, reason.code(), (nowMs - last) / 1000, topic, rejection.detail());
      lastLogged.put(reason, nowMs);
      sinceLastLog.remove(reason);
    }
  }

  /** Rejections counted so far, per reason. */
  public Map<RejectReason, Long> snapshot() {
    Map<RejectReason, Long> copy = new EnumMap<>(RejectReason.class);
    counts.forEach((reason, n) -> copy.put(reason, n[0]));
    return copy;
  }
}
