package org.phm.risk;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.phm.cohorts.Cohorts;
import org.phm.linkage.LinkedModel;

/**
 * The nightly risk stage: scores every patient registered at the run date with the 12-month emergency admission
 * model (the approved one, or one trained on last year's data in the run), assigns tiers and segments, finds cohort
 * members, and returns the patient risk dataset with the stage's pack tables.
 */
public final class RiskStage {
  private RiskStage() {}

  /** Runs the stage, training the model in the run (no approved model configured). */
  public static RiskResult run(SparkSession spark, LinkedModel model, LocalDate runDate, RiskConfig config) {
    return run(spark, model, runDate, config, null);
  }

  /**
   * Runs the stage. With an approved model ({@link ModelStore#load}) it scores with that model and builds only the
   * run date's features; without one it trains on last year's data first. The returned patient risk dataset is a
   * projection (tiers, segments, cohorts) over the checkpointed scores: each reader recomputes those few
   * expressions, which costs less than caching the wide rows a second time.
   *
   * @param approved the approved model, or null to train one in this run
   */
  public static RiskResult run(SparkSession spark, LinkedModel model, LocalDate runDate, RiskConfig config,
      EmergencyAdmissionModel approved) {
    EmergencyAdmissionModel m;
    Dataset<Row> atRunDate;
    if (approved == null) {
      // features for training (T − 12 months) and scoring (T) from one pass over the GP events
      List<Dataset<Row>> f = PatientFeatures.build(model,
          List.of(EmergencyAdmissionModel.trainingAsOf(runDate), runDate), config);
      m = EmergencyAdmissionModel.train(model, runDate, config, f.get(0));
      atRunDate = f.get(1);
    } else {
      m = approved;
      atRunDate = PatientFeatures.build(model, List.of(runDate), config).get(0);
    }
    // lineage cut after the large feature plan and after scoring, so later steps stay cheap to plan
    Dataset<Row> features = atRunDate.localCheckpoint();
    Dataset<Row> scored = m.score(features).localCheckpoint();
    Dataset<Row> risk = Stratification.withSegments(Stratification.withTiers(scored, config.tiers()), config.segments());
    risk = Cohorts.withMembership(risk, config.cohorts());
    return new RiskResult(risk, RiskTables.build(risk, m.modelCard(spark), config.cohorts()));
  }

  /** Columns of the patient risk dataset (before cohort ids): the feature columns then the score columns. */
  public static StructType patientRiskSchema(StructType featureSchema) {
    List<StructField> f = new ArrayList<>(List.of(featureSchema.fields()));
    f.add(DataTypes.createStructField("risk_score", DataTypes.DoubleType, true));
    for (int i = 1; i <= 3; i++) {
      f.add(DataTypes.createStructField("top_factor_" + i, DataTypes.StringType, true));
    }
    f.add(DataTypes.createStructField("tier", DataTypes.IntegerType, true));
    f.add(DataTypes.createStructField("tier_name", DataTypes.StringType, true));
    f.add(DataTypes.createStructField("segment", DataTypes.StringType, true));
    f.add(DataTypes.createStructField("segment_name", DataTypes.StringType, true));
    return new StructType(f.toArray(StructField[]::new));
  }
}
