package org.phm.population;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.phm.linkage.LinkedModel;
import org.phm.pack.PackTable;
import org.phm.pack.Sensitivity;

/**
 * Registered population by ICS, ICP, PCN and practice, sex and 5-year age band, from the GP
 * list-size extract (the official denominator for list-based indicators).
 */
public final class RegisteredPopulation {
  private RegisteredPopulation() {}

  /** One geography level: its code and name columns in the practice hierarchy and its parent's code. */
  private record Level(String name, String code, String areaName, String parent) {}

  private static final List<Level> LEVELS = List.of(
      new Level("ICS", "ics_code", "ics_name", null),
      new Level("ICP", "icp_code", "icp_name", "ics_code"),
      new Level("PCN", "pcn_code", "pcn_name", "icp_code"),
      new Level("PRACTICE", "practice_code", "practice_name", "pcn_code"));

  /** The latest list-size extract joined to the practice hierarchy. */
  static Dataset<Row> latestListSizes(LinkedModel model) {
    Row latest = model.listSizes().agg(max("extract_date")).first();
    Dataset<Row> ls = model.listSizes();
    if (!latest.isNullAt(0)) {
      ls = ls.filter(col("extract_date").equalTo(lit(latest.get(0))));
    }
    return ls.join(broadcast(model.practices()), "practice_code");
  }

  public static List<PackTable> tables(LinkedModel model) {
    Dataset<Row> ls = latestListSizes(model).cache();
    List<Dataset<Row>> parts = new ArrayList<>();
    for (Level level : LEVELS) {
      Column parent = level.parent() == null ? lit(null).cast("string") : col(level.parent());
      Dataset<Row> base = ls.select(
          col("extract_date"), lit(level.name()).as("level"), col(level.code()).as("area_code"),
          col(level.areaName()).as("area_name"), parent.as("parent_code"),
          col("sex"), col("age_band_5").as("age_band"), col("patients"));
      String[] keys = {"extract_date", "level", "area_code", "area_name", "parent_code"};
      Dataset<Row> bySexAge = base.groupBy(withKeys(keys, "sex", "age_band"))
          .agg(sum("patients").cast("long").as("patients"));
      Dataset<Row> bySex = base.groupBy(withKeys(keys, "sex")).agg(sum("patients").cast("long").as("patients"))
          .withColumn("age_band", lit("ALL"));
      Dataset<Row> byAge = base.groupBy(withKeys(keys, "age_band")).agg(sum("patients").cast("long").as("patients"))
          .withColumn("sex", lit("ALL"));
      Dataset<Row> all = base.groupBy(withKeys(keys)).agg(sum("patients").cast("long").as("patients"))
          .withColumn("sex", lit("ALL")).withColumn("age_band", lit("ALL"));
      for (Dataset<Row> d : List.of(bySexAge, bySex, byAge, all)) {
        parts.add(d.select("extract_date", "level", "area_code", "area_name", "parent_code", "sex", "age_band",
            "patients"));
      }
    }
    Dataset<Row> population = parts.stream().reduce(Dataset::unionByName).orElseThrow();
    Dataset<Row> listSize = ls.groupBy("practice_code").agg(sum("patients").cast("long").as("list_size"));
    Dataset<Row> hierarchy = model.practices().join(listSize, model.practices().col("practice_code")
            .equalTo(listSize.col("practice_code")), "left")
        .select(model.practices().col("practice_code"), col("practice_name"), col("pcn_code"), col("pcn_name"),
            col("ccg_code"), col("ccg_name"), col("icp_code"), col("icp_name"), col("ics_code"), col("ics_name"),
            coalesce(col("list_size"), lit(0L)).as("list_size"))
        .orderBy("icp_code", "pcn_code", "practice_code");
    return List.of(
        new PackTable("org_hierarchy", hierarchy.coalesce(1), Sensitivity.SHAREABLE),
        new PackTable("registered_population", population.coalesce(1), Sensitivity.SHAREABLE));
  }

  private static Column[] withKeys(String[] keys, String... more) {
    List<Column> cols = new ArrayList<>();
    for (String k : keys) {
      cols.add(col(k));
    }
    for (String m : more) {
      cols.add(col(m));
    }
    return cols.toArray(Column[]::new);
  }
}
