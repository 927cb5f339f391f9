package org.phm.spark;

import static org.apache.spark.sql.functions.bit_or;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class BitSetsTest {
  @Test
  void membersLandInTheirChunkAtTheirBitAndNowhereElse() {
    assertEquals(0, BitSets.chunks(0));
    assertEquals(1, BitSets.chunks(63));
    assertEquals(2, BitSets.chunks(64));
    List<Integer> members = Arrays.asList(0, 5, 62, 63, 64, 125, 126, null);
    Row r = SharedSpark.get().createDataset(members, Encoders.INT()).toDF("m")
        .agg(bit_or(BitSets.bit(col("m"), 0)), bit_or(BitSets.bit(col("m"), 1)), bit_or(BitSets.bit(col("m"), 2)),
            bit_or(BitSets.bit(col("m"), 3)))
        .first();
    // by hand: chunk 0 holds 0, 5, 62; chunk 1 holds 63 → bit 0, 64 → bit 1, 125 → bit 62; chunk 2 holds 126 → bit 0
    assertEquals(1L | 1L << 5 | 1L << 62, r.getLong(0));
    assertEquals(1L | 1L << 1 | 1L << 62, r.getLong(1));
    assertEquals(1L, r.getLong(2));
    assertTrue(r.isNullAt(3), "no member in chunk 3");
  }
}
