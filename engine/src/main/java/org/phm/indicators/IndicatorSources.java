package org.phm.indicators;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;
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
import org.phm.indicators.IndicatorCatalogue.Feature;
import org.phm.linkage.LinkedModel;

/**
 * Spark transformations that turn a linked-model dataset into rows placed in reporting periods: each row
 * gets {@code _k} (period index, 0 = current), {@code period_end}, {@code age} (at the period end for the
 * registered population, at the row's date otherwise) and the patient attributes used for areas and
 * breakdowns. The registered population also gets the catalogue's patient features, evaluated at each
 * period end from one aggregation of the coded events.
 */
final class IndicatorSources {
  private final SparkSession spark;
  private final LinkedModel model;
  private final Periods periods;
  private final IndicatorCatalogue catalogue;
  private final Dataset<Row> patientRisk;

  IndicatorSources(SparkSession spark, LinkedModel model, Periods periods, IndicatorCatalogue catalogue,
      Dataset<Row> patientRisk) {
    this.spark = spark;
    this.model = model;
    this.periods = periods;
    this.catalogue = catalogue;
    this.patientRisk = patientRisk;
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
    Dataset<Row> p = model.patients();
    boolean features = catalogue.features().stream().anyMatch(f -> !f.kind().equals("expression"));
    if (features) {
      p = p.join(featureArrays(), p.col("patient_id").equalTo(col("_fp")), "left").drop("_fp");
    }
    if (patientRisk != null) {
      if (!List.of(patientRisk.columns()).contains("efi_category")) {
        throw new ConfigException("patient risk table given to IndicatorStage has no efi_category column");
      }
      Dataset<Row> risk = patientRisk.select(col("patient_id").as("_rp"), col("efi_category").cast("string").as("efi_category"));
      p = p.join(risk, p.col("patient_id").equalTo(col("_rp")), "left").drop("_rp");
    } else {
      p = p.withColumn("efi_category", lit(null).cast(DataTypes.StringType));
    }
    // every period, then a plain filter on registration at its end (not a lambda: Spark interprets those per row)
    p = p.withColumn("_k", org.apache.spark.sql.functions.explode(expr("sequence(0, " + (Periods.COUNT - 1) + ")")))
        .withColumn("period_end", expr("element_at(" + ends() + ", _k + 1)"))
        .filter(expr("registration_start <= period_end AND (registration_end IS NULL OR registration_end > period_end)"
            + " AND (death_date IS NULL OR death_date > period_end)"))
        .withColumn("age", expr(ageSql("period_end")));
    // the period bounds the features compare with, as columns: inside a lambda they would be evaluated again
    // for every element, and lambdas are interpreted
    Map<String, String> bounds = new LinkedHashMap<>();
    for (Feature f : catalogue.features()) {
      if (f.kind().equals("in_window")) {
        bounds.put("_fws_" + f.period(), dateArray(k -> periods.start(f.period(), k)));
        bounds.put("_fwe_" + f.period(), dateArray(k -> periods.windowEnd(f.period(), k)));
      } else if (f.kind().startsWith("latest_") && f.lookbackMonths() != null && f.lookbackMonths() > 0) {
        bounds.put("_flb_" + f.lookbackMonths(), dateArray(k -> periods.end(k).minusMonths(f.lookbackMonths())));
      }
    }
    for (Map.Entry<String, String> b : bounds.entrySet()) {
      p = p.withColumn(b.getKey(), expr("element_at(" + b.getValue() + ", _k + 1)"));
    }
    // coded features in one projection; expression features (which may use them) one by one after
    List<Column> coded = new ArrayList<>();
    coded.add(col("*"));
    for (Feature f : catalogue.features()) {
      if (!f.kind().equals("expression")) {
        coded.add(expr(featureSql(f)).as(f.name()));
      }
    }
    p = p.select(coded.toArray(Column[]::new));
    for (Feature f : catalogue.features()) {
      p = p.drop("_f_" + f.name());
    }
    p = p.drop(bounds.keySet().toArray(String[]::new));
    for (Feature f : catalogue.features()) {
      if (f.kind().equals("expression")) {
        try {
          p = p.withColumn(f.name(), expr(featureSql(f)));
        } catch (RuntimeException e) {
          throw new ConfigException(catalogue.source() + ": feature " + f.name() + ": " + firstLine(e), e);
        }
      }
    }
    return p;
  }

