package org.phm.risk;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.bit_count;
import static org.apache.spark.sql.functions.bit_or;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.dayofmonth;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.month;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.unix_date;
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
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.phm.codelists.CodeLists;
import org.phm.linkage.LinkedModel;
import org.phm.spark.BitSets;

/**
 * Patient features as of a date: one row per patient registered and alive on that date, with
 * demographics, deprivation, long-term condition flags, multimorbidity, the electronic frailty index,
 * prior 12-month hospital use and latest primary care observations. Every feature uses only data
 * recorded on or before the as-of date, so features at T−12 months can train a model predicting
 * (T−12 months, T].
 *
 * <p>Built with Spark built-ins only: the code lists are one small broadcast table joined to the events, and every
 * GP-event feature comes from a single aggregation per patient (one pass over the events).
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
    return build(model, List.of(asOf), config).get(0);
  }

  /**
   * Features as of each of several dates (the nightly needs T−12 months for training and T for scoring), with one
   * pass over the GP events for all of them: element i equals {@code build(model, asOfs.get(i), config)}. With more
   * than one date the shared per-patient event aggregate is materialised once (local checkpoint).
   */
  public static List<Dataset<Row>> build(LinkedModel model, List<LocalDate> asOfs, RiskConfig config) {
    RiskConfig.FeatureSettings fs = config.features();
    CodeLists codes = CodeLists.load();
    SparkSession spark = model.patients().sparkSession();
    LocalDate last = asOfs.stream().max(LocalDate::compareTo).orElseThrow();
    Dataset<Row> events = model.events().filter(col("event_date").leq(lit(Date.valueOf(last))));
    Dataset<Row> gpAll = eventFeatures(spark, events, asOfs, codes, fs, config);
    if (asOfs.size() > 1) {
      gpAll = gpAll.localCheckpoint();
    }
    List<Dataset<Row>> out = new ArrayList<>();
    for (int i = 0; i < asOfs.size(); i++) {
      String suffix = dateSuffix(i);
      List<Column> gp = new ArrayList<>();
      gp.add(col("patient_id"));
      for (String c : gpAll.columns()) {
        if (c.endsWith(suffix)) {
          gp.add(col(c).as(c.substring(0, c.length() - suffix.length())));
        }
      }
      out.add(atDate(model, asOfs.get(i), gpAll.select(gp.toArray(Column[]::new)), codes, config));
    }
    return List.copyOf(out);
  }

  private static String dateSuffix(int i) {
    return "__asof" + i;
  }

  /** The population at {@code asOf} with its GP-event features ({@code gp}) and hospital use. */
  private static Dataset<Row> atDate(LinkedModel model, LocalDate asOf, Dataset<Row> gp, CodeLists codes,
      RiskConfig config) {
    RiskConfig.FeatureSettings fs = config.features();
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

    // Prior 12-month hospital use, (asOf - 12 months, asOf]: the A&E, spell and outpatient rows in that window as one
    // union aggregated per patient once, so the population meets them in one join rather than three (a measure is
    // null, then zero-filled, for a patient without rows of its source)
    Column inWindow = col("_d").gt(windowStart).and(col("_d").leq(asOfDate));
    Dataset<Row> spells = model.spells().select(col("patient_id"), col("admission_date").as("_d"),
        lit("ip").as("_src"), col("is_emergency").as("_em"), col("discharge_date").as("_dis"));
    Dataset<Row> ae = model.ae().select(col("patient_id"), to_date(col("arrival_time")).as("_d"), lit("ae").as("_src"));
    Dataset<Row> op = model.outpatients().filter(col("outcome").equalTo("ATTENDED"))
        .select(col("patient_id"), col("appointment_date").as("_d"), lit("op").as("_src"));
    Column ip = col("_src").equalTo("ip");
    // A&E and outpatient rows have no emergency flag or discharge date: the union fills them with nulls
    Dataset<Row> hospital = spells.unionByName(ae, true).unionByName(op, true).filter(inWindow)
        .groupBy("patient_id").agg(
            count(when(col("_src").equalTo("ae"), 1)).as("ae_attendances_12m"),
            sum(when(ip, when(col("_em"), 1).otherwise(0))).as("emergency_admissions_12m"),
            sum(when(ip, datediff(least(coalesce(col("_dis"), asOfDate), asOfDate), col("_d"))))
                .as("bed_days_12m"),
            count(when(col("_src").equalTo("op"), 1)).as("outpatient_attendances_12m"));

    Dataset<Row> f = population.join(gp, new String[] {"patient_id"}, "left")
        .join(hospital, new String[] {"patient_id"}, "left");

    // condition flags from their bits (0 without any coded event); ltc_count = the QOF conditions' bits set
    Map<String, Column> conditions = new java.util.LinkedHashMap<>();
    List<String> conditionIds = codes.conditionIds();
    List<String> qof = codes.qofConditionIds();
    long[] qofMask = new long[BitSets.chunks(conditionIds.size())];
    for (int k = 0; k < conditionIds.size(); k++) {
      Column bit = functions.shiftright(conditionBits(k / BitSets.BITS), k % BitSets.BITS).bitwiseAND(1L);
      conditions.put(CodeLists.conditionColumn(conditionIds.get(k)), bit.cast("int"));
      if (qof.contains(conditionIds.get(k))) {
        qofMask[k / BitSets.BITS] |= 1L << (k % BitSets.BITS);
      }
    }
    Column ltc = lit(0);
    for (int chunk = 0; chunk < qofMask.length; chunk++) {
      ltc = ltc.plus(bit_count(conditionBits(chunk).bitwiseAND(lit(qofMask[chunk]))));
    }
    f = f.withColumns(conditions);
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

  /**
   * Every GP-event feature, for each as-of date, in one pass over the events: each event meets its code-list roles
   * through one broadcast table (kind C condition, D eFI deficit, O observation, S smoking status, F flu vaccine; a
   * code may have several roles, and all aggregates here are unaffected by the duplicated rows; {@code _from<i>} is a
   * role's date-dependent lower bound at date i), then one aggregation per patient. Column names end with
   * {@link #dateSuffix}(i); the condition flags come out as bits ({@link BitSets}), expanded after the joins.
   */
  private static Dataset<Row> eventFeatures(SparkSession spark, Dataset<Row> events, List<LocalDate> asOfs,
      CodeLists codes, RiskConfig.FeatureSettings fs, RiskConfig config) {
    int n = asOfs.size();
    List<Row> roles = new ArrayList<>();
    // a condition's flag is the bit (BitSets) of its id's index among the condition ids
    List<String> conditionIds = codes.conditionIds();
    for (CodeLists.ConditionCode c : codes.conditions()) {
      Integer lb = fs.conditionLookbackMonths().get(c.conditionId());
      roles.add(role(c.code(), "C", c.conditionId(), conditionIds.indexOf(c.conditionId()), asOfs,
          d -> lb == null ? null : d.minusMonths(lb), null, null, null));
    }
    // smoking statuses by rank in their sorted order: (date, rank) orders events as (date, status) does
    List<String> statuses = fs.smokingStatus().values().stream().distinct().sorted().toList();
    boolean bitDeficits = true;
    for (CodeLists.DeficitCode d : codes.deficits()) {
      if (d.deficitId() != config.efi().polypharmacyDeficitId()) {
        roles.add(role(d.code(), "D", null, d.deficitId(), asOfs, x -> null, null, null, null));
        bitDeficits &= d.deficitId() >= 0 && d.deficitId() < BitSets.BITS;
      }
    }
    for (RiskConfig.LatestValue lv : fs.latestValues()) {
      for (CodeLists.ObservationCode o : codes.observations()) {
        if (o.observationId().equals(lv.observationId())) {
          roles.add(role(o.code(), "O", lv.column(), null, asOfs, d -> d.minusMonths(lv.lookbackMonths()),
              o.valueMin(), o.valueMax(), null));
        }
      }
    }
    for (Map.Entry<String, String> e : fs.smokingStatus().entrySet()) {
      for (String code : codes.observationCodes(e.getKey())) {
        roles.add(role(code, "S", null, null, asOfs, x -> null, null, null, statuses.indexOf(e.getValue())));
      }
    }
    for (String code : codes.observationCodes(fs.fluObservationId())) {
      roles.add(role(code, "F", null, null, asOfs, d -> fluSeasonStart(fs, d), null, null, null));
    }
    StructType roleSchema = new StructType()
        .add("_code", DataTypes.StringType).add("_kind", DataTypes.StringType).add("_id", DataTypes.StringType)
        .add("_number", DataTypes.IntegerType).add("_vmin", DataTypes.DoubleType).add("_vmax", DataTypes.DoubleType)
        .add("_srank", DataTypes.IntegerType);
    for (int i = 0; i < n; i++) {
      roleSchema = roleSchema.add("_from" + i, DataTypes.DateType);
    }
    Dataset<Row> roleTable = spark.createDataFrame(roles, roleSchema);
    Dataset<Row> ev = events.select(col("patient_id"), col("event_date"), col("event_type"), col("code"),
        col("value").cast("double").as("value"));
    ev = ev.join(broadcast(roleTable), ev.col("code").equalTo(roleTable.col("_code")), "left");

    Column kind = col("_kind");
    int conditionChunks = BitSets.chunks(conditionIds.size());
    List<Column> aggs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String sfx = dateSuffix(i);
      Column upTo = n == 1 ? lit(true) : col("event_date").leq(lit(Date.valueOf(asOfs.get(i))));
      Column from = col("_from" + i);
      Column condition = upTo.and(kind.equalTo("C")).and(from.isNull().or(col("event_date").gt(from)));
      for (int chunk = 0; chunk < conditionChunks; chunk++) {
        aggs.add(bit_or(when(condition, BitSets.bit(col("_number"), chunk))).as(conditionBitsColumn(chunk) + sfx));
      }
      Column deficit = when(upTo.and(kind.equalTo("D")), col("_number"));
      aggs.add(bitDeficits
          ? bit_count(bit_or(BitSets.bit(deficit, 0))).cast("long").as("coded_deficits" + sfx)
          : countDistinct(deficit).as("coded_deficits" + sfx));
      for (RiskConfig.LatestValue lv : fs.latestValues()) {
        Column ok = upTo.and(kind.equalTo("O")).and(col("_id").equalTo(lv.column())).and(col("value").isNotNull())
            .and(col("event_date").gt(from))
            .and(col("value").geq(col("_vmin"))).and(col("value").leq(col("_vmax")));
        aggs.add(max_by(col("value"), when(ok, latestValueOrder())).as(lv.column() + sfx));
      }
      aggs.add(max(when(upTo.and(kind.equalTo("S")),
              unix_date(col("event_date")).cast("long").multiply(statuses.size()).plus(col("_srank"))))
          .as("smoking_status" + sfx));
      aggs.add(max(when(upTo.and(kind.equalTo("F")).and(col("event_date").geq(from)), lit(1)))
          .as("flu_vaccinated" + sfx));
      aggs.add(max(when(upTo.and(col("event_type").isin(fs.gpContactEventTypes().toArray())), col("event_date")))
          .as("last_gp_contact_date" + sfx));
    }
    Dataset<Row> perPatient = ev.groupBy(col("patient_id"))
        .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new));
    Column statusNames = array(statuses.stream().map(functions::lit).toArray(Column[]::new));
    Map<String, Column> statusOfRank = new java.util.LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      String c = "smoking_status" + dateSuffix(i);
      statusOfRank.put(c, element_at(statusNames, pmod(col(c), lit((long) statuses.size())).cast("int").plus(1)));
    }
    return perPatient.withColumns(statusOfRank);
  }

  /**
   * The column of condition-flag chunk {@code chunk} ({@link BitSets}): one {@code bit_or} per 63 conditions and date
   * instead of one aggregate per condition and date (44 for the default 22 conditions), carried through the joins
   * with the population as one column: the wide per-patient aggregation and join took seconds of JIT compilation each
   * (one join stage exceeded the JIT's node limit and ran unoptimised), and every event was tested against every
   * condition.
   */
  private static String conditionBitsColumn(int chunk) {
    return "_cbits" + chunk;
  }

  /** A chunk of condition bits of a patient, 0 when the patient has no condition event. */
  private static Column conditionBits(int chunk) {
    return coalesce(col(conditionBitsColumn(chunk)), lit(0L));
  }

  /**
   * Orders an observation event by date, then by value, as one long: {@code unix_date(event_date) · 2⁴⁰ + q}, where
   * q (0 … 2⁴⁰ − 1) places the value within its code's plausible range [{@code _vmin}, {@code _vmax}]. A fixed-width
   * ordering lets Spark aggregate in a hash map instead of sorting every GP event by patient. Values of one date
   * closer than (max − min) / 2⁴⁰ (2.4 × 10⁻¹⁰ for systolic blood pressure) count as equal: on such a tie either is
   * the latest; values recorded with up to nine decimal places never tie.
   */
  private static Column latestValueOrder() {
    double top = (double) ((1L << 40) - 1);
    Column scale = when(col("_vmax").gt(col("_vmin")), lit(top).divide(col("_vmax").minus(col("_vmin"))))
        .otherwise(lit(0d));
    Column q = least(floor(col("value").minus(col("_vmin")).multiply(scale)), lit((1L << 40) - 1));
    return unix_date(col("event_date")).cast("long").multiply(1L << 40).plus(q);
  }

  /**
   * A code-list role row: the date-independent fields, then its lower bound at each as-of date. {@code number} is the
   * deficit id of a deficit (kind D) and the index of a condition's id (kind C).
   */
  private static Row role(String code, String kind, String id, Integer number, List<LocalDate> asOfs,
      java.util.function.Function<LocalDate, LocalDate> from, Double vmin, Double vmax, Integer statusRank) {
    List<Object> v = new ArrayList<>(java.util.Arrays.asList(code, kind, id, number, vmin, vmax, statusRank));
    for (LocalDate d : asOfs) {
      LocalDate f = from.apply(d);
      v.add(f == null ? null : Date.valueOf(f));
    }
    return RowFactory.create(v.toArray());
  }

  /** Start of the flu season that holds {@code asOf}. */
  private static LocalDate fluSeasonStart(RiskConfig.FeatureSettings fs, LocalDate asOf) {
    LocalDate season = fs.fluSeasonStart().atYear(asOf.getYear());
    return season.isAfter(asOf) ? season.minusYears(1) : season;
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
  public static StructType schema(RiskConfig.FeatureSettings fs, CodeLists codes) {
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
      add(f, CodeLists.conditionColumn(id), DataTypes.IntegerType);
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
