package org.phm.ig;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A fixed-width stand-in for {@code patient_id} when millions of patient rows are grouped or joined: two 64-bit
 * hashes of the pseudonymised identifier (128 bits: among 5 million identifiers the chance that any two share both is
 * about 10⁻²⁵). The identifier is 64 hexadecimal characters; hashing, comparing and shuffling it made the indicator
 * features' per-patient aggregation about a third slower than two longs, which use Spark's fixed-width paths
 * (docs/performance.md, sixteenth session). Joins by the key ({@link #matches}) are keyed by the first half alone and
 * check the second, so that a register of millions of patients can be broadcast to ingest's lookups. Keys are
 * computed in the query and never stored or written: outputs carry {@code patient_id}.
 */
public final class PatientKey {
  /** Seed of the second hash: any value other than Spark's own seed (42) gives an independent hash. */
  private static final long SECOND_SEED = 0x5EED_0F_9A7E1L;

  private PatientKey() {}

  /**
   * {@code d} with the key of its {@code patient_id} added as {@code prefix + "1"} and {@code prefix + "2"}; null
   * without an identifier (Spark's hash of null is its seed, which would be a key).
   */
  public static Dataset<Row> add(Dataset<Row> d, String prefix) {
    Column id = col("patient_id");
    Map<String, Column> key = new LinkedHashMap<>();
    key.put(prefix + "1", first(id));
    key.put(prefix + "2", second(id));
    return d.withColumns(key);
  }

  /** The key's first half for an identifier column: null without an identifier. */
  public static Column first(Column id) {
    return when(id.isNotNull(), xxhash64(id));
  }

  /** The key's second half, an independent hash of the same identifier: null without an identifier. */
  public static Column second(Column id) {
    return when(id.isNotNull(), xxhash64(lit(SECOND_SEED), id));
  }

  /** The key's two column names for a prefix (see {@link #add}). */
  public static String[] names(String prefix) {
    return new String[] {prefix + "1", prefix + "2"};
  }

  /** Join condition: the keys named by prefixes {@code a} and {@code b} are equal (see {@link #matches}). */
  public static Column same(String a, String b) {
    return matches(col(a + "1"), col(a + "2"), col(b + "1"), col(b + "2"));
  }

  /**
   * Join condition: key {@code (a1, a2)} equals key {@code (b1, b2)}. Spark joins on the first halves alone, and the
   * second halves are compared as XOR = 0 (exact, and never an overflow under ANSI mode): as an equality they would
   * become a second join key. A relation keyed by one long is smaller to broadcast and cheaper to probe, and a side
   * already partitioned by its first half is not shuffled again.
   */
  public static Column matches(Column a1, Column a2, Column b1, Column b2) {
    return a1.equalTo(b1).and(a2.bitwiseXOR(b2).equalTo(lit(0L)));
  }
}
