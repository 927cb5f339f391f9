package org.phm.query;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.phm.pack.Manifest;
import org.phm.pack.PackReader;
import org.phm.pack.Sensitivity;

/**
 * SQL over a pack: every table visible to the caller is registered as a Spark SQL temporary view
 * named after it (restricted, patient-level tables only when asked for), and statements are run
 * with SQL mistakes reported as {@link QueryError} rather than Spark stack traces.
 */
public final class PackQuery {
  private final SparkSession spark;
  private final PackReader pack;
  private final boolean includeRestricted;

  private PackQuery(SparkSession spark, PackReader pack, boolean includeRestricted) {
    this.spark = spark;
    this.pack = pack;
    this.includeRestricted = includeRestricted;
  }

  /** Registers the pack's visible tables as views in {@code spark} and returns a query handle. */
  public static PackQuery open(SparkSession spark, PackReader pack, boolean includeRestricted) {
    if (!includeRestricted) {
      // a view registered earlier in this session with --restricted must not stay visible
      for (Manifest.TableEntry t : pack.manifest().tables()) {
        if (Sensitivity.RESTRICTED.name().equals(t.sensitivity())) {
          spark.catalog().dropTempView(t.name());
        }
      }
    }
    pack.registerViews(spark, includeRestricted);
    return new PackQuery(spark, pack, includeRestricted);
  }

  public PackReader pack() {
    return pack;
  }

  public boolean includesRestricted() {
    return includeRestricted;
  }

  /** Names of the registered views. */
  public List<String> views() {
    return pack.tables(includeRestricted).stream().map(Manifest.TableEntry::name).toList();
  }

  /**
   * Parses and analyses {@code sql} (Spark analyses eagerly, so unknown tables and columns fail here,
   * before any data is read).
   *
   * @throws QueryError for syntax and analysis errors
   */
  public Dataset<Row> sql(String sql) {
    try {
      return spark.sql(sql);
    } catch (Exception e) { // Spark's AnalysisException is a checked exception thrown from Scala
      QueryError q = QueryError.from(e, sql).orElse(null);
      if (q != null) {
        throw q;
      }
      if (e instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getMessage(), e);
    }
  }
}
