package org.phm.indicators;

import static org.apache.spark.sql.functions.ceil;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.phm.config.ConfigException;
import org.phm.indicators.IndicatorDefinition.Part;
import org.phm.linkage.LinkedModel;
import org.phm.pack.PackTable;
import org.phm.spark.ParallelJobs;

/**
 * Evaluates the indicator catalogue on the linked model and returns the indicator pack tables
 * ({@code indicator_definitions}, {@code indicator_values}, {@code indicator_inequality},
 * {@code indicator_summary}).
 *
 * <p>Spark does the counting: one pass per (dataset, date column) computes every additive numerator and
 * denominator that reads it, for the 13 monthly periods, by practice (rolled up to PCN, ICP and ICS on the driver,
 * as all sums are additive) and provider, by breakdown (current period) and by ESP2013 age band where a
 * standardised method needs it; percentile parts (medians, waiting-time percentiles) take one more pass over the
 * same source for their value histograms. Only those small aggregates are collected; confidence limits, comparisons,
 * RAG, trends and SII are then calculated on the driver with {@code org.phm.stats} ({@link IndicatorResults}).
 */
public final class IndicatorStage {
  /** Breakdowns of the current period (trend periods are ALL only). */
  public static final List<String> BREAKDOWNS = List.of("ALL", "IMD_QUINTILE", "ETHNICITY", "AGE_BAND", "SEX");
  /**
   * Sources counted at a time: one source's planning and driver-side accumulation overlap another's Spark work
   * (each source's results go to the synchronised {@link Aggregates}, one cell per source and area, so the order in
   * which sources finish does not change any sum).
   */
  static final int CONCURRENT_SOURCES = 2;
  /** ESP2013 bands 0-4 … 85-89, 90+; index 19 holds rows of unknown age. */
  static final int ESP_BANDS = 19;
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(IndicatorStage.class);

  private IndicatorStage() {}

  /** One numerator or denominator to count, resolved against its indicator's defaults. */
  record PartSpec(int id, IndicatorDefinition indicator, String role, String dataset, boolean state, String dateColumn,
      String periodType, String filter, String count, String measure, boolean bands, Double percentile) {
    String sourceKey() {
      return dataset + (state ? "@state" : "@dated");
    }

    String where(String source) {
      return source + ": indicator " + indicator.id() + ": " + role;
    }
  }

  /**
   * Runs the catalogue. Every patient feature, the eFI included, is evaluated at each period end from the coded
   * events, so a 13-point series is a real history.
   */
  public static List<PackTable> run(SparkSession spark, LinkedModel model, LocalDate runDate,
      IndicatorCatalogue catalogue) {
    Periods periods = Periods.forRunDate(runDate, catalogue.fluSeason());
    IndicatorSources sources = new IndicatorSources(spark, model, periods, catalogue);
    List<PartSpec> parts = resolveParts(catalogue);
    Aggregates agg = new Aggregates(model.practices());

    Map<String, List<PartSpec>> bySource = new LinkedHashMap<>();
    parts.forEach(p -> bySource.computeIfAbsent(p.sourceKey(), x -> new ArrayList<>()).add(p));
    ParallelJobs.run(List.copyOf(bySource.entrySet()), e -> {
      long t0 = System.nanoTime();
      countSource(sources, catalogue, e.getValue(), agg);
      LOG.info("indicators: counted {} parts from {} in {} ms", e.getValue().size(), e.getKey(),
          (System.nanoTime() - t0) / 1_000_000);
      return e.getKey();
    }, CONCURRENT_SOURCES, "phm-indicators");
    long t0 = System.nanoTime();
    List<PackTable> out = new IndicatorResults(spark, catalogue, periods, agg, parts).tables();
    LOG.info("indicators: statistics for {} indicators in {} ms", catalogue.indicators().size(),
        (System.nanoTime() - t0) / 1_000_000);
    return out;
  }

