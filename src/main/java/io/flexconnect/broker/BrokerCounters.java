package io.flexconnect.broker;

/**
 * The broker's mutable counters. Plain fields: they are only written on the broker's event loop,
 * and a snapshot taken from another thread may merely be slightly stale.
 */
final class BrokerCounters {
  long connectionsNow;
  long connectionsTotal;
  long messagesIn;
  long delivered;
  long acked;
  long queuedNow;
  long inflightNow;
  long overflows;
  long oversize;
  long denied;
  long ackTimeouts;

  BrokerStats snapshot() {
    return new BrokerStats(connectionsNow, connectionsTotal, messagesIn, delivered, acked, queuedNow,
        inflightNow, overflows, oversize, denied, ackTimeouts);
  }
}
