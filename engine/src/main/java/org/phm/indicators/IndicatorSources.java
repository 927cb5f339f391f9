package org.phm.indicators;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.arrays_zip;
import static org.apache.spark.sql.functions.bit_count;
import static org.apache.spark.sql.functions.bit_or;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.inline;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.unix_date;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.phm.config.ConfigException;
import org.phm.ig.PatientKey;
import org.phm.indicators.IndicatorCatalogue.Feature;
import org.phm.linkage.LinkedModel;
import org.phm.spark.BitSets;

/**
 * Spark transformations that turn a linked-model dataset into rows placed in reporting periods: each row
 * gets {@code _k} (period index, 0 = current), {@code period_end}, {@code age} (at the period end for the
 * registered population, at the row's date otherwise) and the patient attributes used for areas and
 * breakdowns. The registered population also gets the catalogue's patient features, evaluated at each
 * period end by hash aggregations of the coded events (see featureColumns).
 */
final class IndicatorSources {
  private final SparkSession spark;
  private final LinkedModel model;
  private final Periods periods;
  private final IndicatorCatalogue catalogue;

  IndicatorSources(SparkSession spark, LinkedModel model, Periods periods, IndicatorCatalogue catalogue) {
    this.spark = spark;
    this.model = model;
    this.periods = periods;
    this.catalogue = catalogue;
  }

  Periods periods() {
    return periods;
  }

  /** SQL literal array of dates, indexed by period k + 1. */
  static String dateArray(Function<Integer, LocalDate> byK) {
    List<String> parts = new ArrayList<>();
    for (int k = 0; k < Periods.COUNT; k++) {
      parts.add("DATE'" + byK.apply(k) + "'");
    }
    return "array(" + String.join(", ", parts) + ")";
  }

  String ends() {
    return dateArray(periods::end);
  }

  Dataset<Row> dataset(String name) {
    return switch (name) {
      case "patients" -> model.patients();
      case "events" -> model.events();
      case "ae" -> model.ae();
      case "spells" -> model.spells();
      case "outpatients" -> model.outpatients();
      case "rtt" -> model.rtt();
      case "diagnostics" -> model.diagnostics();
      case "cancer" -> model.cancer();
      case "iapt" -> model.iapt();
      default -> throw new IllegalArgumentException("unknown dataset " + name);
    };
  }

  /** Registered population at each of the 13 period ends, with features and age at the period end. */
  Dataset<Row> registeredPopulation() {
    List<Feature> coded = catalogue.features().stream().filter(f -> !f.kind().equals("expression")).toList();
    // the features meet the register by the fixed-width patient key
    Dataset<Row> p = PatientKey.add(model.patients(), "_pk");
    if (!coded.isEmpty()) {
      p = p.join(featureColumns(coded), PatientKey.same("_pk", "_fp"), "left").drop(PatientKey.names("_fp"));
    }
    p = p.drop(PatientKey.names("_pk"));
    // one row per period from the patient's period array (all-null features without coded events), then a plain
    // filter on registration at its end (not a lambda: Spark interprets those per row)
    Column rows = coded.isEmpty() ? noEvents(coded) : coalesce(col("_periods"), noEvents(coded));
    List<Column> exploded = new ArrayList<>();
    for (String c : p.columns()) {
      if (!c.equals("_periods")) {
        exploded.add(col(c));
      }
    }
    exploded.add(inline(rows));
    p = p.select(exploded.toArray(Column[]::new))
        .filter(expr("registration_start <= period_end AND (registration_end IS NULL OR registration_end > period_end)"
            + " AND (death_date IS NULL OR death_date > period_end)"))
        .withColumn("age", expr(ageSql("period_end")));
    List<Column> withFeatures = new ArrayList<>();
    withFeatures.add(col("*"));
    for (Feature f : coded) {
      withFeatures.add(expr(valueSql(f)).as(f.name()));
    }
    p = p.select(withFeatures.toArray(Column[]::new));
    for (Feature f : coded) {
      p = p.drop("_f_" + f.name());
    }
    for (Feature f : catalogue.features()) {
      if (f.kind().equals("expression")) {
        try {
          p = p.withColumn(f.name(), expr("(" + f.expr() + ")"));
        } catch (RuntimeException e) {
          throw new ConfigException(catalogue.source() + ": feature " + f.name() + ": " + firstLine(e), e);
        }
      }
    }
    return p;
  }