  static List<PartSpec> resolveParts(IndicatorCatalogue catalogue) {
    List<PartSpec> out = new ArrayList<>();
    for (IndicatorDefinition d : catalogue.indicators()) {
      boolean bands = d.method().equals("dsr") || d.method().equals("isr");
      Part n = d.numerator();
      Part dn = d.denominator();
      String nFilter = n.filter();
      if (dn != null && sameRows(d, n, dn) && dn.filter() != null) {
        nFilter = "(" + dn.filter() + ") AND (" + (n.filter() == null ? "true" : n.filter()) + ")";
      }
      Double pct = d.method().equals("median") ? Double.valueOf(0.5) : n.percentile();
      out.add(spec(out.size(), d, "numerator", n, nFilter, bands, pct));
      if (dn != null) {
        out.add(spec(out.size(), d, "denominator", dn, dn.filter(), bands, null));
      }
    }
    return out;
  }

  private static boolean sameRows(IndicatorDefinition d, Part a, Part b) {
    return a.dataset().equals(b.dataset()) && IndicatorCatalogue.periodOf(d, a).equals(IndicatorCatalogue.periodOf(d, b))
        && java.util.Objects.equals(a.date(), b.date());
  }

  private static PartSpec spec(int id, IndicatorDefinition d, String role, Part p, String filter, boolean bands,
      Double pct) {
    String period = IndicatorCatalogue.periodOf(d, p);
    boolean state = period.equals("at_period_end");
    String date = state ? null : (p.date() != null ? p.date() : IndicatorCatalogue.DEFAULT_DATE.get(p.dataset()));
    return new PartSpec(id, d, role, p.dataset(), state, date, period, filter == null ? "true" : filter, p.count(),
        p.measure(), bands, pct);
  }