  /**
   * Rows of an event dataset placed in every period whose window may hold them by any of the given date
   * columns ({@code months}: the widest window per date column); each date column is also available as
   * {@code _d_<column>} (a date).
   */
  Dataset<Row> dated(String dataset, Map<String, Integer> monthsByDate) {
    Dataset<Row> ds = dataset(dataset);
    if (!dataset.equals("patients")) {
      Dataset<Row> dim = model.patients().select(col("patient_id").as("_pp"), col("birth_date"), col("sex"),
          col("ethnicity_group"), col("imd_quintile"), col("imd_decile"), col("practice_code"), col("pcn_code"),
          col("icp_code"), col("ics_code"), col("lsoa_code"));
      ds = ds.join(dim, ds.col("patient_id").equalTo(col("_pp")), "left").drop("_pp");
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
        .withColumn("_k", org.apache.spark.sql.functions.explode(expr(ks)))
        .withColumn("period_end", expr("element_at(" + ends() + ", _k + 1)"))
        // age at the row's (first) date; parts dated by another column use the same age
        .withColumn("age", expr(ageSql(firstDate)));
  }

  // --------------------------------------------------------------------------- features

  /** One row per patient: {@code _fp} and a column {@code _f_<feature>} per coded feature (first date, first dates per group, or the recent (d, v, g) events). */
  private Dataset<Row> featureArrays() {
    // code -> (feature index, group, whether and from when its events are kept in the recent list): numbers and
    // dates, so the aggregations below compare no strings per event
    List<Row> codeRows = new ArrayList<>();
    List<Feature> coded = catalogue.features().stream().filter(f -> !f.kind().equals("expression")).toList();
    for (int i = 0; i < coded.size(); i++) {
      Feature f = coded.get(i);
      boolean kept = !f.kind().equals("ever") && !f.kind().equals("distinct_groups");
      LocalDate from = switch (f.kind()) {
        case "latest_value", "latest_group" -> f.lookbackMonths() == null || f.lookbackMonths() == 0 ? null
            : periods.end(Periods.COUNT - 1).minusMonths(f.lookbackMonths()).plusDays(1);
        case "in_window" -> earliestStart(f.period());
        default -> null;
      };
      for (Map.Entry<String, String> e : IndicatorCatalogue.resolveCodes(f).entrySet()) {
        codeRows.add(RowFactory.create(e.getKey(), i, e.getValue(), kept, from == null ? null : java.sql.Date.valueOf(from)));
      }
    }
    StructType schema = new StructType().add("_code", DataTypes.StringType).add("_fi", DataTypes.IntegerType)
        .add("_grp", DataTypes.StringType).add("_kept", DataTypes.BooleanType).add("_from", DataTypes.DateType);
    Dataset<Row> codes = spark.createDataFrame(codeRows, schema);
    Dataset<Row> ev = model.events().select(col("patient_id"), col("event_date"), col("code"),
            col("value").cast(DataTypes.DoubleType).as("value"))
        .filter(col("event_date").leq(lit(java.sql.Date.valueOf(periods.end(0)))));
    // the recent-list entry is built in a (generated) projection, not inside the list aggregation
    ev = ev.join(broadcast(codes), ev.col("code").equalTo(codes.col("_code")))
        .select(col("patient_id"), col("_fi"), col("_grp"), col("event_date"),
            when(col("_kept").and(col("_from").isNull().or(col("event_date").geq(col("_from")))),
                struct(col("event_date").as("d"), col("value").as("v"), col("_grp").as("g"))).as("_r"))
        // one shuffle by patient serves both aggregations below (a list aggregation sorts its input; here once)
        .repartition(col("patient_id"));
    Dataset<Row> perGroup = ev.groupBy(col("patient_id"), col("_fi"), col("_grp"))
        .agg(min(col("event_date")).as("first"), collect_list(col("_r")).as("recent"));
    // one column per feature, so evaluating a feature at a period end touches only its own data
    List<Column> perFeature = new ArrayList<>();
    for (int i = 0; i < coded.size(); i++) {
      Feature f = coded.get(i);
      Column mine = col("_fi").equalTo(lit(i));
      switch (f.kind()) {
        case "ever" -> perFeature.add(min(when(mine, col("first"))).as("_f_" + f.name()));
        case "distinct_groups" -> perFeature.add(collect_list(when(mine, col("first"))).as("_f_" + f.name()));
        default -> perFeature.add(org.apache.spark.sql.functions.flatten(collect_list(when(mine, col("recent"))))
            .as("_f_" + f.name()));
      }
    }
    return perGroup.groupBy(col("patient_id").as("_fp"))
        .agg(perFeature.get(0), perFeature.subList(1, perFeature.size()).toArray(Column[]::new));
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

  /** Spark SQL giving a feature's value at the row's period end (from its column {@code _f_<name>}). */
  String featureSql(Feature f) {
    String c = "_f_" + f.name();
    return switch (f.kind()) {
      case "ever" -> "coalesce(" + c + " <= period_end, false)";
      case "distinct_groups" -> "CASE WHEN " + c + " IS NULL THEN 0 ELSE size(filter(" + c + ", d -> d <= period_end)) END";
      case "latest_value", "latest_group" -> {
        int months = f.lookbackMonths() == null ? 0 : f.lookbackMonths();
        String window = "r.d <= period_end" + (months > 0 ? " AND r.d > _flb_" + months : "");
        yield "array_max(filter(" + c + ", r -> " + window + "))." + (f.kind().equals("latest_value") ? "v" : "g");
      }
      case "in_window" -> "coalesce(exists(" + c + ", r -> r.d BETWEEN _fws_" + f.period() + " AND _fwe_" + f.period()
          + "), false)";
      case "expression" -> "(" + f.expr() + ")";
      default -> throw new IllegalArgumentException("unknown feature kind " + f.kind());
    };
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
