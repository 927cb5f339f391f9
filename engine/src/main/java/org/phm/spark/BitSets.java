package org.phm.spark;

import static org.apache.spark.sql.functions.call_function;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;

/**
 * Sets of small non-negative integers (condition indices, group ranks) as the bits of longs, 63 to a long ("chunk"),
 * so an aggregation can collect them with {@code bit_or} into fixed-width buffers: Spark then aggregates in a hash
 * map with generated code, where a set or list of values would need an object buffer or a sort.
 */
public final class BitSets {
  /** Members per chunk: bits 0–62 of a long (the sign bit stays clear). */
  public static final int BITS = 63;

  private BitSets() {}

  /** Chunks needed for members 0 … size − 1. */
  public static int chunks(int size) {
    return (size + BITS - 1) / BITS;
  }

  /**
   * The bit of member {@code index} within chunk {@code chunk} (member {@code index} is bit {@code index % 63} of
   * chunk {@code index / 63}), or null when the member belongs to another chunk or is null; for {@code bit_or}.
   */
  public static Column bit(Column index, int chunk) {
    return when(index.between(BITS * chunk, BITS * chunk + BITS - 1),
        call_function("shiftleft", lit(1L), index.minus(BITS * chunk)));
  }
}
