package org.phm.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Shuffle partitions sized from the input: the per-core default for small inputs, one per 50 MB for large ones. */
class SparkSessionsTest {
  @Test
  void partitionsFollowTheInputSizeAboveTheDefault() {
    int d = SparkSessions.defaultShufflePartitions();
    assertEquals(Math.max(4, Runtime.getRuntime().availableProcessors() * 4), d);
    assertEquals(d, SparkSessions.shufflePartitionsFor(0));
    assertEquals(d, SparkSessions.shufflePartitionsFor(-1));
    assertEquals(d, SparkSessions.shufflePartitionsFor(152_000_000L)); // 100k patients: 4 partitions by size
    // the reference ICS: 1.66 GB of extracts -> 33.2 -> 34
    assertEquals(Math.max(d, 34), SparkSessions.shufflePartitionsFor(1_660_000_000L));
    assertEquals(Math.max(d, 20), SparkSessions.shufflePartitionsFor(1_000_000_000L)); // exact multiple
    assertEquals(Math.max(d, 21), SparkSessions.shufflePartitionsFor(1_000_000_001L));
    assertEquals(4_000, SparkSessions.shufflePartitionsFor(Long.MAX_VALUE / 2)); // capped
  }
}
