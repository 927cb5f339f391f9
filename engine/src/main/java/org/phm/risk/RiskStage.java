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
 * The nightly risk stage: trains the 12-month emergency admission model on last year's data, scores
 * every patient registered at the run date, assigns tiers and segments, finds cohort members, and
 * returns the patient risk dataset with the stage's pack tables.
 */
public final class RiskStage {
  private RiskStage() {}

  /**
   * Runs the stage. The returned patient risk dataset is a projection (tiers, segments, cohorts) over the
   * checkpointed scores: each reader recomputes those few expressions, which costs less than caching the wide rows
   * a second time.
   */
  public static RiskResult run(SparkSession spark, LinkedModel model, LocalDate runDate, RiskConfig config) {
    // features for training (T − 12 months) and scoring (T) from one pass over the GP events
    List<Dataset<Row>> f = PatientFeatures.build(model,
        List.of(EmergencyAdmissionModel.trainingAsOf(runDate), runDate), config);
    EmergencyAdmissionModel m = EmergencyAdmissionModel.train(model, runDate, config, f.get(0));
    // lineage cut after the large feature plan and after scoring, so later steps stay cheap to plan
    Dataset<Row> features = f.get(1).localCheckpoint();
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
