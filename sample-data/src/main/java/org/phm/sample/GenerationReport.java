package org.phm.sample;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;

/**
 * Result of a generation run (also written, without timing, to {@code _meta/generation_report.json}).
 *
 * @param generatorVersion version of the generator's models (changes when output for a seed changes)
 * @param seed the seed used
 * @param runDate the extract date
 * @param registeredPatients patients registered and alive at the run date (sum of list_sizes.csv)
 * @param rows data rows per file name (header excluded, injected bad rows included), in write order
 * @param injectedErrors injected bad rows per file name
 * @param bytes total size of the extract files
 * @param seconds wall-clock duration
 * @param outDir output directory
 */
public record GenerationReport(String generatorVersion, long seed, LocalDate runDate, long registeredPatients,
                               Map<String, Long> rows, Map<String, Long> injectedErrors, long bytes, double seconds,
                               Path outDir) {
  public GenerationReport {
    rows = Map.copyOf(rows);
    injectedErrors = Map.copyOf(injectedErrors);
  }
}
