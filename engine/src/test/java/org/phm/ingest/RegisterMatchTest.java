package org.phm.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.phm.ig.CollidingIds;
import org.phm.spark.SharedSpark;

/**
 * The register lookup of patient extracts (reference check and UNLINKED_PATIENT) joins on one 64-bit hash of each
 * pseudonym (the first half of its {@code PatientKey}) and must still find exactly the registered ids: two ids whose
 * join hashes collide are told apart by the second half, and a null id is never found, whether the register is
 * broadcast or joined by sorting, with or without ANSI mode.
 */
class RegisterMatchTest {
  private static final String A = "a".repeat(64);
  private static final String B = "b".repeat(64);
  private static final String C = "c".repeat(64);
  private static final String COLLIDING_1 = CollidingIds.FIRST;
  private static final String COLLIDING_2 = CollidingIds.SECOND;

  @Test
  void theCollidingIdsShareTheJoinHash() {
    Row r = SharedSpark.get().sql("SELECT xxhash64('" + COLLIDING_1 + "') = xxhash64('" + COLLIDING_2 + "'), '"
        + COLLIDING_1 + "' = '" + COLLIDING_2 + "'").first();
    assertTrue(r.getBoolean(0), "same join hash");
    assertFalse(r.getBoolean(1), "different ids");
  }

  @Test
  void findsExactlyTheRegisteredIdsBroadcastOrSorted() {
    SparkSession spark = SharedSpark.get();
    StructType schema = new StructType().add(Ingest.PATIENT_ID, DataTypes.StringType);
    Dataset<Row> register = spark.createDataFrame(List.of(RowFactory.create(A), RowFactory.create(COLLIDING_1),
        RowFactory.create(B)), schema);
    StructType events = new StructType().add("n", DataTypes.IntegerType).add("id", DataTypes.StringType);
    Dataset<Row> extract = spark.createDataFrame(Arrays.asList(
        RowFactory.create(1, A), // registered
        RowFactory.create(2, COLLIDING_1), // registered
        RowFactory.create(3, COLLIDING_2), // not registered, same join hash as 2
        RowFactory.create(4, C), // not registered
        RowFactory.create(5, B), // registered
        RowFactory.create(6, null),
        RowFactory.create(7, A)), events); // a repeat
    Map<Integer, Boolean> expected = new TreeMap<>(Map.of(1, true, 2, true, 3, false, 4, false, 5, true, 6, false,
        7, true));

    String threshold = spark.conf().get("spark.sql.autoBroadcastJoinThreshold");
    String ansi = spark.conf().get("spark.sql.ansi.enabled");
    try {
      for (String ansiMode : List.of("false", "true")) { // the engine runs without ANSI mode; Spark 4's default is on
        spark.conf().set("spark.sql.ansi.enabled", ansiMode);
        spark.conf().set("spark.sql.autoBroadcastJoinThreshold", threshold);
        Dataset<Row> broadcast = Ingest.withPatientMatch(extract, functions.col("id"), register, 3, "_found");
        assertEquals(expected, found(broadcast), "broadcast, ansi " + ansiMode);
        String broadcastPlan = plan(broadcast);
        assertTrue(broadcastPlan.contains("BroadcastHashJoin"), broadcastPlan);

        spark.conf().set("spark.sql.autoBroadcastJoinThreshold", "-1"); // a register too large to broadcast
        Dataset<Row> sorted = Ingest.withPatientMatch(extract, functions.col("id"), register,
            Ingest.PATIENT_BROADCAST_ROWS + 1, "_found");
        assertEquals(expected, found(sorted), "sort-merge, ansi " + ansiMode);
        String sortedPlan = plan(sorted);
        assertTrue(sortedPlan.contains("SortMergeJoin"), sortedPlan);
      }
    } finally {
      spark.conf().set("spark.sql.autoBroadcastJoinThreshold", threshold);
      spark.conf().set("spark.sql.ansi.enabled", ansi);
    }
  }

  private static Map<Integer, Boolean> found(Dataset<Row> joined) {
    Map<Integer, Boolean> out = new TreeMap<>();
    for (Row r : joined.select(functions.col("n"), functions.col("_found").isNotNull()).collectAsList()) {
      assertEquals(null, out.put(r.getInt(0), r.getBoolean(1)), "one row per extract row");
    }
    return out;
  }

  /** The physical plan Spark chose (its join strategy), without running the query again. */
  private static String plan(Dataset<Row> joined) {
    return joined.queryExecution().executedPlan().toString();
  }
}
