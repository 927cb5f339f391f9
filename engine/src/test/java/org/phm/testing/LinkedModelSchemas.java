package org.phm.testing;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Spark schemas of the linked-model datasets (docs/ARCHITECTURE.md, "Linked model": exactly these column names)
 * and of the {@code org_hierarchy} pack table, for test fixtures that build small datasets by hand. The one copy in
 * the tests; {@code LinkedModelSchemasTest} checks the column names against the architecture document.
 */
public final class LinkedModelSchemas {
  private LinkedModelSchemas() {}

  public static final StructType PRACTICES = strings("practice_code", "practice_name", "pcn_code", "pcn_name",
      "ccg_code", "ccg_name", "icp_code", "icp_name", "ics_code", "ics_name");
  public static final StructType LIST_SIZES = new StructType().add("extract_date", DataTypes.DateType)
      .add("practice_code", DataTypes.StringType).add("sex", DataTypes.StringType)
      .add("age_band_5", DataTypes.StringType).add("patients", DataTypes.IntegerType);
  public static final StructType IMD = new StructType().add("lsoa_code", DataTypes.StringType)
      .add("imd_score", DataTypes.DoubleType).add("imd_decile", DataTypes.IntegerType)
      .add("imd_quintile", DataTypes.IntegerType);
  public static final StructType PATIENTS = new StructType()
      .add("patient_id", DataTypes.StringType).add("birth_date", DataTypes.DateType)
      .add("sex", DataTypes.StringType).add("ethnicity_group", DataTypes.StringType)
      .add("practice_code", DataTypes.StringType).add("pcn_code", DataTypes.StringType)
      .add("icp_code", DataTypes.StringType).add("ics_code", DataTypes.StringType)
      .add("lsoa_code", DataTypes.StringType).add("imd_decile", DataTypes.IntegerType)
      .add("imd_quintile", DataTypes.IntegerType).add("registration_start", DataTypes.DateType)
      .add("registration_end", DataTypes.DateType).add("death_date", DataTypes.DateType)
      .add("age", DataTypes.IntegerType).add("age_band_5", DataTypes.StringType)
      .add("esp_age_band", DataTypes.StringType).add("registered", DataTypes.BooleanType)
      .add("opted_out", DataTypes.BooleanType);
  public static final StructType EVENTS = new StructType()
      .add("patient_id", DataTypes.StringType).add("event_date", DataTypes.DateType)
      .add("event_type", DataTypes.StringType).add("code", DataTypes.StringType)
      .add("value", DataTypes.DoubleType).add("unit", DataTypes.StringType);
  public static final StructType AE = new StructType()
      .add("attendance_id", DataTypes.StringType).add("patient_id", DataTypes.StringType)
      .add("provider_code", DataTypes.StringType).add("department_type", DataTypes.IntegerType)
      .add("arrival_time", DataTypes.TimestampType).add("decision_to_admit_time", DataTypes.TimestampType)
      .add("departure_time", DataTypes.TimestampType).add("disposal", DataTypes.StringType)
      .add("minutes_in_department", DataTypes.IntegerType);
  public static final StructType SPELLS = new StructType()
      .add("spell_id", DataTypes.StringType).add("patient_id", DataTypes.StringType)
      .add("provider_code", DataTypes.StringType).add("admission_date", DataTypes.DateType)
      .add("discharge_date", DataTypes.DateType).add("admission_method", DataTypes.StringType)
      .add("is_emergency", DataTypes.BooleanType).add("is_elective", DataTypes.BooleanType)
      .add("primary_diagnosis", DataTypes.StringType).add("discharge_method", DataTypes.StringType)
      .add("length_of_stay_days", DataTypes.IntegerType);
  public static final StructType OUTPATIENTS = new StructType()
      .add("appointment_id", DataTypes.StringType).add("patient_id", DataTypes.StringType)
      .add("provider_code", DataTypes.StringType).add("appointment_date", DataTypes.DateType)
      .add("specialty_code", DataTypes.StringType).add("first_attendance", DataTypes.IntegerType)
      .add("outcome", DataTypes.StringType);
  public static final StructType RTT = new StructType().add("snapshot_date", DataTypes.DateType)
      .add("pathway_id", DataTypes.StringType).add("patient_id", DataTypes.StringType)
      .add("provider_code", DataTypes.StringType).add("specialty_code", DataTypes.StringType)
      .add("clock_start_date", DataTypes.DateType).add("weeks_waiting", DataTypes.IntegerType);
  public static final StructType DIAGNOSTICS = new StructType().add("snapshot_date", DataTypes.DateType)
      .add("request_id", DataTypes.StringType).add("patient_id", DataTypes.StringType)
      .add("provider_code", DataTypes.StringType).add("test_code", DataTypes.StringType)
      .add("request_date", DataTypes.DateType).add("weeks_waiting", DataTypes.IntegerType);
  public static final StructType CANCER = new StructType().add("pathway_id", DataTypes.StringType)
      .add("patient_id", DataTypes.StringType).add("provider_code", DataTypes.StringType)
      .add("referral_type", DataTypes.StringType).add("referral_date", DataTypes.DateType)
      .add("first_seen_date", DataTypes.DateType).add("cancer_diagnosed", DataTypes.StringType)
      .add("decision_to_treat_date", DataTypes.DateType).add("first_treatment_date", DataTypes.DateType)
      .add("treatment_modality", DataTypes.StringType);
  public static final StructType IAPT = new StructType().add("referral_id", DataTypes.StringType)
      .add("patient_id", DataTypes.StringType).add("referral_date", DataTypes.DateType)
      .add("first_treatment_date", DataTypes.DateType).add("end_date", DataTypes.DateType)
      .add("treatment_sessions", DataTypes.IntegerType).add("caseness_start", DataTypes.StringType)
      .add("caseness_end", DataTypes.StringType);

  /** The {@code org_hierarchy} pack table: the practices hierarchy plus each practice's list size. */
  public static final StructType ORG_HIERARCHY = PRACTICES.add("list_size", DataTypes.LongType);

  /** A schema of string columns. */
  public static StructType strings(String... names) {
    StructType s = new StructType();
    for (String n : names) {
      s = s.add(n, DataTypes.StringType);
    }
    return s;
  }

  /** An empty dataset with {@code schema}. */
  public static Dataset<Row> empty(SparkSession spark, StructType schema) {
    return spark.createDataFrame(java.util.List.of(), schema);
  }
}
