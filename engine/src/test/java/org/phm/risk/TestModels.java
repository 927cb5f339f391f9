package org.phm.risk;

import static org.phm.testing.LinkedModelSchemas.AE;
import static org.phm.testing.LinkedModelSchemas.CANCER;
import static org.phm.testing.LinkedModelSchemas.DIAGNOSTICS;
import static org.phm.testing.LinkedModelSchemas.EVENTS;
import static org.phm.testing.LinkedModelSchemas.IAPT;
import static org.phm.testing.LinkedModelSchemas.IMD;
import static org.phm.testing.LinkedModelSchemas.LIST_SIZES;
import static org.phm.testing.LinkedModelSchemas.OUTPATIENTS;
import static org.phm.testing.LinkedModelSchemas.PATIENTS;
import static org.phm.testing.LinkedModelSchemas.PRACTICES;
import static org.phm.testing.LinkedModelSchemas.RTT;
import static org.phm.testing.LinkedModelSchemas.SPELLS;
import static org.phm.testing.LinkedModelSchemas.empty;
import static org.phm.testing.TestRows.date;

import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.phm.linkage.LinkedModel;

/**
 * Builds small {@link LinkedModel}s for tests with exactly the column names and types of the linked
 * model contract ({@link org.phm.testing.LinkedModelSchemas}); datasets the risk stage does not read are empty.
 */
public final class TestModels {
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
    patients.add(RowFactory.create(id, date(birth), sex, "White", practice, pcn, icp, "QT1", "E01000001",
        decile, imdQuintile, date(regStart), date(regEnd), date(death), null, null, null, regEnd == null && death == null,
        optedOut));
    return this;
  }

  public TestModels patient(String id, LocalDate birth, String sex, Integer imdQuintile, String practice) {
    return patient(id, birth, sex, imdQuintile, practice, LocalDate.of(2000, 1, 1), null, null, false);
  }

  public TestModels event(String id, LocalDate date, String type, String code, Double value) {
    events.add(RowFactory.create(id, date(date), type, code, value, null));
    return this;
  }

  public TestModels ae(String id, String attendanceId, LocalDate arrival) {
    ae.add(RowFactory.create(attendanceId, id, "RX1", 1, Timestamp.valueOf(arrival.atTime(10, 30)), null,
        Timestamp.valueOf(arrival.atTime(13, 0)), "DISCHARGED", 150));
    return this;
  }

  public TestModels spell(String id, String spellId, LocalDate admission, LocalDate discharge, boolean emergency) {
    Integer los = discharge == null ? null : (int) (discharge.toEpochDay() - admission.toEpochDay());
    spells.add(RowFactory.create(spellId, id, "RX1", date(admission), date(discharge), emergency ? "21" : "11",
        emergency, !emergency, "J44.1", "1", los));
    return this;
  }

  public TestModels outpatient(String id, String apptId, LocalDate date, String outcome) {
    outpatients.add(RowFactory.create(apptId, id, "RX1", date(date), "300", 2, outcome));
    return this;
  }

  public LinkedModel build(SparkSession spark) {
    return new LinkedModel(empty(spark, PRACTICES), empty(spark, LIST_SIZES), empty(spark, IMD),
        spark.createDataFrame(patients, PATIENTS),
        spark.createDataFrame(events, EVENTS),
        spark.createDataFrame(ae, AE),
        spark.createDataFrame(spells, SPELLS),
        spark.createDataFrame(outpatients, OUTPATIENTS),
        empty(spark, RTT), empty(spark, DIAGNOSTICS), empty(spark, CANCER), empty(spark, IAPT));
  }
}
