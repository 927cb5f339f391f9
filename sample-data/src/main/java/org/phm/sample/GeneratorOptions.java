package org.phm.sample;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Objects;

/**
 * Options of one generation run.
 *
 * @param patients number of patients registered and alive at the run date (the list size of the ICS);
 *                 deceased and deregistered patients of the last 3 years are generated in addition
 * @param seed random seed; same (patients, seed, runDate, badRowFraction) gives byte-identical files
 * @param outDir output directory (created if missing; existing extract files are overwritten)
 * @param runDate extract date; activity is dated before it, list sizes are counted at it
 * @param badRowFraction probability, per good row, of appending one deliberately bad row (0 = clean files)
 */
public record GeneratorOptions(int patients, long seed, Path outDir, LocalDate runDate, double badRowFraction) {
  public static final double DEFAULT_BAD_ROW_FRACTION = 0.001;

  public GeneratorOptions {
    if (patients < 0) throw new IllegalArgumentException("patients must be >= 0, got " + patients);
    Objects.requireNonNull(outDir, "outDir");
    Objects.requireNonNull(runDate, "runDate");
    if (!(badRowFraction >= 0 && badRowFraction < 0.5)) {
      throw new IllegalArgumentException("badRowFraction must be in [0, 0.5), got " + badRowFraction);
    }
  }

  /** Options with the default bad-row fraction (0.001). */
  public GeneratorOptions(int patients, long seed, Path outDir, LocalDate runDate) {
    this(patients, seed, outDir, runDate, DEFAULT_BAD_ROW_FRACTION);
  }
}
