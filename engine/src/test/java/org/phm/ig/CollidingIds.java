package org.phm.ig;

/**
 * Two pseudonym-shaped ids with the same Spark {@code xxhash64} (seed 42), the first half of their {@link PatientKey},
 * found by a Pollard-rho search over 2^30 hashes (docs/performance.md, twenty-second session): a join that compared
 * only that half would pair them.
 */
public final class CollidingIds {
  public static final String FIRST = "6bc0f999598c9b215eed0f9a7e1c0ffee0d15ea5e5a1adba5eba11c0deba5e00";
  public static final String SECOND = "0a66e24d6763d3015eed0f9a7e1c0ffee0d15ea5e5a1adba5eba11c0deba5e00";

  private CollidingIds() {}
}
