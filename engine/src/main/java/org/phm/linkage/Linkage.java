package org.phm.linkage;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.dayofmonth;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.month;
import static org.apache.spark.sql.functions.unix_timestamp;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.year;

import java.time.LocalDate;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.phm.ingest.IngestResult;

/**
 * Links the accepted extracts into the {@link LinkedModel}: practice → PCN → ICP → ICS, LSOA → IMD,
 * derived ages and bands, opt-out flag and the secondary-care derived measures. Column names and order are
 * the contract in docs/ARCHITECTURE.md ("Linked model"). Small dimensions (practices, IMD) are broadcast.
 */
public final class Linkage {
  private Linkage() {}

  /** Links the ingest result as at {@code runDate}. */
  public static LinkedModel link(IngestResult in, LocalDate runDate) {
    Column run = lit(java.sql.Date.valueOf(runDate));
    Dataset<Row> practices = practices(in.accepted("practices"));
    Dataset<Row> imd = imd(in.accepted("imd_lsoa"));
    Dataset<Row> optOut = in.acceptedIfPresent("national_opt_out").orElse(null);
    return new LinkedModel(
        practices,
        listSizes(in.accepted("list_sizes")),
        imd,
        patients(in.accepted("gp_patients"), practices, imd, optOut, run),
        in.accepted("gp_events").select("patient_id", "event_date", "event_type", "code", "value", "unit"),
        ae(in.accepted("ae_attendances")),
        spells(in.accepted("inpatient_spells")),
        in.accepted("outpatient_appointments").select("appointment_id", "patient_id", "provider_code",
            "appointment_date", "specialty_code", "first_attendance", "outcome"),
        waiting(in.accepted("rtt_waiting_list"), "pathway_id", "specialty_code", "clock_start_date"),
        waiting(in.accepted("diagnostic_waiting_list"), "request_id", "test_code", "request_date"),
        in.accepted("cancer_pathways").select("pathway_id", "patient_id", "provider_code", "referral_type",
            "referral_date", "first_seen_date", "cancer_diagnosed", "decision_to_treat_date",
            "first_treatment_date", "treatment_modality"),
        in.accepted("iapt_referrals").select("referral_id", "patient_id", "referral_date", "first_treatment_date",
            "end_date", "treatment_sessions", "caseness_start", "caseness_end"));
  }

  static Dataset<Row> practices(Dataset<Row> p) {
    return p.select("practice_code", "practice_name", "pcn_code", "pcn_name", "ccg_code", "ccg_name", "icp_code",
        "icp_name", "ics_code", "ics_name");
  }

  static Dataset<Row> listSizes(Dataset<Row> l) {
    return l.select(
        col("EXTRACT_DATE").as("extract_date"),
        col("ORG_CODE").as("practice_code"),
        when(col("SEX").equalTo("MALE"), "M").when(col("SEX").equalTo("FEMALE"), "F").as("sex"),
        col("AGE_GROUP_5").as("age_band_5"),
        col("NUMBER_OF_PATIENTS").as("patients"));
  }

  static Dataset<Row> imd(Dataset<Row> i) {
    return i.select(col("lsoa_code"), col("imd_score"), col("imd_decile"),
        imdQuintile(col("imd_decile")).as("imd_quintile"));
  }

  /** IMD quintile from decile: (decile + 1) / 2 in integer arithmetic (1–2 → 1 … 9–10 → 5). */
  public static Column imdQuintile(Column decile) {
    return floor(decile.plus(1).divide(2)).cast(DataTypes.IntegerType);
  }

  /** Whole years from birth to {@code at} (a birthday on 29 February falls on 1 March in other years). */
  public static Column ageInYears(Column birth, Column at) {
    Column beforeBirthday = month(at).lt(month(birth))
        .or(month(at).equalTo(month(birth)).and(dayofmonth(at).lt(dayofmonth(birth))));
    return year(at).minus(year(birth)).minus(when(beforeBirthday, 1).otherwise(0)).cast(DataTypes.IntegerType);
  }

  /** 5-year band label as in list_sizes: {@code 0_4} … {@code 90_94}, {@code 95+}. */
  public static Column ageBand5(Column age) {
    Column lo = floor(age.divide(5)).multiply(5).cast(DataTypes.IntegerType);
    return when(age.isNull(), lit(null).cast(DataTypes.StringType))
        .when(age.geq(95), lit("95+"))
        .otherwise(concat(lo.cast(DataTypes.StringType), lit("_"), lo.plus(4).cast(DataTypes.StringType)));
  }

