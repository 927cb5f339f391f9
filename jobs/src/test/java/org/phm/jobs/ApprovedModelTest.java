package org.phm.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.phm.pack.Manifest;
import org.phm.pack.PackReader;
import org.phm.risk.EmergencyAdmissionModel;
import org.phm.risk.ModelStore;
import org.phm.risk.RiskConfig;
import org.phm.sample.Generator;
import org.phm.sample.GeneratorOptions;

/** {@code phm train} saves a model; the nightly with {@code --risk-model} scores with it instead of training. */
class ApprovedModelTest {
  static final LocalDate RUN_DATE = LocalDate.of(2026, 11, 25);
  static Path tmp;
  static Path input;
  static Path modelDir;

  @BeforeAll
  static void train() throws IOException {
    tmp = Files.createTempDirectory("phm-approved");
    input = tmp.resolve("input");
    Generator.generate(new GeneratorOptions(2000, 5, input, RUN_DATE, 0.0));
    Path models = tmp.resolve("models");
    assertEquals(0, Phm.execute("train", "--input", input.toString(), "--run-date", RUN_DATE.toString(), "--demo",
        "--log-format", "json", "--models", models.toString()));
    try (Stream<Path> s = Files.list(models)) {
      List<Path> saved = s.toList();
      assertEquals(1, saved.size(), "one model directory and no work or temporary directories left: " + saved);
      modelDir = saved.get(0);
    }
  }

  @Test
  void theNightlyScoresWithTheApprovedModelAndPublishesItsCard() {
    Path packs = tmp.resolve("packs");
    assertEquals(0, Phm.execute("nightly", "--input", input.toString(), "--out", packs.toString(), "--run-date",
        RUN_DATE.toString(), "--demo", "--log-format", "json", "--risk-model", modelDir.toString()));
    PackReader pack = PackReader.open(packs);
    Manifest m = pack.manifest();
    @SuppressWarnings("unchecked")
    Map<String, Object> model = (Map<String, Object>) m.runReport().get("risk_model");
    assertEquals("approved", model.get("source"));
    assertEquals(modelDir.getFileName().toString(), model.get("model_id"));
    assertEquals(0, ((Number) model.get("age_days")).intValue(), "trained for the same run date");
    assertTrue(m.stages().stream().anyMatch(s -> s.stage().equals("risk_model")), "loading is timed");

    EmergencyAdmissionModel saved = ModelStore.load(modelDir, RiskConfig.defaults()).model();
    List<Row> card = pack.read(SparkSession.active(), "model_card", true).collectAsList();
    assertEquals(saved.cardRows().size(), card.size());
    Row auroc = card.stream().filter(r -> "auroc_selected".equals(r.getAs("metric"))).findFirst().orElseThrow();
    assertEquals(saved.summary("auroc_selected"), (Double) auroc.getAs("value"), 0.0);
    Row asOf = card.stream().filter(r -> "features_as_of".equals(r.getAs("metric"))).findFirst().orElseThrow();
    assertEquals(RUN_DATE.minusMonths(12).toString(), asOf.getAs("note"), "the card is the approved model's");
    long scored = pack.read(SparkSession.active(), "risk_stratification", true).count();
    assertTrue(scored > 0);
  }

  @Test
  void aModelTrainedOnOtherFeaturesStopsTheNightlyWithExit2AndPublishesNothing() throws IOException {
    Path riskYaml = tmp.resolve("risk.yaml");
    try (InputStream in = RiskConfig.class.getResourceAsStream("/risk/risk.yaml")) {
      String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(yaml.contains("numeric_features: [age, efi, "));
      Files.writeString(riskYaml, yaml.replace("numeric_features: [age, efi, ", "numeric_features: [age, "));
    }
    Path packs = tmp.resolve("mismatch-packs");
    Path cfg = tmp.resolve("phm.yaml");
    Files.writeString(cfg, "input_dir: " + input + "\npacks_dir: " + packs + "\nrun_date: " + RUN_DATE
        + "\ndemo: true\nlog_format: json\nrisk_config: " + riskYaml + "\nrisk_model: " + modelDir + "\n");
    assertEquals(2, Phm.execute("nightly", "-c", cfg.toString()));
    assertFalse(Files.exists(packs.resolve("latest")), "nothing published");

    Path notAModel = Files.createDirectories(tmp.resolve("not-a-model"));
    assertEquals(2, Phm.execute("nightly", "--input", input.toString(), "--out", packs.toString(), "--run-date",
        RUN_DATE.toString(), "--demo", "--log-format", "json", "--risk-model", notAModel.toString()));
    assertFalse(Files.exists(packs.resolve("latest")), "nothing published");
  }
}
