package org.phm.risk;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.phm.linkage.LinkedModel;

/**
 * Builds small {@link LinkedModel}s for tests with exactly the column names and types of the linked
 * model contract (docs/ARCHITECTURE.md); datasets the risk stage does not read are empty.
 */
public final class TestModels {
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

  private final List<Row> patients = new ArrayList<>();
  private final List<Row> events = new ArrayList<>();
  private final List<Row> ae = new ArrayList<>();
  private final List<Row> spells = new ArrayList<>();
  private final List<Row> outpatients = new ArrayList<>();

  /** Adds a registered patient at practice {@code practice} (PCN/ICP/ICS derived from it). */
  public TestModels patient(String id, LocalDate birth, String sex, Integer imdQuintile, String practice,
      LocalDate regStart, LocalDate regEnd, LocalDate death, boolean optedOut) {
    String pcn = "U0000" + (Math.abs(practice.hashCode()) % 2);
    String icp = "ICP" + (Math.abs(practice.hashCode()) % 2);
    Integer decile = imdQuintile == null ? null : imdQuintile * 2;
    patients.add(RowFactory.create(id, d(birth), sex, "White", practice, pcn, icp, "QT1", "E01000001",
        decile, imdQuintile, d(regStart), d(regEnd), d(death), null, null, null, regEnd == null && death == null,
        optedOut));
    return this;
  }

  public TestModels patient(String id, LocalDate birth, String sex, Integer imdQuintile, String practice) {
    return patient(id, birth, sex, imdQuintile, practice, LocalDate.of(2000, 1, 1), null, null, false);
  }

  public TestModels event(String id, LocalDate date, String type, String code, Double value) {
    events.add(RowFactory.create(id, d(date), type, code, value, null));
    return this;
  }

  public TestModels ae(String id, String attendanceId, LocalDate arrival) {
    ae.add(RowFactory.create(attendanceId, id, "RX1", 1, Timestamp.valueOf(arrival.atTime(10, 30)), null,
        Timestamp.valueOf(arrival.atTime(13, 0)), "DISCHARGED", 150));
    return this;
  }

  public TestModels spell(String id, String spellId, LocalDate admission, LocalDate discharge, boolean emergency) {
    Integer los = discharge == null ? null : (int) (discharge.toEpochDay() - admission.toEpochDay());
    spells.add(RowFactory.create(spellId, id, "RX1", d(admission), d(discharge), emergency ? "21" : "11",
        emergency, !emergency, "J44.1", "1", los));
    return this;
  }

  public TestModels outpatient(String id, String apptId, LocalDate date, String outcome) {
    outpatients.add(RowFactory.create(apptId, id, "RX1", d(date), "300", 2, outcome));
    return this;
  }

  public LinkedModel build(SparkSession spark) {
    Dataset<Row> empty = spark.createDataFrame(List.of(), new StructType().add("x", DataTypes.StringType));
    return new LinkedModel(empty, empty, empty,
        spark.createDataFrame(patients, PATIENTS),
        spark.createDataFrame(events, EVENTS),
        spark.createDataFrame(ae, AE),
        spark.createDataFrame(spells, SPELLS),
        spark.createDataFrame(outpatients, OUTPATIENTS),
        empty, empty, empty, empty);
  }

  private static Date d(LocalDate x) {
    return x == null ? null : Date.valueOf(x);
  }
}
