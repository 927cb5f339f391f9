package org.phm.pack;

/** Information-governance class of a pack table; decides where it is written and who sees it. */
public enum Sensitivity {
  /** Aggregate, safe to share with places once small-number suppression has been applied. */
  SHAREABLE("aggregate"),
  /** Aggregate but for the ICS PHM team only (not suppressed, not exported to places). */
  INTERNAL("aggregate"),
  /** Patient-level (pseudonymised); written to the pack's restricted area with owner-only access. */
  RESTRICTED("restricted"),
  /** Data-quality reports on the inputs (no clear identifiers). */
  DATA_QUALITY("data_quality");

  private final String area;

  Sensitivity(String area) {
    this.area = area;
  }

  /** Sub-directory of the pack the table is written to. */
  public String area() {
    return area;
  }
}
