package org.phm.risk;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.phm.spark.SharedSpark;

/** AUROC and Brier per group against a plain-Java pairwise recomputation. */
class ModelMetricsTest {
  @Test
  void aurocMatchesPairwiseCountWithTies() {
    Random rnd = new Random(3);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      String g = i % 3 == 0 ? "a" : "b";
      double y = rnd.nextDouble() < 0.3 ? 1 : 0;
      double s = Math.round((rnd.nextDouble() + 0.4 * y) * 10) / 10.0; // coarse: many ties
      rows.add(RowFactory.create(g, s, y));
    }
    Dataset<Row> d = SharedSpark.get().createDataFrame(rows, new StructType()
        .add("g", DataTypes.StringType).add("s", DataTypes.DoubleType).add("y", DataTypes.DoubleType));
    List<Row> out = ModelMetrics.byGroup(d, col("g"), "s", "y").orderBy("group").collectAsList();
    assertEquals(2, out.size());
    for (Row r : out) {
      String g = r.getString(0);
      List<Row> in = rows.stream().filter(x -> x.getString(0).equals(g)).toList();
      double concordant = 0;
      long pairs = 0;
      double brier = 0;
      for (Row p : in) {
        brier += Math.pow(p.getDouble(1) - p.getDouble(2), 2);
        if (p.getDouble(2) != 1) {
          continue;
        }
        for (Row q : in) {
          if (q.getDouble(2) == 0) {
            pairs++;
            concordant += p.getDouble(1) > q.getDouble(1) ? 1 : p.getDouble(1) == q.getDouble(1) ? 0.5 : 0;
          }
        }
      }
      assertEquals(in.size(), r.getLong(1));
      assertEquals(concordant / pairs, r.getDouble(6), 1e-12, "AUROC group " + g);
      assertEquals(brier / in.size(), r.getDouble(5), 1e-12, "Brier group " + g);
      assertTrue(r.getDouble(6) > 0.6);
    }
  }

  @Test
  void aurocIsNullWithOneClass() {
    Dataset<Row> d = SharedSpark.get().range(5).select(col("id").cast("double").as("s"), lit(0.0).as("y"));
    Row r = ModelMetrics.byGroup(d, lit("ALL"), "s", "y").first();
    assertTrue(r.isNullAt(6));
  }
}
