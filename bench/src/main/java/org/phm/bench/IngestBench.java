package org.phm.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;
import org.phm.ig.PseudonymisationKey;
import org.phm.ig.Pseudonymiser;
import org.phm.ingest.Contracts;
import org.phm.ingest.Ingest;
import org.phm.pack.PackWriter;
import org.phm.spark.SparkSessions;

/**
 * Ingest-only profiling harness: ingests chosen extracts of an input folder (with the files they reference) a number
 * of times in one JVM, with the benchmark's run date (that of its generated inputs), and prints wall and process CPU
 * seconds per repetition. The first repetition includes JIT and code-generation warm-up; later ones show the steady
 * per-row cost. Used to find where ingest CPU goes (run it under
 * JFR, or compare variants); not part of the unit tests.
 *
 * <pre>java &lt;spark flags&gt; -cp 'bench/target/phm-bench.jar:bench/target/lib/*' org.phm.bench.IngestBench \
 *     INPUT_DIR practices,imd_lsoa,gp_patients,gp_events [REPETITIONS]</pre>
 */
public final class IngestBench {
  private IngestBench() {}

  /** Arguments: input folder, comma-separated contract names, optional repetitions (default 2). */
  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: IngestBench INPUT_DIR CONTRACT[,CONTRACT...] [REPETITIONS]");
      System.exit(2);
    }
    Path input = Path.of(args[0]);
    List<String> names = List.of(args[1].split(","));
    int repetitions = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    SparkSession spark = SparkSessions.getOrCreate("phm-ingest-bench", "local[*]");
    Pseudonymiser pseudonymiser = new Pseudonymiser(PseudonymisationKey.demo());
    for (int r = 1; r <= repetitions; r++) {
      Path staging = Files.createTempDirectory("phm-ingest-bench");
      long cpu0 = Benchmark.cpuNanos();
      long t0 = System.nanoTime();
      long rows = new Ingest(spark, Contracts.load().select(names), pseudonymiser, Benchmark.DEFAULT_RUN_DATE)
          .run(input, staging).inputs().stream().mapToLong(f -> f.rowsIn()).sum();
      System.out.printf(Locale.ROOT, "repetition %d: %,d rows, wall %.1f s, process CPU %.1f s%n", r, rows,
          (System.nanoTime() - t0) / 1e9, (Benchmark.cpuNanos() - cpu0) / 1e9);
      PackWriter.deleteTree(staging);
    }
    spark.stop();
  }
}
