package org.phm.indicators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.phm.linkage.LinkedModel;
import org.phm.pack.PackTable;
import org.phm.spark.SharedSpark;

class IndicatorStageTest {
  static SparkSession spark;
  static IndicatorTestModel data;
  static LinkedModel model;
  static List<PackTable> tables;
  static Map<String, Row> values = new HashMap<>();
  static long runMillis;

  @BeforeAll
  static void runCatalogue() {
    spark = SharedSpark.get();
    data = new IndicatorTestModel(2000, 42);
    model = data.toModel(spark);
    long t0 = System.currentTimeMillis();
    tables = IndicatorStage.run(spark, model, IndicatorTestModel.RUN_DATE, IndicatorCatalogue.defaults(), null);
    for (Row r : table("indicator_values").collectAsList()) {
      values.put(key(r.getAs("indicator_id"), r.getAs("period_end").toString(), r.getAs("level"), r.getAs("area_code"),
          r.getAs("breakdown"), r.getAs("breakdown_value")), r);
    }
    runMillis = System.currentTimeMillis() - t0;
    System.out.println("indicator stage on 2,000 patients: " + runMillis + " ms, " + values.size() + " value rows");
  }

  static Dataset<Row> table(String name) {
    return tables.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow().data();
  }

  static String key(Object... parts) {
    StringBuilder sb = new StringBuilder();
    for (Object p : parts) {
      sb.append(p).append('|');
    }
    return sb.toString();
  }

  @Test
  void smoke() {
    assertFalse(values.isEmpty());
    table("indicator_values").filter("level = 'ICS' AND breakdown = 'ALL' AND period_end >= DATE'2026-10-01'")
        .select("indicator_id", "period_label", "numerator", "denominator", "value", "lower95", "upper95", "ci_method", "rag", "trend")
        .show(60, false);
  }
}
