package org.phm.risk;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.phm.linkage.LinkedModel;
import org.phm.spark.SharedSpark;

/** The emergency admission model on synthetic populations with a known logistic signal. */
class EmergencyAdmissionModelTest {
  static final LocalDate RUN = LocalDate.of(2026, 11, 25);

  static RiskConfig fastConfig(boolean gbt) {
    RiskConfig d = RiskConfig.defaults();
    RiskConfig.ModelSettings m = d.model();
    return d.withModel(new RiskConfig.ModelSettings(m.trainFraction(), m.maxTrainingPatients(), m.numericFeatures(), m.categoricalFeatures(),
        30, m.lrRegParam(), m.lrElasticNet(), gbt, 10, 3, 0.2, 16));
  }

  @Test
  void beatsAgeOnlyBaselineOnHeldOutData() {
    SparkSession spark = SharedSpark.get();
    LinkedModel model = SyntheticPopulation.get(spark, 20_000, 7, RUN);
    EmergencyAdmissionModel m = EmergencyAdmissionModel.train(model, RUN, fastConfig(true));
    double auc = m.summary("auroc_selected");
    double baseline = m.summary("auroc_baseline_age");
    double aucLr = m.summary("auroc_logistic_regression");
    double aucGbt = m.summary("auroc_gbt");
    System.out.printf("model AUROC selected %.4f (LR %.4f, GBT %.4f), age-only %.4f, Brier %.4f, selected %s%n",
        auc, aucLr, aucGbt, baseline, m.summary("brier_selected"), m.selectedModel());
    assertTrue(auc >= 0.70, "held-out AUROC " + auc);
    assertTrue(auc > baseline + 0.02, "AUROC " + auc + " vs age-only " + baseline);
    assertEquals(Math.max(aucLr, aucGbt), auc, 1e-12, "keeps the better model");
    assertEquals(aucGbt > aucLr ? "gbt" : "logistic_regression", m.selectedModel());
    double nTrain = m.summary("n_train");
    double nTest = m.summary("n_test");
    assertEquals(0.7, nTrain / (nTrain + nTest), 0.02, "seeded 70/30 split");
    // train + test = everyone registered at T-12 months (the synthetic population has no leavers)
    assertTrue(nTrain + nTest <= 20_000 && nTrain + nTest > 19_000);
    List<Row> card = m.cardRows();
    long deciles = card.stream().filter(r -> r.getString(0).equals("calibration") && r.getString(2).equals("n")).count();
    assertEquals(10, deciles);
    // calibration: observed rate rises from the lowest to the highest decile
    double low = metric(card, "calibration", "decile_01", "observed_rate");
    double high = metric(card, "calibration", "decile_10", "observed_rate");
    assertTrue(high > 3 * low, "decile 10 observed " + high + " vs decile 1 " + low);
    double nByDecile = card.stream().filter(r -> r.getString(0).equals("calibration") && r.getString(2).equals("n"))
        .mapToDouble(r -> r.getDouble(3)).sum();
    assertEquals(nTest, nByDecile, 0.0);
    double nBySex = card.stream().filter(r -> r.getString(0).equals("performance") && r.getString(1).startsWith("sex=")
        && r.getString(2).equals("n")).mapToDouble(r -> r.getDouble(3)).sum();
    assertEquals(nTest, nBySex, 0.0);
    assertTrue(card.stream().anyMatch(r -> r.getString(1).equals("emergency_admissions_12m")
        && r.getString(2).equals("lr_coefficient") && r.getDouble(3) > 0), "prior admissions raise risk");
    assertTrue(card.stream().anyMatch(r -> r.getString(1).equals("imd_quintile=5")
        && r.getString(2).equals("lr_coefficient") && r.getDouble(3) < 0), "less deprived than quintile 1 lowers risk");
  }

  private static double metric(List<Row> card, String section, String group, String metric) {
    return card.stream().filter(r -> r.getString(0).equals(section) && r.getString(1).equals(group)
        && r.getString(2).equals(metric)).mapToDouble(r -> r.getDouble(3)).findFirst().orElseThrow();
  }

