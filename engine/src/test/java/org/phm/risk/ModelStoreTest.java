package org.phm.risk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phm.config.ConfigException;
import org.phm.linkage.LinkedModel;
import org.phm.spark.SharedSpark;

/** Saving a fitted model, approving it, and scoring with it in the risk stage. */
class ModelStoreTest {
  static LinkedModel model;
  static RiskConfig config;
  static EmergencyAdmissionModel trained;
  @TempDir static Path dir;

  @BeforeAll
  static void train() {
    model = SyntheticPopulation.get(SharedSpark.get(), RiskStageTest.N, RiskStageTest.SEED, RiskStageTest.RUN);
    config = EmergencyAdmissionModelTest.fastConfig(true);
    trained = EmergencyAdmissionModel.train(model, RiskStageTest.RUN, config);
  }

  @Test
  void aSavedModelLoadsWithTheSameCardTermsAndScores() {
    Path saved = ModelStore.save(trained, config, dir.resolve("models"));
    assertTrue(saved.getFileName().toString().startsWith("eam-" + RiskStageTest.RUN + "-"));
    ModelStore.Approved approved = ModelStore.load(saved, config);
    assertEquals(saved.getFileName().toString(), approved.id(), "the id recorded in model.json names the folder");
    EmergencyAdmissionModel loaded = approved.model();
    assertEquals(trained.selectedModel(), loaded.selectedModel());
    assertEquals(trained.terms(), loaded.terms(), "means, sds and levels round-trip exactly");
    assertEquals(trained.featuresAsOf(), loaded.featuresAsOf());
    assertEquals(trained.labelEnd(), loaded.labelEnd());
    assertCardEquals(trained.cardRows(), loaded.cardRows());
    Dataset<Row> features = PatientFeatures.build(model, RiskStageTest.RUN, config).cache();
    String[] out = {"patient_id", "risk_score", "top_factor_1", "top_factor_2", "top_factor_3"};
    Dataset<Row> a = trained.score(features).select(out[0], java.util.Arrays.copyOfRange(out, 1, out.length));
    Dataset<Row> b = loaded.score(features).select(out[0], java.util.Arrays.copyOfRange(out, 1, out.length));
    assertEquals(RiskStageTest.N, b.count());
    assertEquals(0, a.exceptAll(b).count());
    assertEquals(0, b.exceptAll(a).count());
    features.unpersist();
  }

  @Test
  void savingTheSameFitAgainKeepsOneDirectoryAndLeavesNoTemporaryFiles() throws Exception {
    Path models = dir.resolve("again");
    Path first = ModelStore.save(trained, config, models);
    Path second = ModelStore.save(trained, config, models);
    assertEquals(first, second);
    try (var s = Files.list(models)) {
      assertEquals(List.of(first), s.toList());
    }
  }

  @Test
  void theStageWithAnApprovedModelScoresAsTheModelDoesAndCarriesItsCard() {
    SparkSession spark = SharedSpark.get();
    RiskResult approved = RiskStage.run(spark, model, RiskStageTest.RUN, config, trained);
    Dataset<Row> expected = trained.score(PatientFeatures.build(model, RiskStageTest.RUN, config))
        .select("patient_id", "risk_score");
    Dataset<Row> got = approved.patientRisk().select("patient_id", "risk_score");
    assertEquals(RiskStageTest.N, got.count());
    assertEquals(0, got.exceptAll(expected).count());
    assertEquals(0, expected.exceptAll(got).count());
    Dataset<Row> card = approved.tables().stream().filter(t -> t.name().equals("model_card")).findFirst()
        .orElseThrow().data();
    assertCardEquals(trained.cardRows(), card.collectAsList());
  }

  @Test
  void aModelForOtherFeaturesIsRefusedWithTheDifference() {
    Path saved = ModelStore.save(trained, config, dir.resolve("other"));
    RiskConfig.ModelSettings m = config.model();
    List<String> fewer = new ArrayList<>(m.numericFeatures());
    fewer.remove("efi");
    RiskConfig changed = config.withModel(new RiskConfig.ModelSettings(m.trainFraction(), m.maxTrainingPatients(),
        fewer, m.categoricalFeatures(), m.lrMaxIter(), m.lrRegParam(), m.lrElasticNet(), m.gbtEnabled(),
        m.gbtMaxIter(), m.gbtMaxDepth(), m.gbtStepSize(), m.gbtMaxBins()));
    ConfigException e = assertThrows(ConfigException.class, () -> ModelStore.load(saved, changed));
    assertTrue(e.getMessage().contains(saved.getFileName().toString()), e.getMessage());
    assertTrue(e.getMessage().contains("phm train"), e.getMessage());
  }

  @Test
  void aDirectoryThatIsNotASavedModelIsAConfigurationError() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    ConfigException e = assertThrows(ConfigException.class, () -> ModelStore.load(empty, config));
    assertTrue(e.getMessage().contains("model.json"), e.getMessage());
    Path wrong = Files.createDirectories(dir.resolve("future"));
    Files.writeString(wrong.resolve("model.json"), "{\"format_version\": 99}");
    e = assertThrows(ConfigException.class, () -> ModelStore.load(wrong, config));
    assertTrue(e.getMessage().contains("format_version 99"), e.getMessage());
  }

  @Test
  void cardValuesRoundTripIncludingMissingAndNotANumber() throws Exception {
    List<Row> card = List.of(
        org.apache.spark.sql.RowFactory.create("summary", "ALL", "auroc_baseline_age", Double.NaN, "age"),
        org.apache.spark.sql.RowFactory.create("summary", "ALL", "selected_model", null, "gbt"),
        org.apache.spark.sql.RowFactory.create("coefficient", "age", "lr_coefficient", 0.1 + 0.2, null));
    EmergencyAdmissionModel m = new EmergencyAdmissionModel(trained.terms(), trained.logisticRegression(), null,
        false, card, trained.featuresAsOf(), trained.labelEnd());
    Path saved = ModelStore.save(m, config, dir.resolve("nan"));
    EmergencyAdmissionModel loaded = ModelStore.load(saved, config).model();
    assertCardEquals(card, loaded.cardRows());
    assertFalse(Files.exists(saved.resolve("gbt")), "no GBT saved when there is none");
    assertEquals("logistic_regression", loaded.selectedModel());
  }

  private static void assertCardEquals(List<Row> expected, List<Row> actual) {
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      Row e = expected.get(i);
      Row a = actual.get(i);
      for (int c = 0; c < 5; c++) {
        if (c == 3 && !e.isNullAt(3) && Double.isNaN(e.getDouble(3))) {
          assertTrue(Double.isNaN(a.getDouble(3)), "row " + i);
        } else {
          assertEquals(e.get(c), a.get(c), "row " + i + " column " + c);
        }
      }
    }
  }
}
