package org.phm.export;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Defence in depth for place exports: the pack writer has already suppressed small counts in every
 * shareable table, and every count the exporter writes passes through {@link #show} again. A count in
 * 1..threshold that is not flagged suppressed means the pack is unsafe to share, so the export stops
 * instead of writing it.
 */
final class DisclosureGuard {
  /** Shown in place of a withheld count or a value derived from one. */
  static final String SUPPRESSED = "*";

  /** Count columns known without the data dictionary (the dictionary's role: count columns are added). */
  static final Set<String> KNOWN_COUNTS =
      Set.of("numerator", "denominator", "patients", "list_size", "members", "population", "events");

  private final int threshold;
  private final Set<String> countColumns;

  DisclosureGuard(int threshold, Collection<String> extraCountColumns) {
    this.threshold = threshold;
    Set<String> s = new LinkedHashSet<>(KNOWN_COUNTS);
    extraCountColumns.forEach(c -> s.add(c.toLowerCase(Locale.ROOT)));
    this.countColumns = Set.copyOf(s);
  }

  int threshold() {
    return threshold;
  }

  boolean isCount(String column) {
    return column != null && countColumns.contains(column.toLowerCase(Locale.ROOT));
  }

  /** True when a count may be published: zero, above the threshold, or absent. */
  boolean safe(Double count) {
    return count == null || !(count > 0 && count <= threshold);
  }

  /**
   * Returns the count to write, or null when the cell is to show {@link #SUPPRESSED}.
   *
   * @throws ExportException if the count is small and not suppressed (the pack was not suppressed correctly)
   */
  Double show(Double count, boolean suppressed, String where) {
    if (suppressed) {
      return null;
    }
    if (!safe(count)) {
      throw new ExportException("disclosure control: unsuppressed count " + count + " (1–" + threshold
          + " must be withheld) in " + where + "; the pack is not safe to share, export stopped");
    }
    return count;
  }
}
