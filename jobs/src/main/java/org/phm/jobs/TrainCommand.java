package org.phm.jobs;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.phm.config.PhmConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code phm train}: fit and save the emergency-admission model for review and approval. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train the emergency-admission risk model on the extracts and save it (with its model card) for "
        + "review; approve it by setting risk_model (or --risk-model) of the nightly to the printed directory.")
final class TrainCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;

  @Option(names = "--models", defaultValue = "models",
      description = "Directory of saved models (default ${DEFAULT-VALUE}); each model is a subdirectory named by its id")
  Path models;

  @Override
  public Integer call() {
    PhmConfig cfg = options.resolve();
    RunLog log = new RunLog(System.out, cfg.logFormat(), "train");
    TrainJob.Result r = TrainJob.run(cfg, models, log);
    if (!log.isJson()) {
      System.out.printf(Locale.ROOT, "model saved: %s (%s, held-out AUROC %.3f; age alone %.3f)%n"
          + "review its card (model.json), then approve it with risk_model: %s%n", r.modelDir(),
          r.model().selectedModel(), r.model().summary("auroc_selected"), r.model().summary("auroc_baseline_age"),
          r.modelDir());
    }
    return 0;
  }
}
