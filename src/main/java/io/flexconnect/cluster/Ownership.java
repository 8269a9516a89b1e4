package io.flexconnect.cluster;

/**
 * Which devices this instance owns now, published locally on {@link ClusterAddresses#OWNERSHIP}
 * whenever the membership changes. Per-device state (pipeline deadband and interval, alert state
 * machines) is kept only for owned devices; a device that moves away is dropped (its alert state
 * saved first) and the new owner loads what was saved.
 */
public record Ownership(PartitionTable table, String self) {
  public boolean owns(String deviceId) {
    String owner = table.ownerOf(deviceId);
    return owner == null || owner.equals(self);
  }
}
