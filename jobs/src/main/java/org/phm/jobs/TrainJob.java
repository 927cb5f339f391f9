package org.phm.jobs;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.phm.config.PhmConfig;
import org.phm.ig.Pseudonymiser;
import org.phm.ingest.Ingest;
import org.phm.ingest.IngestResult;
import org.phm.linkage.Linkage;
import org.phm.linkage.LinkedModel;
import org.phm.pack.PackException;
import org.phm.pack.PackWriter;
import org.phm.risk.EmergencyAdmissionModel;
import org.phm.risk.ModelStore;
import org.phm.risk.RiskConfig;

/**
 * The scheduled (e.g. quarterly) training job: ingests and links the extracts as the nightly does, fits the
 * emergency-admission model on features a year before the run date and the year's admissions since, and saves it
 * with its model card under the models directory ({@link ModelStore}). Nothing is published: the team reviews the
 * card and approves the model by setting the nightly's {@code risk_model} to the directory this returns.
 */
final class TrainJob {
  private TrainJob() {}

  /** What training produced: the saved model's directory and the model itself. */
  record Result(Path modelDir, EmergencyAdmissionModel model) {}

  static Result run(PhmConfig config, Path modelsDir, RunLog log) {
    PhmConfig cfg = config.validated();
    LocalDate runDate = cfg.effectiveRunDate();
    SparkSession spark = NightlyJob.spark(cfg, "phm-train");
    Pseudonymiser pseudonymiser = new Pseudonymiser(NightlyJob.key(cfg, log));
    RiskConfig riskConfig = NightlyJob.riskConfig(cfg);
    Path work = modelsDir.toAbsolutePath().resolve(".work-" + ProcessHandle.current().pid());
    long t0 = System.nanoTime();
    log.event("train_start", Map.of("run_date", runDate.toString(), "input_dir", cfg.inputDir(),
        "models_dir", modelsDir.toAbsolutePath().toString()));
    try {
      IngestResult ingest = Ingest.run(spark, Path.of(cfg.inputDir()), work, runDate, pseudonymiser);
      DataQualityGates.check(cfg, runDate, ingest, log);
      LinkedModel model = Linkage.link(ingest, runDate);
      EmergencyAdmissionModel m = EmergencyAdmissionModel.train(model, runDate, riskConfig);
      Path saved = ModelStore.save(m, riskConfig, modelsDir);
      Map<String, Object> done = new LinkedHashMap<>();
      done.put("model_dir", saved.toString());
      done.put("selected_model", m.selectedModel());
      done.put("auroc_selected", m.summary("auroc_selected"));
      done.put("auroc_baseline_age", m.summary("auroc_baseline_age"));
      done.put("seconds", Math.round((System.nanoTime() - t0) / 1e7) / 100.0);
      log.event("train_done", done);
      return new Result(saved, m);
    } finally {
      try {
        PackWriter.deleteTree(work);
      } catch (IOException e) {
        throw new PackException("cannot remove work directory " + work + ": " + e.getMessage(), e);
      }
    }
  }
}