  /** ESP2013 band label: {@code 0-4} … {@code 85-89}, {@code 90+}. */
  public static Column espAgeBand(Column age) {
    Column lo = floor(age.divide(5)).multiply(5).cast(DataTypes.IntegerType);
    return when(age.isNull(), lit(null).cast(DataTypes.StringType))
        .when(age.geq(90), lit("90+"))
        .otherwise(concat(lo.cast(DataTypes.StringType), lit("-"), lo.plus(4).cast(DataTypes.StringType)));
  }

  static Dataset<Row> patients(Dataset<Row> gp, Dataset<Row> practices, Dataset<Row> imd, Dataset<Row> optOut,
      Column run) {
    Dataset<Row> org = broadcast(practices.select(col("practice_code").as("_pc"), col("pcn_code"), col("icp_code"),
        col("ics_code")));
    Dataset<Row> dep = broadcast(imd.select(col("lsoa_code").as("_lsoa"), col("imd_decile"), col("imd_quintile")));
    Dataset<Row> p = gp.join(org, gp.col("practice_code").equalTo(org.col("_pc")), "left");
    p = p.join(dep, p.col("lsoa_code").equalTo(dep.col("_lsoa")), "left");
    Column optedOut = lit(false);
    if (optOut != null) {
      Dataset<Row> oo = optOut.select(col("patient_id").as("_oo")).distinct();
      p = p.join(oo, p.col("patient_id").equalTo(oo.col("_oo")), "left");
      optedOut = col("_oo").isNotNull();
    }
    Column ageAt = when(col("date_of_death").isNotNull(), least(col("date_of_death"), run)).otherwise(run);
    Column age = ageInYears(col("date_of_birth"), ageAt);
    Column registered = col("registration_start").leq(run)
        .and(col("registration_end").isNull().or(col("registration_end").gt(run)))
        .and(col("date_of_death").isNull().or(col("date_of_death").gt(run)));
    return p.select(
        col("patient_id"),
        col("date_of_birth").as("birth_date"),
        col("sex"),
        coalesce(col("ethnicity"), lit("Unknown")).as("ethnicity_group"),
        col("practice_code"),
        col("pcn_code"),
        col("icp_code"),
        col("ics_code"),
        col("lsoa_code"),
        col("imd_decile"),
        col("imd_quintile"),
        col("registration_start"),
        col("registration_end"),
        col("date_of_death").as("death_date"),
        age.as("age"),
        ageBand5(age).as("age_band_5"),
        espAgeBand(age).as("esp_age_band"),
        registered.as("registered"),
        optedOut.as("opted_out"));
  }

  static Dataset<Row> ae(Dataset<Row> a) {
    Column minutes = floor(unix_timestamp(col("departure_time")).minus(unix_timestamp(col("arrival_time"))).divide(60))
        .cast(DataTypes.IntegerType);
    return a.select(col("attendance_id"), col("patient_id"), col("provider_code"), col("department_type"),
        col("arrival_time"), col("decision_to_admit_time"), col("departure_time"), col("disposal"),
        minutes.as("minutes_in_department"));
  }

  static Dataset<Row> spells(Dataset<Row> s) {
    return s.select(col("spell_id"), col("patient_id"), col("provider_code"), col("admission_date"),
        col("discharge_date"), col("admission_method"),
        col("admission_method").startsWith("2").as("is_emergency"),
        col("admission_method").startsWith("1").as("is_elective"),
        col("primary_diagnosis"), col("discharge_method"),
        datediff(col("discharge_date"), col("admission_date")).as("length_of_stay_days"));
  }

  /** Whole weeks waited at the snapshot: floor(days / 7). */
  public static Column weeksWaiting(Column snapshot, Column start) {
    return floor(datediff(snapshot, start).divide(7)).cast(DataTypes.IntegerType);
  }

  static Dataset<Row> waiting(Dataset<Row> w, String idColumn, String whatColumn, String startColumn) {
    return w.select(col("snapshot_date"), col(idColumn), col("patient_id"), col("provider_code"), col(whatColumn),
        col(startColumn), weeksWaiting(col("snapshot_date"), col(startColumn)).as("weeks_waiting"));
  }
}