  /** A coded feature's value at the row's period end, from its column {@code _f_<name>} (see featureColumns). */
  private String valueSql(Feature f) {
    String c = "_f_" + f.name();
    return switch (f.kind()) {
      case "ever" -> "coalesce(" + c + " <= period_end, false)";
      case "distinct_groups" -> "coalesce(" + c + ", 0)";
      case "latest_value", "latest_group" -> c;
      case "in_window" -> "coalesce(" + c + ", false)";
      default -> throw new IllegalArgumentException("unknown feature kind " + f.kind());
    };
  }

  /** SQL type of a non-{@code ever} feature's value at a period end. */
  private static String valueType(Feature f) {
    return switch (f.kind()) {
      case "distinct_groups" -> "INT";
      case "latest_group" -> "STRING";
      case "in_window" -> "BOOLEAN";
      case "latest_value" -> "DOUBLE";
      default -> throw new IllegalArgumentException("no period value for feature kind " + f.kind());
    };
  }

  /** A feature's groups in name order: a group's rank is its position here. */
  private static List<String> groupNames(Feature f) {
    return IndicatorCatalogue.resolveCodes(f).values().stream().distinct().sorted().toList();
  }

  /**
   * Rows of an event dataset placed in every period whose window may hold them by any of the given date
   * columns ({@code months}: the widest window per date column); each date column is also available as
   * {@code _d_<column>} (a date).
   */
  Dataset<Row> dated(String dataset, Map<String, Integer> monthsByDate) {
    Dataset<Row> ds = dataset(dataset);
    if (!dataset.equals("patients")) {
      // joined by the fixed-width patient key: the register side then shuffles two numbers, not the identifier
      Dataset<Row> dim = PatientKey.add(model.patients(), "_pp").select(col("_pp1"), col("_pp2"), col("birth_date"),
          col("sex"), col("ethnicity_group"), col("imd_quintile"), col("imd_decile"), col("practice_code"),
          col("pcn_code"), col("icp_code"), col("ics_code"), col("lsoa_code"));
      ds = PatientKey.add(ds, "_dk").join(dim, PatientKey.same("_dk", "_pp"), "left")
          .drop(PatientKey.names("_dk")).drop(PatientKey.names("_pp"));
    }
    LocalDate e0 = periods.end(0);
    int idx0 = e0.getYear() * 12 + e0.getMonthValue();
    int last = Periods.COUNT - 1;
    List<Column> cols = new ArrayList<>();
    cols.add(col("*"));
    List<String> seqs = new ArrayList<>();
    String firstDate = null;
    for (Map.Entry<String, Integer> e : monthsByDate.entrySet()) {
      String d = "_d_" + e.getKey();
      cols.add(expr("to_date(" + e.getKey() + ")").as(d));
      String idx = "(" + idx0 + " - (year(" + d + ") * 12 + month(" + d + ")))";
      int w = e.getValue();
      seqs.add("CASE WHEN " + idx + " >= 0 AND " + idx + " - " + w + " + 1 <= " + last + " THEN sequence(greatest(0, "
          + idx + " - " + w + " + 1), least(" + last + ", " + idx + ")) ELSE array() END");
      firstDate = firstDate == null ? d : firstDate;
    }
    String ks = seqs.size() == 1 ? seqs.get(0) : "array_distinct(concat(" + String.join(", ", seqs) + "))";
    return ds.select(cols.toArray(Column[]::new))
        .withColumn("_k", explode(expr(ks)))
        .withColumn("period_end", expr("element_at(" + ends() + ", _k + 1)"))
        // age at the row's (first) date; parts dated by another column use the same age
        .withColumn("age", expr(ageSql(firstDate)));
  }

