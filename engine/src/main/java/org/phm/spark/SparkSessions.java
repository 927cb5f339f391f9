package org.phm.spark;

import org.apache.spark.sql.SparkSession;

/**
 * Creates the Spark session every PHM job and test uses, so tuning lives in one place.
 *
 * <p>Local mode is the embedded default ({@code local[*]}); when the process was started by
 * {@code spark-submit} a master is already configured and is respected, so the same job runs
 * unchanged on a cluster.
 */
public final class SparkSessions {
  private SparkSessions() {}

  /**
   * Largest generated method (bytes of bytecode) Spark keeps in whole-stage code generation. HotSpot does not
   * JIT-compile methods above 8,000 bytes ({@code DontCompileHugeMethods}), so at Spark's default (65,535) a stage
   * whose generated method lands between the two runs interpreted for every row; at 8,000 Spark falls back to
   * per-operator generated code, which is compiled. Ingest validation is such a stage (300k patients: 181 → 117
   * CPU-s); for the indicator stage the limit measured neutral (docs/performance.md).
   */
  public static final int JIT_METHOD_LIMIT = 8_000;

  /**
   * Spark setting turned off by default (a {@code -D} system property of that name overrides): aggregations with
   * an object buffer ({@code collect_list}, {@code percentile_approx}) run as sort aggregations. The hash variant
   * keeps at most 128 groups per task before it falls back to sorting (the per-patient feature lists have a
   * million groups) and paid for the hash map and the fallback on top of the sort: the indicator stage took 9 %
   * less CPU without it (docs/performance.md, eleventh session).
   */
  static final String OBJECT_HASH_AGGREGATE = "spark.sql.execution.useObjectHashAggregateExec";

  /** Input bytes (CSV as delivered) per shuffle partition when a run sizes its partitions from its input. */
  public static final long INPUT_BYTES_PER_PARTITION = 50_000_000L;

  /** Default shuffle partitions: 4 per core, right for small and medium inputs on one machine. */
  public static int defaultShufflePartitions() {
    return Math.max(4, Runtime.getRuntime().availableProcessors() * 4);
  }

  /**
   * Shuffle partitions for a run over {@code inputBytes} of extracts: the default, or one per
   * {@link #INPUT_BYTES_PER_PARTITION} when that is more (at most 4,000). Large inputs need small tasks, or the
   * per-patient aggregations (collected feature lists fall back to sort-based aggregation) spill: at 1.09M
   * patients (1.66 GB) on 2 cores 32 partitions spill 9 GB against 17 GB at 8 and run 4 % faster, while at 100k
   * (152 MB) 32 partitions are 20 % slower than 8 (docs/performance.md).
   */
  public static int shufflePartitionsFor(long inputBytes) {
    long bySize = (Math.max(0, inputBytes) + INPUT_BYTES_PER_PARTITION - 1) / INPUT_BYTES_PER_PARTITION;
    return (int) Math.max(defaultShufflePartitions(), Math.min(4_000, bySize));
  }

  /**
   * Gets or creates the session.
   *
   * @param appName application name shown in Spark's UI and logs
   * @param master Spark master URL, or null to keep the one set by spark-submit (else {@code local[*]})
   */
  public static SparkSession getOrCreate(String appName, String master) {
    SparkSession.Builder b = SparkSession.builder().appName(appName);
    String configured = System.getProperty("spark.master");
    if (master != null && !master.isBlank()) {
      b.master(master);
    } else if (configured == null || configured.isBlank()) {
      b.master("local[*]");
    }
    b.config("spark.sql.shuffle.partitions", String.valueOf(defaultShufflePartitions()))
        .config("spark.sql.adaptive.enabled", "true")
        .config("spark.sql.adaptive.coalescePartitions.enabled", "true")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.ansi.enabled", "false")
        .config("spark.sql.parquet.compression.codec", "zstd")
        .config("spark.sql.sources.partitionOverwriteMode", "dynamic")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.legacy.timeParserPolicy", "CORRECTED")
        .config("spark.sql.codegen.hugeMethodLimit", String.valueOf(JIT_METHOD_LIMIT))
        // hide long hex strings (pseudonyms) in plans, logs and the UI
        .config("spark.sql.redaction.string.regex", "(?i)[0-9a-f]{64,}");
    configUnlessSystemProperty(b, OBJECT_HASH_AGGREGATE, "false");
    configUnlessSystemProperty(b, "spark.ui.enabled", "false");
    SparkSession spark = b.getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    return spark;
  }

  /** Sets a default that a {@code -D} system property of the same name (which Spark reads) may override. */
  private static void configUnlessSystemProperty(SparkSession.Builder b, String key, String value) {
    if (System.getProperty(key) == null) {
      b.config(key, value);
    }
  }
}