  /**
   * Counts every part reading one source (the additive parts in one pass, each percentile column in another) and
   * adds the aggregates to {@code agg}.
   */
  private static void countSource(IndicatorSources sources, IndicatorCatalogue catalogue, List<PartSpec> group,
      Aggregates agg) {
    PartSpec first = group.get(0);
    Map<String, Integer> months = new LinkedHashMap<>();
    if (!first.state()) {
      // the dataset's default date first: it decides the age of the row
      String def = IndicatorCatalogue.DEFAULT_DATE.get(first.dataset());
      if (def != null && group.stream().anyMatch(p -> def.equals(p.dateColumn()))) {
        months.put(def, 1);
      }
      group.forEach(p -> months.merge(p.dateColumn(), Periods.months(p.periodType()), Math::max));
    }
    Dataset<Row> rows = first.state() ? sources.registeredPopulation() : sources.dated(first.dataset(), months);
    boolean bands = group.stream().anyMatch(PartSpec::bands);
    boolean provider = List.of(rows.columns()).contains("provider_code");

    if (!first.state()) {
      // window bounds of each period type as columns, so part flags stay small expressions
      Set<String> types = new LinkedHashSet<>();
      group.forEach(p -> types.add(p.periodType()));
      List<Column> bounds = new ArrayList<>();
      bounds.add(col("*"));
      for (String t : types) {
        bounds.add(expr("element_at(" + IndicatorSources.dateArray(k -> sources.periods().start(t, k)) + ", _k + 1)")
            .as("_ws_" + t));
        bounds.add(expr("element_at(" + IndicatorSources.dateArray(k -> sources.periods().windowEnd(t, k))
            + ", _k + 1)").as("_we_" + t));
      }
      rows = rows.select(bounds.toArray(Column[]::new));
    }
    List<String> anyFlag = new ArrayList<>();
    List<Column> partCols = new ArrayList<>();
    partCols.add(col("*"));
    List<PartSpec> additive = new ArrayList<>();
    List<PartSpec> pctParts = new ArrayList<>();
    // parts that count the same rows the same way (e.g. one registered-population denominator shared by several
    // indicators) share one column: each column costs every exploded row a copy and an aggregation update
    Map<Integer, String> column = new LinkedHashMap<>();
    Map<String, String> bySignature = new LinkedHashMap<>();
    for (PartSpec p : group) {
      String window = p.state() ? "true"
          : "_d_" + p.dateColumn() + " BETWEEN _ws_" + p.periodType() + " AND _we_" + p.periodType();
      String flag = "((" + window + ") AND coalesce((" + p.filter() + "), false))";
      String w = p.where(catalogue.source());
      try {
        rows.select(expr(p.filter()).cast("boolean"));
        if (p.measure() != null) {
          rows.select(expr(p.measure()).cast("double"));
        }
      } catch (Exception e) {
        throw new ConfigException(w + ": does not analyse against dataset " + p.dataset() + ": "
            + IndicatorSources.firstLine(e), e);
      }
      String m = "CAST((" + p.measure() + ") AS DOUBLE)";
      // percentile parts of one measure share its value column, whatever their percentile
      String signature = String.join("\u0000", flag, p.count(), String.valueOf(p.measure()),
          String.valueOf(p.percentile() != null));
      String shared = bySignature.get(signature);
      String c = shared != null ? shared : "p" + p.id();
      column.put(p.id(), c);
      if (p.percentile() != null) {
        pctParts.add(p);
      } else {
        additive.add(p);
      }
      if (shared != null) {
        continue;
      }
      bySignature.put(signature, c);
      if (p.percentile() != null) {
        partCols.add(expr("CASE WHEN " + flag + " THEN " + m + " END").as(c + "_m"));
        anyFlag.add(c + "_m IS NOT NULL");
      } else if (p.count().equals("measure")) {
        String ok = flag + " AND " + m + " IS NOT NULL";
        partCols.add(expr("CASE WHEN " + ok + " THEN 1L ELSE 0L END").as(c + "_n"));
        partCols.add(expr("CASE WHEN " + ok + " THEN " + m + " ELSE 0D END").as(c + "_s"));
        partCols.add(expr("CASE WHEN " + ok + " THEN " + m + " * " + m + " ELSE 0D END").as(c + "_q"));
        anyFlag.add(c + "_n > 0");
      } else if (p.count().equals("sum")) {
        partCols.add(expr("CASE WHEN " + flag + " THEN coalesce(" + m + ", 0D) ELSE 0D END").as(c));
        anyFlag.add(c + " <> 0");
      } else {
        partCols.add(expr("CASE WHEN " + flag + " THEN 1L ELSE 0L END").as(c));
        anyFlag.add(c + " > 0");
      }
    }
    rows = rows.select(partCols.toArray(Column[]::new)).filter(expr(String.join(" OR ", anyFlag)));
    // a source with both kinds of part is read once per kind: caching its rows (even only the counted columns)
    // cost more than the second read (docs/performance.md, twenty-third session)
    if (!additive.isEmpty()) {
      countAdditive(rows, additive, column, bands, provider, sources, catalogue, agg);
    }
    Map<String, List<PartSpec>> byColumn = new LinkedHashMap<>();
    pctParts.forEach(p -> byColumn.computeIfAbsent(column.get(p.id()), x -> new ArrayList<>()).add(p));
    for (Map.Entry<String, List<PartSpec>> e : byColumn.entrySet()) {
      countPercentile(rows, e.getKey() + "_m", e.getValue(), provider, agg);
    }
  }