  @Test
  void modelDoesNotDependOnInputPartitioningAndFitsOnACappedSample() {
    SparkSession spark = SharedSpark.get();
    LinkedModel model = SyntheticPopulation.get(spark, RiskStageTest.N, RiskStageTest.SEED, RUN);
    LocalDate asOf = RUN.minusMonths(12);
    RiskConfig c = fastConfig(true);
    Dataset<Row> labels = model.spells()
        .filter(col("is_emergency").and(col("admission_date").gt(lit(java.sql.Date.valueOf(asOf))))
            .and(col("admission_date").leq(lit(java.sql.Date.valueOf(RUN)))))
        .select("patient_id").distinct().withColumn("label", lit(1.0));
    Dataset<Row> labelled = PatientFeatures.build(model, asOf, c).join(labels, new String[] {"patient_id"}, "left")
        .withColumn("label", coalesce(col("label"), lit(0.0))).cache();
    // the same rows in 1 or 7 partitions (as on local[1], local[*] or a cluster) give the same model: identical
    // GBT trees (importances), selection and counts; LR sums may differ in the last bits (merge order of partial sums)
    EmergencyAdmissionModel one = EmergencyAdmissionModel.fit(labelled.coalesce(1), asOf, RUN, c);
    EmergencyAdmissionModel seven = EmergencyAdmissionModel.fit(labelled.repartition(7), asOf, RUN, c);
    List<Row> a = one.cardRows();
    List<Row> b = seven.cardRows();
    assertEquals(a.size(), b.size());
    for (int i = 0; i < a.size(); i++) {
      Row x = a.get(i);
      Row y = b.get(i);
      assertEquals(List.of(x.get(0), x.get(1), x.get(2), String.valueOf(x.get(4))),
          List.of(y.get(0), y.get(1), y.get(2), String.valueOf(y.get(4))));
      if (x.getString(2).equals("gbt_importance") || x.getString(2).equals("n")) {
        assertEquals(x.get(3), y.get(3), x.toString());
      } else if (!x.isNullAt(3)) {
        assertEquals(x.getDouble(3), y.getDouble(3), 1e-9 * Math.max(1, Math.abs(x.getDouble(3))), x.toString());
      }
    }
    assertEquals(one.summary("n_train"), one.summary("n_fit"), 0.0, "no cap reached: the whole training split");

    RiskConfig.ModelSettings m = c.model();
    RiskConfig capped = c.withModel(new RiskConfig.ModelSettings(m.trainFraction(), 500, m.numericFeatures(),
        m.categoricalFeatures(), m.lrMaxIter(), m.lrRegParam(), m.lrElasticNet(), m.gbtEnabled(), m.gbtMaxIter(),
        m.gbtMaxDepth(), m.gbtStepSize(), m.gbtMaxBins()));
    EmergencyAdmissionModel small = EmergencyAdmissionModel.fit(labelled, asOf, RUN, capped);
    assertEquals(one.summary("n_train"), small.summary("n_train"), 0.0);
    assertEquals(500, small.summary("n_fit"), 100, "hash sample of about max_training_patients");
    assertEquals(one.summary("n_test"), small.summary("n_test"), 0.0, "the held-out set is not sampled");
    labelled.unpersist();
  }

  @Test
  void sameDataAndSeedGiveTheSameModelAndScores() {
    SparkSession spark = SharedSpark.get();
    LinkedModel model = SyntheticPopulation.get(spark, RiskStageTest.N, RiskStageTest.SEED, RUN);
    RiskConfig c = fastConfig(true);
    EmergencyAdmissionModel a = EmergencyAdmissionModel.train(model, RUN, c);
    EmergencyAdmissionModel b = EmergencyAdmissionModel.train(model, RUN, c);
    assertEquals(a.cardRows(), b.cardRows());
    Dataset<Row> features = PatientFeatures.build(model, RUN, c).cache();
    Dataset<Row> sa = a.score(features).select("patient_id", "risk_score", "top_factor_1", "top_factor_2", "top_factor_3");
    Dataset<Row> sb = b.score(features).select("patient_id", "risk_score", "top_factor_1", "top_factor_2", "top_factor_3");
    assertEquals(features.count(), sa.count());
    assertEquals(0, sa.exceptAll(sb).count());
    assertEquals(0, sb.exceptAll(sa).count());
    features.unpersist();
  }
}
