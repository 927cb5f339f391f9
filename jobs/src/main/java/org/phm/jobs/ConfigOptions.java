package org.phm.jobs;

import java.nio.file.Path;
import org.phm.config.PhmConfig;
import picocli.CommandLine.Option;

/** Command-line flags shared by commands that take a run configuration; flags beat env beats file. */
final class ConfigOptions {
  @Option(names = {"-c", "--config"}, description = "Configuration YAML (see config/phm.example.yaml)")
  Path config;

  @Option(names = "--input", description = "Input directory of extracts (input_dir)")
  String input;

  @Option(names = "--out", description = "Packs directory (packs_dir)")
  String out;

  @Option(names = "--run-date", description = "Run date yyyy-MM-dd (run_date; default today)")
  String runDate;

  @Option(names = "--spark-master", description = "Spark master URL (default local[*], or spark-submit's)")
  String sparkMaster;

  @Option(names = "--retention", description = "Packs (run dates) to keep")
  Integer retention;

  @Option(names = "--key-file", description = "Pseudonymisation key file")
  String keyFile;

  @Option(names = "--demo", description = "Demo mode: allows the built-in demo pseudonymisation key")
  Boolean demo;

  @Option(names = "--risk-model", description = "Approved risk model directory from phm train (risk_model; "
      + "default: train the model in the run)")
  String riskModel;

  @Option(names = "--log-format", description = "auto, json or text")
  String logFormat;

  /** Resolves file, then environment, then flags; not yet validated. */
  PhmConfig resolve() {
    PhmConfig c = config == null ? PhmConfig.defaults() : PhmConfig.load(config);
    c = c.withEnvironment(System.getenv());
    return c.overlay(new PhmConfig(input, out, runDate, sparkMaster, null, retention, keyFile, null, demo,
        null, null, null, null, riskModel, null, null, logFormat));
  }
}