  private static void countAdditive(Dataset<Row> rows, List<PartSpec> parts, Map<Integer, String> column,
      boolean bands, boolean provider, IndicatorSources sources, IndicatorCatalogue catalogue, Aggregates agg) {
    String ageBand = ageBandSql(catalogue);
    // level (0 practice, 1 provider) and breakdown (index in BREAKDOWNS) as numbers: fewer strings to hash per row
    String s = "named_struct('g', 0, 'c', practice_code, 'b', %d, 'v', %s)";
    String all = String.format(s, BREAKDOWNS.indexOf("ALL"), "'ALL'");
    String prov = provider ? ", named_struct('g', 1, 'c', CAST(provider_code AS STRING), 'b', "
        + BREAKDOWNS.indexOf("ALL") + ", 'v', 'ALL')" : "";
    String current = String.join(", ", all,
        String.format(s, BREAKDOWNS.indexOf("IMD_QUINTILE"), "coalesce(CAST(imd_quintile AS STRING), 'Unknown')"),
        String.format(s, BREAKDOWNS.indexOf("ETHNICITY"), "coalesce(ethnicity_group, 'Unknown')"),
        String.format(s, BREAKDOWNS.indexOf("AGE_BAND"), ageBand),
        String.format(s, BREAKDOWNS.indexOf("SEX"), "coalesce(sex, 'Unknown')"));
    // cells without an area code are dropped after the explode (a plain filter: Spark interprets lambdas row by row)
    String geo = "CASE WHEN _k = 0 THEN array(" + current + prov + ") ELSE array(" + all + prov + ") END";
    Dataset<Row> g = rows
        .withColumn("_esp", bands ? expr("CASE WHEN age >= 0 THEN CAST(least(floor(age / 5), 18) AS INT) END") : lit(null).cast("int"))
        .withColumn("_geo", org.apache.spark.sql.functions.explode(expr(geo)))
        .withColumn("_g", col("_geo.g")).withColumn("_c", col("_geo.c"))
        .withColumn("_b", col("_geo.b")).withColumn("_v", col("_geo.v"))
        .filter(col("_c").isNotNull());
    // each shared column once; a part reads its values from its column's position in the result
    Map<String, PartSpec> byColumn = new LinkedHashMap<>();
    parts.forEach(p -> byColumn.putIfAbsent(column.get(p.id()), p));
    List<String> valueCols = new ArrayList<>();
    byColumn.values().forEach(p -> valueCols.addAll(partColumns(p, column)));
    Column[] keys = {col("_k"), col("_g"), col("_c"), col("_b"), col("_v"), col("_esp")};
    boolean distinct = parts.stream().anyMatch(p -> p.count().equals("patients")) && !parts.get(0).state();
    if (distinct) {
      // a patient counts once per period and cell for "patients" parts
      List<Column> k1 = new ArrayList<>(List.of(keys));
      k1.add(0, col("patient_id"));
      List<Column> a1 = new ArrayList<>();
      for (PartSpec p : byColumn.values()) {
        for (String c : partColumns(p, column)) {
          a1.add((p.count().equals("patients") ? max(col(c)) : sum(col(c))).as(c));
        }
      }
      g = g.groupBy(k1.toArray(Column[]::new)).agg(a1.get(0), a1.subList(1, a1.size()).toArray(Column[]::new));
    }
    List<Column> aggs = valueCols.stream().map(c -> sum(col(c)).cast("double").as(c)).toList();
    Dataset<Row> out = g.groupBy(keys).agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new));
    int[] first = new int[parts.size()]; // each part's first value column among the result's value columns
    for (int j = 0; j < parts.size(); j++) {
      first[j] = valueCols.indexOf(partColumns(parts.get(j), column).get(0));
    }
    Aggregates.Group group = agg.group(parts, first);
    double[] values = new double[valueCols.size()];
    for (Row r : out.collectAsList()) {
      for (int i = 0; i < values.length; i++) {
        values[i] = r.getDouble(keys.length + i);
      }
      agg.add(group, r.getInt(0), r.getInt(1) == 0 ? "PRACTICE" : "PROVIDER", r.getString(2),
          BREAKDOWNS.get(r.getInt(3)), r.getString(4), values, r.isNullAt(5) ? ESP_BANDS : r.getInt(5));
    }
  }

  /** The columns a part's flags and values are counted from (see countSource). */
  private static List<String> partColumns(PartSpec p, Map<Integer, String> column) {
    String c = column.get(p.id());
    return p.percentile() != null ? List.of(c + "_m")
        : p.count().equals("measure") ? List.of(c + "_n", c + "_s", c + "_q") : List.of(c);
  }

  /**
   * Counts the percentile parts that share one measure column, exactly: the column's value histogram per period and
   * cell (practice, PCN, ICP and ICS for rows of listed patients, and provider), then in each cell the value at rank
   * ⌈p·n⌉ of its n sorted values (the inverse of the empirical distribution function; for small groups the value
   * Spark's {@code percentile_approx} returns, which was approximate above ~10,000 rows). Distinct values, not rows,
   * are sorted, and one row per cell and percentile reaches the driver.
   */
  private static void countPercentile(Dataset<Row> rows, String m, List<PartSpec> parts, boolean provider,
      Aggregates agg) {
    String areas = "named_struct('g', 0, 'c', practice_code), named_struct('g', 1, 'c', pcn_code), "
        + "named_struct('g', 2, 'c', icp_code), named_struct('g', 3, 'c', ics_code)";
    String prov = "named_struct('g', 4, 'c', CAST(provider_code AS STRING))";
    Dataset<Row> sel = rows.filter(col(m).isNotNull());
    String cells;
    if (provider) {
      cells = "CASE WHEN practice_code IS NULL THEN array(" + prov + ") ELSE array(" + areas + ", " + prov + ") END";
    } else {
      sel = sel.filter(col("practice_code").isNotNull());
      cells = "array(" + areas + ")";
    }
    Dataset<Row> histogram = sel.select(col("_k"), explode(expr(cells)).as("_cell"), col(m).as("_v"))
        .select(col("_k"), col("_cell.g").as("_g"), col("_cell.c").as("_c"), col("_v"))
        .filter(col("_c").isNotNull())
        .groupBy(col("_k"), col("_g"), col("_c"), col("_v")).agg(count(lit(1)).as("_w"));
    // one sort per cell by value serves both the running count and the cell's total
    WindowSpec byValue = Window.partitionBy(col("_k"), col("_g"), col("_c")).orderBy(col("_v"));
    Dataset<Row> ranked = histogram
        .withColumn("_cum", sum(col("_w")).over(byValue.rowsBetween(Window.unboundedPreceding(), Window.currentRow())))
        .withColumn("_n", sum(col("_w")).over(byValue.rowsBetween(Window.unboundedPreceding(),
            Window.unboundedFollowing())));
    Column holdsARank = lit(false);
    for (double p : parts.stream().map(PartSpec::percentile).distinct().toList()) {
      Column rank = ceil(lit(p).multiply(col("_n")));
      holdsARank = holdsARank.or(col("_cum").minus(col("_w")).lt(rank).and(rank.leq(col("_cum"))));
    }
    List<String> levels = List.of("PRACTICE", "PCN", "ICP", "ICS", "PROVIDER");
    for (Row r : ranked.filter(holdsARank).select("_k", "_g", "_c", "_v", "_n", "_cum", "_w").collectAsList()) {
      long n = r.getLong(4);
      long cum = r.getLong(5);
      long w = r.getLong(6);
      for (PartSpec q : parts) {
        long rank = (long) Math.ceil(q.percentile() * n);
        if (cum - w < rank && rank <= cum) {
          agg.put(q, r.getInt(0), levels.get(r.getInt(1)), r.getString(2), "ALL", "ALL",
              new double[] {r.getDouble(3), n});
        }
      }
    }
  }

  static String ageBandSql(IndicatorCatalogue catalogue) {
    StringBuilder sb = new StringBuilder("CASE WHEN age IS NULL THEN 'Unknown'");
    for (IndicatorCatalogue.AgeBand b : catalogue.ageBands()) {
      if (b.max() != null) {
        sb.append(" WHEN age <= ").append(b.max()).append(" THEN '").append(b.label()).append("'");
      } else {
        sb.append(" ELSE '").append(b.label()).append("'");
      }
    }
    return sb.append(" END").toString();
  }
}
