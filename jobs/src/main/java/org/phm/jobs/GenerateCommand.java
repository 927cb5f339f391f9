package org.phm.jobs;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import org.phm.sample.Generator;
import org.phm.sample.GeneratorOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code phm generate}: writes a deterministic synthetic ICS extract set. */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = "Generate a synthetic Nottingham & Nottinghamshire-like ICS extract set (CSV).")
final class GenerateCommand implements Callable<Integer> {
  @Option(names = "--patients", defaultValue = "100000", description = "Registered patients (default ${DEFAULT-VALUE}; 1092110 = the reference ICS)")
  int patients;

  @Option(names = "--seed", defaultValue = "42", description = "Random seed (default ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--out", required = true, description = "Output directory")
  Path out;

  @Option(names = "--run-date", description = "Extract date (default today)")
  LocalDate runDate;

  @Option(names = "--bad-row-fraction", defaultValue = "0.001", description = "Fraction of deliberately bad rows per file")
  double badRowFraction;

  @Override
  public Integer call() {
    long t0 = System.nanoTime();
    var report = Generator.generate(new GeneratorOptions(patients, seed, out,
        runDate == null ? LocalDate.now() : runDate, badRowFraction));
    System.out.printf("generated %,d patients in %.1f s into %s%n", patients, (System.nanoTime() - t0) / 1e9, out);
    System.out.println(report);
    return 0;
  }
}
