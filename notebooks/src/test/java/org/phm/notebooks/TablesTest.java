package org.phm.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/** A count table an analyst built is laid out with totals and suppressed before it is shared. */
class TablesTest {
  private static List<String> row(Table t, int i) {
    List<String> out = new ArrayList<>();
    for (int c = 0; c < t.columnCount(); c++) {
      out.add(t.column(c).getString(i));
    }
    return out;
  }

  @Test
  void smallCountIsWithheldWithTheCellsThatWouldRevealIt() {
    // hand-worked: practice A has 5 'mild' (1-7: withheld); its row total 25 would give it away from the 20
    // 'fit', so 20 goes too; column 'mild' total 35 would give it away from B's 30, so 30 goes; then B's row
    // total gives 30 from B's 40, so 40 goes. Every total stays published: with four unknowns and rank-3
    // totals, no withheld cell is determined.
    List<Row> counts = List.of(
        RowFactory.create("A", "mild", 5L), RowFactory.create("A", "fit", 20L),
        RowFactory.create("B", "mild", 30L), RowFactory.create("B", "fit", 15L), RowFactory.create("B", "fit", 25L));
    Table t = Tables.shareable(counts, "practice_code", "efi_category", "patients");
    assertEquals(List.of("practice_code", "fit", "mild", "Total"), t.columnNames());
    assertEquals(List.of("A", "*", "*", "25"), row(t, 0));
    assertEquals(List.of("B", "*", "*", "70"), row(t, 1));
    assertEquals(List.of("Total", "60", "35", "95"), row(t, 2));
  }

  @Test
  void largeCountsAndZerosArePublishedAndMissingPairsAreZero() {
    List<Row> counts = List.of(
        RowFactory.create("A", "fit", 120L), RowFactory.create("A", "severe", 0L),
        RowFactory.create("B", "fit", 300), RowFactory.create(null, "fit", 10L));
    Table t = Tables.shareable(counts, "practice_code", "efi_category", "patients");
    assertEquals(List.of("practice_code", "fit", "severe", "Total"), t.columnNames());
    assertEquals(List.of("A", "120", "0", "120"), row(t, 0));
    assertEquals(List.of("B", "300", "0", "300"), row(t, 1));
    assertEquals(List.of("Unknown", "10", "0", "10"), row(t, 2));
    assertEquals(List.of("Total", "430", "0", "430"), row(t, 3));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Tables.shareable(
        List.of(RowFactory.create("A", "fit", -1L)), "p", "c", "n")).getMessage().contains("negative"));
  }
}
