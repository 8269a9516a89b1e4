package io.flexconnect.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PartitionTableTest {
  private static final List<String> THREE = List.of("node-b", "node-a", "node-c");

  @Test
  void verifiesThatEveryMemberComputesTheSameTableWhateverTheOrderOfItsList() {
    PartitionTable one = PartitionTable.assign(THREE, 64);
    PartitionTable other = PartitionTable.assign(List.of("node-c", "node-b", "node-a"), 64);
    for (int p = 0; p < 64; p++) {
      assertThat(other.ownerOfPartition(p)).isEqualTo(one.ownerOfPartition(p));
    }
  }

  @Test
  void verifiesThatADeviceAlwaysFallsInTheSamePartition() {
    // Fixed values: the partition of a device must not change between JVMs or versions.
    assertThat(PartitionTable.partitionOf("truck-0001", 64)).isEqualTo(PartitionTable.partitionOf("truck-0001", 64));
    List<Integer> seen = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      seen.add(PartitionTable.partitionOf("dev-" + i, 64));
    }
    assertThat(seen).allMatch(p -> p >= 0 && p < 64);
    assertThat(seen.stream().distinct().count()).isEqualTo(64);
  }

  @Test
  void verifiesThatPartitionsAreSpreadOverTheMembers() {
    PartitionTable table = PartitionTable.assign(THREE, 64);
    assertThat(table.counts().values()).allMatch(n -> n >= 10 && n <= 32);
    assertThat(table.counts().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(64);
  }

  @Test
  void verifiesThatALeavingMemberMovesOnlyItsOwnPartitions() {
    PartitionTable before = PartitionTable.assign(THREE, 64);
    PartitionTable after = PartitionTable.assign(List.of("node-a", "node-b"), 64);
    for (int p = 0; p < 64; p++) {
      if (!before.ownerOfPartition(p).equals("node-c")) {
        assertThat(after.ownerOfPartition(p)).isEqualTo(before.ownerOfPartition(p));
      }
    }
  }

  @Test
  void verifiesThatAJoiningMemberTakesPartitionsOnlyForItself() {
    PartitionTable before = PartitionTable.assign(THREE, 64);
    PartitionTable after = PartitionTable.assign(List.of("node-a", "node-b", "node-c", "node-d"), 64);
    int moved = 0;
    for (int p = 0; p < 64; p++) {
      if (!after.ownerOfPartition(p).equals(before.ownerOfPartition(p))) {
        assertThat(after.ownerOfPartition(p)).isEqualTo("node-d");
        moved++;
      }
    }
    assertThat(moved).isBetween(8, 28);
  }

  @Test
  void verifiesThatAMemberOwnsADeviceOnlyWhereTheTableSaysSo() {
    PartitionTable table = PartitionTable.assign(THREE, 64);
    String owner = table.ownerOf("truck-0042");
    assertThat(new Ownership(table, owner).owns("truck-0042")).isTrue();
    assertThat(THREE.stream().filter(m -> new Ownership(table, m).owns("truck-0042"))).containsExactly(owner);
  }
}
