package org.phm.risk;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.dayofmonth;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.month;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.year;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.phm.linkage.LinkedModel;

/**
 * Patient features as of a date: one row per patient registered and alive on that date, with
 * demographics, deprivation, long-term condition flags, multimorbidity, the electronic frailty index,
 * prior 12-month hospital use and latest primary care observations. Every feature uses only data
 * recorded on or before the as-of date, so features at T−12 months can train a model predicting
 * (T−12 months, T].
 *
 * <p>Built with Spark built-ins only: code lists are small broadcast tables joined to events;
 * per-condition flags come from a pivot.
 */
public final class PatientFeatures {
  /** Window of the prior-utilisation counts: (asOf − 12 months, asOf]. */
  public static final int UTILISATION_MONTHS = 12;

  private PatientFeatures() {}

  /** Features with the default settings. */
  public static Dataset<Row> build(LinkedModel model, LocalDate asOf) {
    return build(model, asOf, RiskConfig.defaults());
  }

  /** Features as of {@code asOf}; columns and types are exactly {@link #schema}. */
  public static Dataset<Row> build(LinkedModel model, LocalDate asOf, RiskConfig config) {
    RiskConfig.FeatureSettings fs = config.features();
    RiskCodeLists codes = RiskCodeLists.load();
    SparkSession spark = model.patients().sparkSession();
    Column asOfDate = lit(Date.valueOf(asOf));
    Column windowStart = lit(Date.valueOf(asOf.minusMonths(UTILISATION_MONTHS)));

    Dataset<Row> p = model.patients();
    Dataset<Row> population = p
        .filter(col("registration_start").leq(asOfDate)
            .and(col("registration_end").isNull().or(col("registration_end").gt(asOfDate)))
            .and(col("death_date").isNull().or(col("death_date").gt(asOfDate)))
            .and(col("birth_date").leq(asOfDate)))
        .select(
            col("patient_id"), col("practice_code"), col("pcn_code"), col("icp_code"), col("ics_code"),
            coalesce(col("opted_out"), lit(false)).as("opted_out"),
            col("sex"),
            coalesce(col("ethnicity_group"), lit("Unknown")).as("ethnicity_group"),
            ageAt(asOf, col("birth_date")).as("age"),
            col("imd_decile").cast("int").as("imd_decile"),
            col("imd_quintile").cast("int").as("imd_quintile"));

    Dataset<Row> events = model.events().filter(col("event_date").leq(asOfDate));

    // Condition flags: code -> condition (broadcast), optional per-condition lookback, pivot to columns.
    List<String> conditionIds = codes.conditionIds();
    List<Row> condRows = new ArrayList<>();
    for (RiskCodeLists.ConditionCode c : codes.conditions()) {
      Integer lb = fs.conditionLookbackMonths().get(c.conditionId());
      condRows.add(RowFactory.create(c.code(), c.conditionId(), lb == null ? null : Date.valueOf(asOf.minusMonths(lb))));
    }
    Dataset<Row> condCodes = spark.createDataFrame(condRows, new StructType()
        .add("code", DataTypes.StringType).add("condition_id", DataTypes.StringType)
        .add("window_start", DataTypes.DateType));
    Dataset<Row> conditions = events.join(broadcast(condCodes), "code")
        .filter(col("window_start").isNull().or(col("event_date").gt(col("window_start"))))
        .groupBy("patient_id")
        .pivot("condition_id", new ArrayList<>(conditionIds))
        .agg(max(lit(1)));
    Map<String, String> condNames = new java.util.LinkedHashMap<>();
    conditionIds.forEach(id -> condNames.put(id, RiskCodeLists.conditionColumn(id)));
    conditions = conditions.withColumnsRenamed(condNames);

    // eFI recorded deficits (the polypharmacy deficit is derived below, not matched on a code).
    List<Row> defRows = new ArrayList<>();
    for (RiskCodeLists.DeficitCode d : codes.deficits()) {
      if (d.deficitId() != config.efi().polypharmacyDeficitId()) {
        defRows.add(RowFactory.create(d.code(), d.deficitId()));
      }
    }
    Dataset<Row> defCodes = spark.createDataFrame(defRows, new StructType()
        .add("code", DataTypes.StringType).add("deficit_id", DataTypes.IntegerType));
    Dataset<Row> deficits = events.join(broadcast(defCodes), "code")
        .groupBy("patient_id").agg(countDistinct(col("deficit_id")).as("coded_deficits"));

    // Latest plausible numeric observation within each configured lookback.
    List<Row> obsRows = new ArrayList<>();
    List<String> obsIds = new ArrayList<>();
    for (RiskConfig.LatestValue lv : fs.latestValues()) {
      obsIds.add(lv.observationId());
      for (RiskCodeLists.ObservationCode o : codes.observations()) {
        if (o.observationId().equals(lv.observationId())) {
          obsRows.add(RowFactory.create(o.code(), o.observationId(), o.valueMin(), o.valueMax(),
              Date.valueOf(asOf.minusMonths(lv.lookbackMonths()))));
        }
      }
    }
    Dataset<Row> obsCodes = spark.createDataFrame(obsRows, new StructType()
        .add("code", DataTypes.StringType).add("observation_id", DataTypes.StringType)
        .add("value_min", DataTypes.DoubleType).add("value_max", DataTypes.DoubleType)
        .add("window_start", DataTypes.DateType));
    Dataset<Row> latest = events.join(broadcast(obsCodes), "code")
        .filter(col("value").isNotNull()
            .and(col("event_date").gt(col("window_start")))
            .and(col("value_min").isNull().or(col("value").geq(col("value_min"))))
            .and(col("value_max").isNull().or(col("value").leq(col("value_max")))))
        .groupBy("patient_id", "observation_id")
        .agg(max_by(col("value").cast("double"), struct(col("event_date"), col("value"))).as("v"))
        .groupBy("patient_id")
        .pivot("observation_id", new ArrayList<>(obsIds))
        .agg(first(col("v")));
    Map<String, String> obsNames = new java.util.LinkedHashMap<>();
    fs.latestValues().forEach(lv -> obsNames.put(lv.observationId(), lv.column()));
    latest = latest.withColumnsRenamed(obsNames);

    // Latest smoking status (any time on or before asOf).
    List<Row> smokRows = new ArrayList<>();
    for (Map.Entry<String, String> e : fs.smokingStatus().entrySet()) {
      for (RiskCodeLists.ObservationCode o : codes.observations()) {
        if (o.observationId().equals(e.getKey())) {
          smokRows.add(RowFactory.create(o.code(), e.getValue()));
        }
      }
    }
    Dataset<Row> smokCodes = spark.createDataFrame(smokRows, new StructType()
        .add("code", DataTypes.StringType).add("status", DataTypes.StringType));
    Dataset<Row> smoking = events.join(broadcast(smokCodes), "code")
        .groupBy("patient_id")
        .agg(max_by(col("status"), struct(col("event_date"), col("status"))).as("smoking_status"));

    // Flu vaccination since the start of the current season.
    LocalDate season = fs.fluSeasonStart().atYear(asOf.getYear());
    if (season.isAfter(asOf)) {
      season = season.minusYears(1);
    }
    List<Row> fluRows = new ArrayList<>();
    for (RiskCodeLists.ObservationCode o : codes.observations()) {
      if (o.observationId().equals(fs.fluObservationId())) {
        fluRows.add(RowFactory.create(o.code()));
      }
    }
    Dataset<Row> fluCodes = spark.createDataFrame(fluRows, new StructType().add("code", DataTypes.StringType));
    Dataset<Row> flu = events.filter(col("event_date").geq(lit(Date.valueOf(season))))
        .join(broadcast(fluCodes), "code")
        .groupBy("patient_id").agg(max(lit(1)).as("flu_vaccinated"));

    // Last primary care contact.
    Dataset<Row> contact = events.filter(col("event_type").isin(fs.gpContactEventTypes().toArray()))
        .groupBy("patient_id").agg(max(col("event_date")).as("last_gp_contact_date"));

    // Prior 12-month hospital use: (asOf - 12 months, asOf].
    Dataset<Row> ae = model.ae()
        .withColumn("d", to_date(col("arrival_time")))
        .filter(col("d").gt(windowStart).and(col("d").leq(asOfDate)))
        .groupBy("patient_id").agg(count(lit(1)).as("ae_attendances_12m"));
    Dataset<Row> spells = model.spells()
        .filter(col("admission_date").gt(windowStart).and(col("admission_date").leq(asOfDate)))
        .groupBy("patient_id").agg(
            sum(when(col("is_emergency"), 1).otherwise(0)).as("emergency_admissions_12m"),
            sum(datediff(least(coalesce(col("discharge_date"), asOfDate), asOfDate), col("admission_date")))
                .as("bed_days_12m"));
    Dataset<Row> op = model.outpatients()
        .filter(col("appointment_date").gt(windowStart).and(col("appointment_date").leq(asOfDate))
            .and(col("outcome").equalTo("ATTENDED")))
        .groupBy("patient_id").agg(count(lit(1)).as("outpatient_attendances_12m"));

    Dataset<Row> f = population;
    for (Dataset<Row> part : List.of(conditions, deficits, latest, smoking, flu, contact, ae, spells, op)) {
      f = f.join(part, new String[] {"patient_id"}, "left");
    }

    Column ltc = lit(0);
    for (String id : codes.qofConditionIds()) {
      ltc = ltc.plus(coalesce(col(RiskCodeLists.conditionColumn(id)), lit(0)));
    }
    RiskConfig.EfiSettings efi = config.efi();
    Column poly = when(col(efi.polypharmacyColumn()).geq(efi.polypharmacyMinMedicines()), 1).otherwise(0);
    Column deficitCount = coalesce(col("coded_deficits"), lit(0)).plus(poly);
    Column efiValue = deficitCount.cast("double").divide(lit((double) codes.deficitCount()));
    Map<String, Column> derived = new java.util.LinkedHashMap<>();
    derived.put("ltc_count", ltc);
    derived.put("polypharmacy", poly);
    derived.put("efi_deficits", deficitCount);
    derived.put("efi", efiValue);
    derived.put("efi_category", efiCategory(efiValue, efi));
    derived.put("age_band", ageBand(col("age"), config));
    derived.put("days_since_gp_contact", datediff(asOfDate, col("last_gp_contact_date")));
    f = f.withColumns(derived);

    List<Column> out = new ArrayList<>();
    for (StructField sf : schema(fs, codes).fields()) {
      Column c = col(sf.name());
      if (isZeroFilled(sf.name(), fs)) {
        c = coalesce(c, lit(0));
      }
      out.add(c.cast(sf.dataType()).as(sf.name()));
    }
    return f.select(out.toArray(Column[]::new));
  }