  // --------------------------------------------------------------------------- features

  /**
   * One row per patient with coded events: the patient key ({@code _fp1}, {@code _fp2}, {@link PatientKey}), per
   * {@code ever} feature its first event date ({@code _f_<name>}), and {@code _periods}, the patient's 13 period rows
   * with every other feature's value at that period end ({@link #periodRows}).
   *
   * <p>After one shuffle of the coded events by patient: a hash aggregation to one row per patient, feature, group
   * and day (the day's highest value settles a latest value's same-day ties), then a hash aggregation per patient
   * and feature that evaluates all 13 periods at once with fixed-width buffers ({@code max_by} over the rows in each
   * period's window, ordered by date and then group rank, so a latest group's same-day tie goes to the group named
   * last; a bit per group for distinct groups), then one sort aggregation of those few rows per patient. No event
   * list is built or sorted and no lambda runs per patient and period (twelfth and thirteenth sessions,
   * docs/performance.md); each aggregation keeps well under Spark's 100-field limit for generated code, which one
   * aggregation of every feature at every period exceeded.
   */
  private Dataset<Row> featureColumns(List<Feature> coded) {
    // code -> (feature index, group rank, keep-from date): numbers and dates, so no string is compared per event
    List<Row> codeRows = new ArrayList<>();
    int maxGroups = 1;
    int chunks = 0;
    List<Integer> values = new ArrayList<>();
    List<Integer> groups = new ArrayList<>();
    List<Integer> distinct = new ArrayList<>();
    Map<FeatureWindow, List<Integer>> byWindow = new LinkedHashMap<>();
    for (int i = 0; i < coded.size(); i++) {
      Feature f = coded.get(i);
      Map<String, String> codes = IndicatorCatalogue.resolveCodes(f);
      boolean ranked = f.kind().equals("latest_group") || f.kind().equals("distinct_groups");
      List<String> names = groupNames(f);
      int months = f.lookbackMonths() == null ? 0 : f.lookbackMonths();
      LocalDate from = null; // events before it cannot matter at any period end
      FeatureWindow window = null;
      switch (f.kind()) {
        case "ever" -> { }
        case "distinct_groups" -> {
          distinct.add(i);
          chunks = Math.max(chunks, BitSets.chunks(names.size()));
          window = new FeatureWindow(null, 0);
        }
        case "latest_value", "latest_group" -> {
          (f.kind().equals("latest_value") ? values : groups).add(i);
          maxGroups = Math.max(maxGroups, names.size());
          from = months == 0 ? null : periods.end(Periods.COUNT - 1).minusMonths(months).plusDays(1);
          window = new FeatureWindow(null, months);
        }
        case "in_window" -> {
          from = earliestStart(f.period());
          window = new FeatureWindow(f.period(), 0);
        }
        default -> throw new IllegalArgumentException("unknown feature kind " + f.kind());
      }
      if (window != null) {
        byWindow.computeIfAbsent(window, x -> new ArrayList<>()).add(i);
      }
      for (Map.Entry<String, String> e : codes.entrySet()) {
        codeRows.add(RowFactory.create(e.getKey(), i, ranked ? names.indexOf(e.getValue()) : 0,
            from == null ? null : java.sql.Date.valueOf(from)));
      }
    }
    StructType schema = new StructType().add("_code", DataTypes.StringType).add("_fi", DataTypes.IntegerType)
        .add("_r", DataTypes.IntegerType).add("_from", DataTypes.DateType);
    Dataset<Row> codes = spark.createDataFrame(codeRows, schema);
    Dataset<Row> ev = PatientKey.add(model.events(), "_ek").select(col("_ek1"), col("_ek2"), col("event_date"),
            col("code"), col("value").cast(DataTypes.DoubleType).as("value"))
        .filter(col("event_date").leq(lit(java.sql.Date.valueOf(periods.end(0)))));
    Dataset<Row> daily = ev.join(broadcast(codes), ev.col("code").equalTo(codes.col("_code")))
        .filter(col("_from").isNull().or(col("event_date").geq(col("_from"))))
        // one shuffle by patient serves the three aggregations below; its partitions are the run's, sized from the
        // input: Spark would otherwise merge them by compressed shuffle size, and a few large tasks' hash maps
        // overflow and fall back to sorting (6.7 GB spilled at 1.09M patients with 4 merged partitions)
        .repartition(Integer.parseInt(spark.conf().get("spark.sql.shuffle.partitions")), col("_ek1"))
        .groupBy(col("_ek1"), col("_ek2"), col("_fi"), col("_r"), col("event_date").as("d"))
        .agg(max(col("value")).as("v"));

    Column fi = col("_fi");
    Column isDistinct = in(fi, distinct);
    Column val = when(in(fi, values), col("v")).when(in(fi, groups), col("_r").cast("double")).otherwise(lit(1.0));
    // latest first, then the group named last
    Column ord = unix_date(col("d")).cast("long").multiply(maxGroups).plus(col("_r"));
    List<Column> aggs = new ArrayList<>();
    aggs.add(min(col("d")).as("first"));
    for (int k = 0; k < Periods.COUNT; k++) {
      Column inWindow = lit(false);
      for (Map.Entry<FeatureWindow, List<Integer>> w : byWindow.entrySet()) {
        inWindow = when(in(fi, w.getValue()), w.getKey().holds(col("d"), periods, k)).otherwise(inWindow);
      }
      aggs.add(max_by(val, when(inWindow.and(not(isDistinct)), ord)).as("_a" + k));
      for (int c = 0; c < chunks; c++) {
        aggs.add(bit_or(when(inWindow.and(isDistinct), BitSets.bit(col("_r"), c))).as("_b" + k + "_" + c));
      }
    }
    Dataset<Row> perFeature = daily.groupBy(col("_ek1"), col("_ek2"), fi)
        .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new));
    List<Column> byPeriod = new ArrayList<>();
    for (int k = 0; k < Periods.COUNT; k++) {
      Column n = lit(0);
      for (int c = 0; c < chunks; c++) {
        n = n.plus(coalesce(bit_count(col("_b" + k + "_" + c)), lit(0)));
      }
      byPeriod.add(when(isDistinct, n.cast("double")).otherwise(col("_a" + k)));
    }
    perFeature = perFeature.select(col("_ek1"), col("_ek2"), fi, col("first"),
        array(byPeriod.toArray(Column[]::new)).as("x"));

    List<Column> perPatient = new ArrayList<>();
    for (int i = 0; i < coded.size(); i++) {
      Column mine = fi.equalTo(lit(i));
      perPatient.add((coded.get(i).kind().equals("ever") ? min(when(mine, col("first"))) : max(when(mine, col("x"))))
          .as("_f_" + coded.get(i).name()));
    }
    Dataset<Row> byPatient = perFeature.groupBy(col("_ek1").as("_fp1"), col("_ek2").as("_fp2"))
        .agg(perPatient.get(0), perPatient.subList(1, perPatient.size()).toArray(Column[]::new));
    List<Column> out = new ArrayList<>();
    out.add(col("_fp1"));
    out.add(col("_fp2"));
    Map<Feature, Column> arrays = new LinkedHashMap<>();
    for (Feature f : coded) {
      if (f.kind().equals("ever")) {
        out.add(col("_f_" + f.name()));
      } else {
        arrays.put(f, col("_f_" + f.name()));
      }
    }
    out.add(periodRows(arrays).as("_periods"));
    return byPatient.select(out.toArray(Column[]::new));
  }

  /**
   * The 13 period rows of a patient as one array of structs ({@code _k}, {@code period_end}, then {@code _f_<name>}
   * per non-{@code ever} feature: its typed value at that period end), built once per patient from the features'
   * 13-value arrays (null: no such events), so exploding it copies no other period's values into a row and each
   * row reads its values without an index lookup.
   */
  private Column periodRows(Map<Feature, Column> arrays) {
    List<Column> zipped = new ArrayList<>();
    zipped.add(expr("sequence(0, " + (Periods.COUNT - 1) + ")").as("_k"));
    zipped.add(expr(ends()).as("period_end"));
    for (Map.Entry<Feature, Column> e : arrays.entrySet()) {
      Feature f = e.getKey();
      Column x = e.getValue();
      Column typed = f.kind().equals("latest_group") ? groupNamesByPeriod(f, x) : x.cast("array<" + valueType(f) + ">");
      // arrays_zip is null when any input is
      zipped.add(coalesce(typed, expr("array_repeat(CAST(NULL AS " + valueType(f) + "), " + Periods.COUNT + ")"))
          .as("_f_" + f.name()));
    }
    return arrays_zip(zipped.toArray(Column[]::new));
  }

  /** A latest group's names at the 13 period ends from its ranks: once per patient, rather than in every period row. */
  private static Column groupNamesByPeriod(Feature f, Column ranks) {
    Column names = array(groupNames(f).stream().map(org.apache.spark.sql.functions::lit).toArray(Column[]::new));
    List<Column> byK = new ArrayList<>();
    for (int k = 0; k < Periods.COUNT; k++) {
      byK.add(element_at(names, element_at(ranks, k + 1).cast("int").plus(1)));
    }
    return array(byK.toArray(Column[]::new));
  }

  /**
   * {@link #periodRows} of a patient without coded events, as literals: Spark does not fold {@code arrays_zip} of
   * constants, and evaluating it in the counting stage's generated code would push that code over the size the JIT
   * compiles (docs/performance.md, thirteenth session).
   */
  private Column noEvents(List<Feature> coded) {
    List<String> rows = new ArrayList<>();
    for (int k = 0; k < Periods.COUNT; k++) {
      StringBuilder r = new StringBuilder("named_struct('_k', " + k + ", 'period_end', DATE'" + periods.end(k) + "'");
      for (Feature f : coded) {
        if (!f.kind().equals("ever")) {
          r.append(", '_f_").append(f.name()).append("', CAST(NULL AS ").append(valueType(f)).append(")");
        }
      }
      rows.add(r.append(")").toString());
    }
    return expr("array(" + String.join(", ", rows) + ")");
  }

  /**
   * The dates a feature reads at a period end: the window of period type {@code period} when given, else the
   * {@code lookbackMonths} before the end (0 = every date up to it).
   */
  private record FeatureWindow(String period, int lookbackMonths) {
    /** Whether date {@code d} is in this window at period k. */
    Column holds(Column d, Periods periods, int k) {
      if (period != null) {
        return d.between(lit(java.sql.Date.valueOf(periods.start(period, k))),
            lit(java.sql.Date.valueOf(periods.windowEnd(period, k))));
      }
      Column upTo = d.leq(lit(java.sql.Date.valueOf(periods.end(k))));
      return lookbackMonths == 0 ? upTo
          : upTo.and(d.gt(lit(java.sql.Date.valueOf(periods.end(k).minusMonths(lookbackMonths)))));
    }
  }

  private static Column in(Column c, List<Integer> values) {
    return values.isEmpty() ? lit(false) : c.isin(values.toArray());
  }

  private LocalDate earliestStart(String type) {
    LocalDate min = periods.start(type, 0);
    for (int k = 1; k < Periods.COUNT; k++) {
      LocalDate s = periods.start(type, k);
      if (s.isBefore(min)) {
        min = s;
      }
    }
    return min;
  }

  /** Age in whole years at date {@code at} (completed birthdays, as in linkage). */
  static String ageSql(String at) {
    return "CAST(year(" + at + ") - year(birth_date) - CASE WHEN month(" + at + ") < month(birth_date) OR (month(" + at
        + ") = month(birth_date) AND day(" + at + ") < day(birth_date)) THEN 1 ELSE 0 END AS INT)";
  }

  static String firstLine(Throwable e) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage();
    return m.lines().findFirst().orElse(m);
  }
}
