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
 * JFR, or compare variants: an optional Spark SQL setting alternates between values within each repetition, so
 * variants meet the same machine state); not part of the unit tests.
 *
 * <pre>java &lt;spark flags&gt; -cp 'bench/target/phm-bench.jar:bench/target/lib/*' org.phm.bench.IngestBench \
 *     INPUT_DIR practices,imd_lsoa,gp_patients,gp_events [REPETITIONS] [spark.sql.some.setting=A,B]</pre>
 */
public final class IngestBench {
  private IngestBench() {}

  /**
   * Arguments: input folder, comma-separated contract names, optional repetitions (default 2), optional
   * setting=value1,value2,... to alternate.
   */
  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: IngestBench INPUT_DIR CONTRACT[,CONTRACT...] [REPETITIONS] [spark.sql.setting=A,B]");
      System.exit(2);
    }
    Path input = Path.of(args[0]);
    List<String> names = List.of(args[1].split(","));
    int repetitions = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    Alternation alternation = Alternation.parse(args.length > 3 ? args[3] : null);
    SparkSession spark = SparkSessions.getOrCreate("phm-ingest-bench", "local[*]");
    Pseudonymiser pseudonymiser = new Pseudonymiser(PseudonymisationKey.demo());
    for (int r = 1; r <= repetitions; r++) {
      for (String v : alternation.values()) {
        String variant = alternation.apply(spark, v);
        Path staging = Files.createTempDirectory("phm-ingest-bench");
        long cpu0 = Benchmark.cpuNanos();
        long t0 = System.nanoTime();
        long rows = new Ingest(spark, Contracts.load().select(names), pseudonymiser, Benchmark.DEFAULT_RUN_DATE)
            .run(input, staging).inputs().stream().mapToLong(f -> f.rowsIn()).sum();
        System.out.printf(Locale.ROOT, "repetition %d%s: %,d rows, wall %.1f s, process CPU %.1f s, staged %.1f MB%n",
            r, variant, rows, (System.nanoTime() - t0) / 1e9,
            (Benchmark.cpuNanos() - cpu0) / 1e9, Benchmark.size(staging) / 1e6);
        PackWriter.deleteTree(staging);
      }
    }
    spark.stop();
  }
}
