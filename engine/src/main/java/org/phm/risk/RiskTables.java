package org.phm.risk;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.phm.cohorts.CohortDefinition;
import org.phm.cohorts.Cohorts;
import org.phm.pack.PackTable;
import org.phm.pack.Sensitivity;

/**
 * The risk stage's pack tables, built from the patient risk dataset. Shareable aggregates count every
 * registered patient (opted-out patients included, as aggregates) and are NOT suppressed here: the
 * pack writer applies the one suppression step. Restricted patient-level tables exclude opted-out patients.
 */
public final class RiskTables {
  public static final String RISK_STRATIFICATION = "risk_stratification";
  public static final String COHORT_SUMMARY = "cohort_summary";
  public static final String MODEL_CARD = "model_card";
  public static final String PATIENT_RISK = "patient_risk";
  public static final String COHORT_MEMBERS = "cohort_members";

  private RiskTables() {}

  /** All five tables. */
  public static List<PackTable> build(Dataset<Row> patientRisk, Dataset<Row> modelCard, List<CohortDefinition> cohorts) {
    return List.of(
        new PackTable(RISK_STRATIFICATION, riskStratification(patientRisk), Sensitivity.SHAREABLE),
        new PackTable(COHORT_SUMMARY, cohortSummary(patientRisk, cohorts), Sensitivity.SHAREABLE),
        new PackTable(MODEL_CARD, modelCard, Sensitivity.INTERNAL),
        new PackTable(PATIENT_RISK, patientRiskTable(patientRisk), Sensitivity.RESTRICTED),
        new PackTable(COHORT_MEMBERS, cohortMembers(patientRisk), Sensitivity.RESTRICTED));
  }

  private static Column levels() {
    return array(
        struct(lit("ICS").as("level"), col("ics_code").as("area_code"), lit(null).cast("string").as("parent_code")),
        struct(lit("ICP").as("level"), col("icp_code").as("area_code"), col("ics_code").as("parent_code")),
        struct(lit("PCN").as("level"), col("pcn_code").as("area_code"), col("icp_code").as("parent_code")),
        struct(lit("PRACTICE").as("level"), col("practice_code").as("area_code"), col("pcn_code").as("parent_code")));
  }

  /** Patients by level × area × tier × segment × breakdown value. */
  public static Dataset<Row> riskStratification(Dataset<Row> risk) {
    Column breakdowns = array(
        struct(lit("ALL").as("breakdown"), lit("ALL").as("breakdown_value")),
        struct(lit("AGE_BAND").as("breakdown"), coalesce(col("age_band"), lit("Unknown")).as("breakdown_value")),
        struct(lit("SEX").as("breakdown"), coalesce(col("sex"), lit("Unknown")).as("breakdown_value")),
        struct(lit("ETHNICITY").as("breakdown"), coalesce(col("ethnicity_group"), lit("Unknown")).as("breakdown_value")),
        struct(lit("IMD_QUINTILE").as("breakdown"),
            coalesce(col("imd_quintile").cast("string"), lit("Unknown")).as("breakdown_value")));
    return risk.select(explode(levels()).as("l"), col("tier"), col("segment"), breakdowns.as("bs"))
        .select(col("l.level"), col("l.area_code"), col("l.parent_code"), col("tier"), col("segment"),
            explode(col("bs")).as("b"))
        .groupBy(col("level"), col("area_code"), col("parent_code"), col("tier"), col("segment"),
            col("b.breakdown").as("breakdown"), col("b.breakdown_value").as("breakdown_value"))
        .agg(count(lit(1)).as("patients"));
  }

  /** Members and registered denominator per cohort × level × area (zero-member rows included). */
  public static Dataset<Row> cohortSummary(Dataset<Row> risk, List<CohortDefinition> cohorts) {
    Dataset<Row> byArea = risk.select(explode(levels()).as("l"), col(Cohorts.COHORTS_COLUMN))
        .select(col("l.level").as("level"), col("l.area_code").as("area_code"), col("l.parent_code").as("parent_code"),
            col(Cohorts.COHORTS_COLUMN));
    Dataset<Row> denominators = byArea.groupBy("level", "area_code", "parent_code").agg(count(lit(1)).as("denominator"));
    // the members' keys renamed: both sides come from byArea, so same-named columns would be the same column
    Dataset<Row> members = byArea.withColumn("cohort_id", explode(col(Cohorts.COHORTS_COLUMN)))
        .groupBy(col("cohort_id").as("m_cohort_id"), col("level").as("m_level"), col("area_code").as("m_area_code"))
        .agg(count(lit(1)).as("members"));
    List<Row> ids = new ArrayList<>();
    cohorts.forEach(c -> ids.add(RowFactory.create(c.id())));
    Dataset<Row> cohortIds = risk.sparkSession().createDataFrame(ids, new StructType().add("cohort_id", DataTypes.StringType));
    return cohortIds.crossJoin(denominators)
        .join(members, col("cohort_id").equalTo(col("m_cohort_id")).and(col("level").equalTo(col("m_level")))
            .and(col("area_code").eqNullSafe(col("m_area_code"))), "left")
        .select(col("cohort_id"), col("level"), col("area_code"), col("parent_code"),
            coalesce(col("members"), lit(0L)).as("members"), col("denominator"));
  }

  /** Restricted patient-level risk (opted-out patients excluded). */
  public static Dataset<Row> patientRiskTable(Dataset<Row> risk) {
    return risk.filter(col("opted_out").equalTo(false))
        .select("patient_id", "practice_code", "pcn_code", "risk_score", "tier", "segment", "efi",
            "efi_category", "ltc_count", Cohorts.COHORTS_COLUMN, "top_factor_1", "top_factor_2", "top_factor_3");
  }

  /** Restricted cohort membership, one row per cohort × patient (opted-out patients excluded). */
  public static Dataset<Row> cohortMembers(Dataset<Row> risk) {
    return Cohorts.members(risk.filter(col("opted_out").equalTo(false))
            .select("patient_id", "practice_code", "pcn_code", "risk_score", "tier", "segment", Cohorts.COHORTS_COLUMN))
        .select("cohort_id", "patient_id", "practice_code", "pcn_code", "risk_score", "tier", "segment");
  }
}
