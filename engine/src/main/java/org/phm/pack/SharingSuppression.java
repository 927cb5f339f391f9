package org.phm.pack;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;

/**
 * The one small-number suppression step every shareable table passes through before it is written
 * (NHS convention: counts 1 to {@code threshold}, default 7, are withheld).
 *
 * <p>Primary suppression withholds a row whose count columns (dictionary role {@code count}) hold a
 * value in 1..threshold; its count and derived columns (role {@code derived}: rates, limits) become
 * null and {@code suppressed} is true. Secondary suppression then protects the primary cells from
 * subtraction: for each group of rows the dictionary declares as parts of a published total, if
 * exactly one row is withheld the smallest remaining row is withheld too (ties go to the row that sorts first by
 * its other columns, so the result does not depend on partitioning). Passes repeat until no
 * group has a lone withheld row, since one dimension's secondary cell can expose another.
 */
public final class SharingSuppression {
  private static final String FLAG = "suppressed";
  private static final int MAX_PASSES = 10;

  private SharingSuppression() {}

  public static Dataset<Row> apply(Dataset<Row> data, DataDictionary.Table table, int threshold) {
    List<String> counts = table.columnsWithRole("count");
    if (counts.isEmpty()) {
      throw new PackException("shareable table " + table.name() + " declares no column with role: count");
    }
    for (String c : counts) {
      if (!List.of(data.columns()).contains(c)) {
        throw new PackException("shareable table " + table.name() + ": count column " + c + " is not in the data");
      }
    }
    Column primary = lit(false);
    for (String c : counts) {
      primary = primary.or(col(c).gt(0).and(col(c).leq(threshold)));
    }
    Dataset<Row> flagged = data.withColumn(FLAG, primary);
    List<List<String>> groups = table.suppression() == null || table.suppression().groups() == null
        ? List.of() : table.suppression().groups();
    if (!groups.isEmpty()) {
      flagged = flagged.localCheckpoint();
      for (int pass = 0; pass < MAX_PASSES; pass++) {
        long before = flagged.filter(col(FLAG)).count();
        for (List<String> group : groups) {
          flagged = secondaryPass(flagged, group, counts.get(0));
        }
        flagged = flagged.localCheckpoint();
        if (flagged.filter(col(FLAG)).count() == before) {
          break;
        }
      }
    }
    List<String> withheld = new ArrayList<>(counts);
    withheld.addAll(table.columnsWithRole("derived"));
    for (String c : withheld) {
      if (List.of(flagged.columns()).contains(c)) {
        flagged = flagged.withColumn(c, when(col(FLAG), lit(null).cast(flagged.schema().apply(c).dataType()))
            .otherwise(col(c)));
      }
    }
    return flagged;
  }

  private static Dataset<Row> secondaryPass(Dataset<Row> df, List<String> groupKeys, String primaryCount) {
    Column[] keys = groupKeys.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
    WindowSpec group = Window.partitionBy(keys);
    // smallest unsuppressed row first (nulls last), to pick the complementary cell; ties are broken by the
    // row's other columns, so the choice never depends on the order in which rows reach the window
    List<Column> order = new ArrayList<>(List.of(col(FLAG).asc(), col(primaryCount).asc_nulls_last()));
    for (StructField f : df.schema().fields()) {
      if (!f.name().equals(FLAG) && !f.name().equals(primaryCount) && !(f.dataType() instanceof MapType)) {
        order.add(col(f.name()).asc_nulls_first());
      }
    }
    return df
        .withColumn("_n_supp", sum(when(col(FLAG), 1).otherwise(0)).over(group))
        .withColumn("_rank", row_number().over(Window.partitionBy(keys).orderBy(order.toArray(Column[]::new))))
        .withColumn(FLAG, col(FLAG).or(col("_n_supp").equalTo(1).and(col("_rank").equalTo(1))))
        .drop("_n_supp", "_rank");
  }
}