  private static boolean isZeroFilled(String column, RiskConfig.FeatureSettings fs) {
    return column.startsWith("cond_") || column.endsWith("_12m") || column.equals("flu_vaccinated");
  }

  /** Whole years from {@code birth} to {@code asOf} (birthday not yet reached this year → one less). */
  static Column ageAt(LocalDate asOf, Column birth) {
    int md = asOf.getMonthValue() * 100 + asOf.getDayOfMonth();
    return lit(asOf.getYear()).minus(year(birth))
        .minus(when(month(birth).multiply(100).plus(dayofmonth(birth)).gt(md), 1).otherwise(0))
        .cast("int");
  }

  /** eFI category: fit ≤ mild_above < mild ≤ moderate_above < moderate ≤ severe_above < severe. */
  public static Column efiCategory(Column efi, RiskConfig.EfiSettings s) {
    return when(efi.gt(s.severeAbove()), "severe")
        .when(efi.gt(s.moderateAbove()), "moderate")
        .when(efi.gt(s.mildAbove()), "mild")
        .otherwise("fit");
  }

  /** Age band label from the configured lower bounds. */
  public static Column ageBand(Column age, RiskConfig config) {
    List<Integer> b = config.ageBands();
    List<String> labels = config.ageBandLabels();
    Column out = null;
    for (int i = b.size() - 1; i >= 0; i--) {
      out = out == null ? when(age.geq(b.get(i)), labels.get(i)) : out.when(age.geq(b.get(i)), labels.get(i));
    }
    return out;
  }

