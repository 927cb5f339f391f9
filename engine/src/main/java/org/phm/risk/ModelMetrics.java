package org.phm.risk;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.rank;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Discrimination and calibration metrics of a probability score against a 0/1 label, per group,
 * with Spark built-ins. AUROC is the exact Mann–Whitney statistic (mid-ranks for ties), so it
 * equals the area under the empirical ROC curve without binning.
 */
public final class ModelMetrics {
  private ModelMetrics() {}

  /**
   * One row per group: group, n, positives, observed_rate, mean_score, brier, auroc (null when a
   * group has only one class).
   *
   * @param data rows with the score and label columns
   * @param group grouping expression (e.g. {@code lit("ALL")})
   * @param score score column (higher = more likely positive)
   * @param label label column (0/1)
   */
  public static Dataset<Row> byGroup(Dataset<Row> data, Column group, String score, String label) {
    Dataset<Row> x = data.select(group.cast("string").as("group"),
        col(score).cast("double").as("s"), col(label).cast("double").as("y"));
    Column midRank = rank().over(Window.partitionBy("group").orderBy("s"))
        .plus(count(lit(1)).over(Window.partitionBy("group", "s")).minus(1).divide(2.0));
    Dataset<Row> agg = x.withColumn("r", midRank)
        .groupBy("group")
        .agg(count(lit(1)).as("n"), sum(col("y")).as("positives"), avg(col("y")).as("observed_rate"),
            avg(col("s")).as("mean_score"), avg(pow(col("s").minus(col("y")), 2)).as("brier"),
            sum(when(col("y").equalTo(1), col("r")).otherwise(0.0)).as("r1"));
    Column n1 = col("positives");
    Column n0 = col("n").minus(col("positives"));
    Column auc = when(n1.gt(0).and(n0.gt(0)),
        col("r1").minus(n1.multiply(n1.plus(1)).divide(2.0)).divide(n1.multiply(n0)));
    return agg.withColumn("auroc", auc).drop("r1");
  }
}
