package org.phm.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Shuffle partitions sized from the input: the per-core default for small inputs, one per 50 MB for large ones; list
 * and percentile aggregations planned as sort aggregations.
 */
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

  @Test
  void objectBufferAggregationsRunAsSortAggregations() {
    org.apache.spark.sql.SparkSession spark = SharedSpark.get();
    assertEquals("false", spark.conf().get(SparkSessions.OBJECT_HASH_AGGREGATE));
    var q = spark.range(0, 1000).selectExpr("id % 7 AS k", "id AS v")
        .groupBy("k").agg(org.apache.spark.sql.functions.collect_list("v"),
            org.apache.spark.sql.functions.percentile_approx(org.apache.spark.sql.functions.col("v"),
                org.apache.spark.sql.functions.lit(0.5), org.apache.spark.sql.functions.lit(100)));
    assertEquals(7, q.collectAsList().size());
    String plan = q.queryExecution().executedPlan().toString();
    assertTrue(plan.contains("SortAggregate"), plan);
    assertFalse(plan.contains("ObjectHashAggregate"), plan);
  }
}