  /** The feature columns, in order, with their types (condition flags follow codelists/conditions.csv). */
  public static StructType schema(RiskConfig.FeatureSettings fs, RiskCodeLists codes) {
    List<StructField> f = new ArrayList<>();
    add(f, "patient_id", DataTypes.StringType);
    add(f, "practice_code", DataTypes.StringType);
    add(f, "pcn_code", DataTypes.StringType);
    add(f, "icp_code", DataTypes.StringType);
    add(f, "ics_code", DataTypes.StringType);
    add(f, "opted_out", DataTypes.BooleanType);
    add(f, "sex", DataTypes.StringType);
    add(f, "ethnicity_group", DataTypes.StringType);
    add(f, "age", DataTypes.IntegerType);
    add(f, "age_band", DataTypes.StringType);
    add(f, "imd_decile", DataTypes.IntegerType);
    add(f, "imd_quintile", DataTypes.IntegerType);
    for (String id : codes.conditionIds()) {
      add(f, RiskCodeLists.conditionColumn(id), DataTypes.IntegerType);
    }
    add(f, "ltc_count", DataTypes.IntegerType);
    add(f, "ae_attendances_12m", DataTypes.IntegerType);
    add(f, "emergency_admissions_12m", DataTypes.IntegerType);
    add(f, "bed_days_12m", DataTypes.IntegerType);
    add(f, "outpatient_attendances_12m", DataTypes.IntegerType);
    for (RiskConfig.LatestValue lv : fs.latestValues()) {
      add(f, lv.column(), DataTypes.DoubleType);
    }
    add(f, "polypharmacy", DataTypes.IntegerType);
    add(f, "efi_deficits", DataTypes.IntegerType);
    add(f, "efi", DataTypes.DoubleType);
    add(f, "efi_category", DataTypes.StringType);
    add(f, "smoking_status", DataTypes.StringType);
    add(f, "flu_vaccinated", DataTypes.IntegerType);
    add(f, "last_gp_contact_date", DataTypes.DateType);
    add(f, "days_since_gp_contact", DataTypes.IntegerType);
    return new StructType(f.toArray(StructField[]::new));
  }

  private static void add(List<StructField> f, String name, DataType type) {
    f.add(DataTypes.createStructField(name, type, true));
  }
}
