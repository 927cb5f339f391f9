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
   * Default shuffle partitions: 16 per core. Small tasks keep the per-patient aggregations (collected feature lists
   * fall back to sort-based aggregation) mostly in memory: at 1.09M patients on 2 cores, 32 partitions spill 9 GB
   * against 17 GB at 8 (docs/performance.md); adaptive execution coalesces the partitions of small stages.
   */
  public static int defaultShufflePartitions() {
    return Math.max(16, Runtime.getRuntime().availableProcessors() * 16);
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
        // hide long hex strings (pseudonyms) in plans, logs and the UI
        .config("spark.sql.redaction.string.regex", "(?i)[0-9a-f]{64,}");
    if (System.getProperty("spark.ui.enabled") == null) {
      b.config("spark.ui.enabled", "false");
    }
    SparkSession spark = b.getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    return spark;
  }
}
