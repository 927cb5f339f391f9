package org.phm.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;
import org.phm.ig.PseudonymisationKey;
import org.phm.ig.Pseudonymiser;
import org.phm.indicators.IndicatorCatalogue;
import org.phm.indicators.IndicatorStage;
import org.phm.ingest.Ingest;
import org.phm.ingest.IngestResult;
import org.phm.linkage.LinkedModel;
import org.phm.linkage.Linkage;
import org.phm.pack.PackWriter;
import org.phm.spark.SparkSessions;

/**
 * Indicator-stage profiling harness: ingests and links an input folder once, then runs the indicator
 * catalogue a number of times in one JVM and prints wall and process CPU seconds per run. Optionally alternates one
 * Spark SQL setting between values on every repetition, so two variants are compared on the same machine state
 * (this machine's run-to-run spread between JVMs is ±15 %; within one JVM, after the first repetition, it is a few
 * per cent). Not part of the unit tests.
 *
 * <pre>java &lt;spark flags&gt; -cp 'bench/target/phm-bench.jar:bench/target/lib/*' org.phm.bench.IndicatorBench \
 *     INPUT_DIR [REPETITIONS] [spark.sql.some.setting=A,B]</pre>
 */
public final class IndicatorBench {
  private IndicatorBench() {}

  /** Arguments: input folder, optional repetitions (default 3), optional setting=value1,value2,... to alternate. */
  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: IndicatorBench INPUT_DIR [REPETITIONS] [spark.sql.setting=A,B]");
      System.exit(2);
    }
    Path input = Path.of(args[0]);
    int repetitions = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Alternation alternation = Alternation.parse(args.length > 2 ? args[2] : null);
    SparkSession spark = SparkSessions.getOrCreate("phm-indicator-bench", "local[*]");
    spark.conf().set("spark.sql.shuffle.partitions",
        String.valueOf(SparkSessions.shufflePartitionsFor(Benchmark.size(input))));
    Path staging = Files.createTempDirectory("phm-indicator-bench");
    try {
      IngestResult ingested = Ingest.run(spark, input, staging, Benchmark.DEFAULT_RUN_DATE,
          new Pseudonymiser(PseudonymisationKey.demo()));
      LinkedModel model = Linkage.link(ingested, Benchmark.DEFAULT_RUN_DATE);
      System.out.printf(Locale.ROOT, "prepared: %,d patients linked%n", model.patients().count());
      for (int r = 1; r <= repetitions; r++) {
        for (String v : alternation.values()) {
          String variant = alternation.apply(spark, v);
          long cpu0 = Benchmark.cpuNanos();
          long t0 = System.nanoTime();
          IndicatorStage.run(spark, model, Benchmark.DEFAULT_RUN_DATE, IndicatorCatalogue.defaults());
          System.out.printf(Locale.ROOT, "repetition %d%s: wall %.1f s, process CPU %.1f s%n", r, variant,
              (System.nanoTime() - t0) / 1e9,
              (Benchmark.cpuNanos() - cpu0) / 1e9);
        }
      }
    } finally {
      PackWriter.deleteTree(staging);
      spark.stop();
    }
  }
}
