package org.phm.jobs;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.phm.config.ExitCode;
import org.phm.config.PhmConfig;
import org.phm.ingest.IngestResult;
import org.phm.ingest.InputFileInfo;

/**
 * Configurable gates that stop a run whose inputs look wrong before anything is published: too
 * large a share of a file quarantined, or a list-size extract older than allowed.
 */
final class DataQualityGates {
  private DataQualityGates() {}

  static void check(PhmConfig cfg, LocalDate runDate, IngestResult ingest, RunLog log) {
    List<String> failures = new ArrayList<>();
    double maxFraction = cfg.maxQuarantinedFraction() == null ? 1.0 : cfg.maxQuarantinedFraction();
    for (InputFileInfo f : ingest.inputs()) {
      if (f.rowsIn() > 0 && (double) f.rowsQuarantined() / f.rowsIn() > maxFraction) {
        failures.add(String.format("%s: %.2f%% of rows quarantined (%,d of %,d), above the %.2f%% gate",
            f.file(), 100.0 * f.rowsQuarantined() / f.rowsIn(), f.rowsQuarantined(), f.rowsIn(), 100 * maxFraction));
      }
    }
    if (cfg.maxSourceAgeDays() != null) {
      LocalDate extract = NightlyJob.latestExtractDate(ingest);
      if (extract == null || ChronoUnit.DAYS.between(extract, runDate) > cfg.maxSourceAgeDays()) {
        failures.add("list_sizes.csv: extract date " + extract + " is more than " + cfg.maxSourceAgeDays()
            + " days before the run date " + runDate);
      }
    }
    if (!failures.isEmpty()) {
      log.event("data_quality_gate_failed", Map.of("failures", failures));
      throw new Phm.PhmExit(ExitCode.DATA_QUALITY_GATE, "data-quality gate failed:\n  - "
          + String.join("\n  - ", failures));
    }
  }
}
