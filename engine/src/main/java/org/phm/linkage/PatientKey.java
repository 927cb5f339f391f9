package org.phm.linkage;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import org.apache.spark.sql.Column;

/**
 * A fixed-width stand-in for {@code patient_id} when millions of patient rows are grouped or joined: two 64-bit
 * hashes of the pseudonymised identifier (128 bits: among 5 million identifiers the chance that any two share both is
 * about 10⁻²⁵). The identifier is 64 hexadecimal characters; hashing, comparing and shuffling it made the indicator features'
 * per-patient aggregation about a third slower than two longs, which use Spark's fixed-width paths
 * (docs/performance.md, sixteenth session). Keys are computed in the query and never stored or written: outputs carry
 * {@code patient_id}.
 */
public final class PatientKey {
  /** Seed of the second hash: any value other than Spark's own seed (42) gives an independent hash. */
  private static final long SECOND_SEED = 0x5EED_0F_9A7E1L;

  private PatientKey() {}

  /** The key's two columns for an identifier column, named {@code prefix + "1"} and {@code prefix + "2"}. */
  public static Column[] of(Column patientId, String prefix) {
    // null without an identifier (Spark's hash of null is its seed, which would be a key)
    Column known = patientId.isNotNull();
    return new Column[] {when(known, xxhash64(patientId)).as(prefix + "1"),
        when(known, xxhash64(lit(SECOND_SEED), patientId)).as(prefix + "2")};
  }

  /** Join condition: the keys named by prefixes {@code a} and {@code b} are equal. */
  public static Column same(String a, String b) {
    return col(a + "1").equalTo(col(b + "1")).and(col(a + "2").equalTo(col(b + "2")));
  }
}
