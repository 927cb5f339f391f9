package org.phm.notebooks;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.phm.pack.DataDictionary;
import org.phm.pack.PackReader;
import org.phm.query.PackQuery;
import org.phm.spark.SparkSessions;
import tech.tablesaw.api.Table;

/**
 * What a notebook cell calls (statically imported by the kernel): the pack at {@code $PHM_PACK}
 * (default {@code packs/latest}), one local Spark session, SQL over the pack's tables, conversion of
 * small results to Tablesaw tables and {@code display(...)} of tables, charts and HTML.
 */
public final class Notebook {
  private static volatile Consumer<DisplayData> sink;
  private static Object stash;
  private static PackReader pack;
  private static PackQuery query;

  private Notebook() {}

  /** Connects {@link #display} to the running kernel. */
  static void attach(Consumer<DisplayData> displaySink) {
    sink = displaySink;
  }

  /** Used by the kernel to fetch the value of a cell's last expression. */
  public static void stash(Object value) {
    stash = value;
  }

  static Object takeStash() {
    Object v = stash;
    stash = null;
    return v;
  }

  /** Shows a value in the notebook now (a table, chart, HTML or anything else as text). */
  public static void display(Object value) {
    DisplayData d = Display.render(value);
    if (sink != null) {
      sink.accept(d);
    } else {
      System.out.println(d.getData(io.github.spencerpark.jupyter.kernel.display.mime.MIMEType.TEXT_PLAIN));
    }
  }

  /** The local Spark session of this notebook (two cores, UTC). */
  public static synchronized SparkSession spark() {
    SparkSession s = SparkSessions.getOrCreate("phm-notebook", System.getProperty("phm.notebook.master", "local[2]"));
    s.conf().set("spark.sql.shuffle.partitions", "4");
    return s;
  }

  /** Path of the pack: {@code $PHM_PACK}, else {@code packs/latest}. */
  public static Path packPath() {
    String env = System.getenv("PHM_PACK");
    return Path.of(env == null || env.isBlank() ? "packs/latest" : env);
  }

  /** The pack; its aggregate, internal and data-quality tables are registered as SQL views on first use. */
  public static synchronized PackReader pack() {
    if (pack == null) {
      pack = PackReader.open(packPath());
      query = PackQuery.open(spark(), pack, false);
    }
    return pack;
  }

  /** Also registers the restricted (patient-level) tables; use only if you are authorised to. */
  public static synchronized PackReader restricted() {
    pack();
    query = PackQuery.open(spark(), pack, true);
    System.out.println("RESTRICTED tables registered: patient-level (pseudonymised) data; "
        + "outputs containing it are RESTRICTED.");
    return pack;
  }

  /** Whether the pack has a table visible in this notebook (optional tables may be absent). */
  public static boolean hasTable(String name) {
    pack();
    return query.views().contains(name);
  }

  /** Names of the tables visible in this notebook. */
  public static List<String> tables() {
    pack();
    return query.views();
  }

  /** Runs Spark SQL over the pack's tables (SQL errors say where they are). */
  public static Dataset<Row> sql(String sql) {
    pack();
    return query.sql(sql);
  }

  /** The data dictionary of this engine version. */
  public static DataDictionary dictionary() {
    return DataDictionary.load();
  }

  /** A small result as a Tablesaw table (at most {@code maxRows} rows are brought to the driver). */
  public static Table toTable(Dataset<Row> data, int maxRows) {
    return Tables.fromSpark(data, maxRows);
  }

  /** A small result as a Tablesaw table (at most 10,000 rows). */
  public static Table toTable(Dataset<Row> data) {
    return Tables.fromSpark(data, 10_000);
  }

  /**
   * A two-way count table you built (row value, column value, count) with totals and small-number suppression,
   * safe to share with places ({@link Tables#shareable}).
   */
  public static Table shareable(Dataset<Row> counts, String rowColumn, String columnColumn, String countColumn) {
    return Tables.shareable(counts, rowColumn, columnColumn, countColumn);
  }

  /** A column of a Tablesaw table as text (missing values as empty strings). */
  public static List<String> strings(Table t, String column) {
    var c = t.column(column);
    List<String> out = new java.util.ArrayList<>();
    for (int i = 0; i < c.size(); i++) {
      out.add(c.isMissing(i) ? "" : c.getString(i));
    }
    return out;
  }

  /** A numeric column of a Tablesaw table as doubles (missing values, e.g. suppressed counts, as NaN). */
  public static double[] numbers(Table t, String column) {
    var c = t.numberColumn(column);
    double[] out = new double[c.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = c.isMissing(i) ? Double.NaN : c.getDouble(i);
    }
    return out;
  }

  /** HTML to display as is. */
  public static Display.Html html(String html) {
    return new Display.Html(html);
  }

  /** Markdown to display. */
  public static Display.Markdown markdown(String markdown) {
    return new Display.Markdown(markdown);
  }
}
