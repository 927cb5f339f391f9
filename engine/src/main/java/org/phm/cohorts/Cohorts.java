package org.phm.cohorts;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_compact;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Computes cohort membership on the patient risk dataset with built-in expressions. */
public final class Cohorts {
  /** Column holding the ids of the cohorts a patient belongs to (array of strings, possibly empty). */
  public static final String COHORTS_COLUMN = "cohorts";

  private Cohorts() {}

  /** Adds {@link #COHORTS_COLUMN}: the ids of the cohorts whose criteria the patient meets, in definition order. */
  public static Dataset<Row> withMembership(Dataset<Row> patientRisk, List<CohortDefinition> cohorts) {
    if (cohorts.isEmpty()) {
      return patientRisk.withColumn(COHORTS_COLUMN, array().cast("array<string>"));
    }
    Column[] ids = cohorts.stream()
        .map(c -> when(c.criteria().toColumn(), lit(c.id())))
        .toArray(Column[]::new);
    return patientRisk.withColumn(COHORTS_COLUMN, array_compact(array(ids)));
  }

  /** One row per (cohort_id, patient) from a dataset carrying {@link #COHORTS_COLUMN}; other columns kept. */
  public static Dataset<Row> members(Dataset<Row> withMembership) {
    return withMembership.withColumn("cohort_id", explode(col(COHORTS_COLUMN))).drop(COHORTS_COLUMN);
  }
}
