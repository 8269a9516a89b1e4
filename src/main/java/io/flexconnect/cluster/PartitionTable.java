package io.flexconnect.cluster;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which member owns which part of the device space. A device belongs to one of a fixed number of
 * partitions (a hash of its id); a partition belongs to the member that wins rendezvous hashing
 * (highest hash of member and partition). Every member computes the same table from the same
 * member list, with no coordination, and a member joining or leaving moves only the partitions it
 * takes or gives (about 1/n of them), so per-device state moves as little as possible.
 */
public final class PartitionTable {
  private final List<String> members;
  private final String[] owners;

  private PartitionTable(List<String> members, String[] owners) {
    this.members = members;
    this.owners = owners;
  }

  /** The table of {@code partitions} partitions among {@code members} (order does not matter). */
  public static PartitionTable assign(List<String> members, int partitions) {
    List<String> sorted = new ArrayList<>(members);
    sorted.sort(null);
    String[] owners = new String[partitions];
    for (int p = 0; p < partitions; p++) {
      long best = Long.MIN_VALUE;
      for (String member : sorted) {
        long score = mix(hash(member) * 31 + p);
        if (owners[p] == null || score > best) {
          best = score;
          owners[p] = member;
        }
      }
    }
    return new PartitionTable(List.copyOf(sorted), owners);
  }

  /** The partition of a device: stable across restarts, JVMs and versions (no String.hashCode). */
  public static int partitionOf(String deviceId, int partitions) {
    return (int) Long.remainderUnsigned(mix(hash(deviceId)), partitions);
  }

  /** The owner of {@code deviceId}, or null when there are no members. */
  public String ownerOf(String deviceId) {
    return owners.length == 0 ? null : owners[partitionOf(deviceId, owners.length)];
  }

  public String ownerOfPartition(int partition) {
    return owners[partition];
  }

  public int partitions() {
    return owners.length;
  }

  /** The members, sorted. */
  public List<String> members() {
    return members;
  }

  /** How many partitions each member owns, by member. */
  public Map<String, Integer> counts() {
    Map<String, Integer> counts = new TreeMap<>();
    members.forEach(m -> counts.put(m, 0));
    for (String owner : owners) {
      if (owner != null) {
        counts.merge(owner, 1, Integer::sum);
      }
    }
    return counts;
  }

  /** FNV-1a over the UTF-8 bytes. */
  private static long hash(String s) {
    long h = 0xcbf29ce484222325L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }

  /** SplitMix64's finaliser: spreads neighbouring inputs over the whole range. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
