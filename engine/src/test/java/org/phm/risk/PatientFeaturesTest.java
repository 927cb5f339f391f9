package org.phm.risk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.phm.codelists.CodeLists;
import org.phm.spark.SharedSpark;

/** Features and eFI on hand-worked patients (expected values worked out by hand in the comments). */
class PatientFeaturesTest {
  static final LocalDate AS_OF = LocalDate.of(2026, 11, 25);
  static Map<String, Row> byId = new HashMap<>();
  static Dataset<Row> features;
  static org.phm.linkage.LinkedModel model;

  // eFI deficit codes (codelists/efi_deficits.csv), deficits 1..13 in file order (one code each)
  static final List<String> DEFICIT_CODES = List.of("300948004", "271737000", "3723001", "49436004", "230690007",
      "709044004", "73211009", "404640003", "267036007", "161898004", "53226007", "269285000", "15188001");

  @BeforeAll
  static void build() {
    SparkSession spark = SharedSpark.get();
    TestModels m = new TestModels();
    // A: age 79 (birthday tomorrow); deficits falls(10), dementia+memory(20 once), hypertension(17),
    // polypharmacy (latest MEDCOUNT 6) = 4 -> 4/36 = 0.111 fit; AF after asOf ignored.
    m.patient("A", LocalDate.of(1946, 11, 26), "F", 1, "P00001")
        .event("A", LocalDate.of(2020, 1, 1), "DIAGNOSIS", "161898004", null)
        .event("A", LocalDate.of(2024, 5, 1), "DIAGNOSIS", "52448006", null)
        .event("A", LocalDate.of(2023, 1, 1), "DIAGNOSIS", "386807006", null)
        .event("A", LocalDate.of(2015, 1, 1), "DIAGNOSIS", "38341003", null)
        .event("A", LocalDate.of(2026, 11, 26), "DIAGNOSIS", "49436004", null)
        .event("A", LocalDate.of(2026, 10, 1), "MEDICATION", "PHM-MEDCOUNT", 6.0)
        .event("A", LocalDate.of(2026, 1, 1), "MEDICATION", "PHM-MEDCOUNT", 3.0)
        .event("A", LocalDate.of(2010, 1, 1), "OBSERVATION", "77176002", null)
        .event("A", LocalDate.of(2022, 1, 1), "OBSERVATION", "8517006", null)
        .event("A", LocalDate.of(2024, 1, 1), "OBSERVATION", "60621009", 27.5)
        .event("A", LocalDate.of(2019, 1, 1), "OBSERVATION", "60621009", 31.0)
        .event("A", LocalDate.of(2026, 6, 1), "OBSERVATION", "271649006", 140.0)
        .event("A", LocalDate.of(2026, 10, 2), "OBSERVATION", "271649006", 300.0) // implausible: ignored
        .event("A", LocalDate.of(2025, 1, 1), "OBSERVATION", "1049301000000100", 60.0) // outside 15 months
        .event("A", LocalDate.of(2026, 9, 1), "VACCINATION", "86198006", null) // season start: counts
        .ae("A", "ae1", LocalDate.of(2025, 11, 25)) // window start: excluded
        .ae("A", "ae2", LocalDate.of(2025, 11, 26))
        .ae("A", "ae3", LocalDate.of(2026, 11, 25))
        .spell("A", "s1", LocalDate.of(2026, 3, 1), LocalDate.of(2026, 3, 5), true) // 4 bed days
        .spell("A", "s2", LocalDate.of(2026, 11, 20), null, true) // still in: 5 bed days to asOf
        .spell("A", "s3", LocalDate.of(2026, 5, 1), LocalDate.of(2026, 5, 2), false) // elective: 1 bed day
        .spell("A", "s4", LocalDate.of(2025, 11, 20), LocalDate.of(2025, 11, 30), true) // before window
        .outpatient("A", "o1", LocalDate.of(2026, 2, 1), "ATTENDED")
        .outpatient("A", "o2", LocalDate.of(2026, 3, 1), "DNA")
        .outpatient("A", "o3", LocalDate.of(2024, 1, 1), "ATTENDED");
    // B: 8 coded deficits, no medication count -> 8/36 = 0.222 mild. LTCs: AF, STIA, CKD, DM = 4.
    m.patient("B", LocalDate.of(1950, 1, 1), "M", 5, "P00002");
    for (String c : DEFICIT_CODES.subList(0, 8)) {
      m.event("B", LocalDate.of(2021, 1, 1), "DIAGNOSIS", c, null);
    }
    // C: the same 8 + MEDCOUNT exactly 5 (polypharmacy) -> 9/36 = 0.25 moderate
    m.patient("C", LocalDate.of(1950, 1, 1), "M", 3, "P00002");
    for (String c : DEFICIT_CODES.subList(0, 8)) {
      m.event("C", LocalDate.of(2021, 1, 1), "DIAGNOSIS", c, null);
    }
    m.event("C", LocalDate.of(2026, 11, 1), "MEDICATION", "PHM-MEDCOUNT", 5.0);
    // D: 12 coded + MEDCOUNT 4 -> 12/36 = 0.333 moderate
    m.patient("D", LocalDate.of(1940, 6, 15), "F", 2, "P00001");
    for (String c : DEFICIT_CODES.subList(0, 12)) {
      m.event("D", LocalDate.of(2021, 1, 1), "OBSERVATION", c, null);
    }
    m.event("D", LocalDate.of(2026, 11, 1), "MEDICATION", "PHM-MEDCOUNT", 4.0);
    // E: 13 coded; MEDCOUNT 8 but older than 12 months (ignored) -> 13/36 = 0.361 severe
    m.patient("E", LocalDate.of(1935, 6, 15), "F", 2, "P00001");
    for (String c : DEFICIT_CODES) {
      m.event("E", LocalDate.of(2021, 1, 1), "DIAGNOSIS", c, null);
    }
    m.event("E", LocalDate.of(2025, 11, 1), "MEDICATION", "PHM-MEDCOUNT", 8.0);
    // F: pregnancy older than the 10-month lookback; diabetes with HbA1c 62
    m.patient("F", LocalDate.of(1995, 3, 3), "F", null, "P00003")
        .event("F", LocalDate.of(2025, 12, 1), "DIAGNOSIS", "77386006", null)
        .event("F", LocalDate.of(2018, 1, 1), "DIAGNOSIS", "44054006", null)
        .event("F", LocalDate.of(2026, 5, 1), "OBSERVATION", "1049301000000100", 62.0);
    // G: pregnant within lookback; same-day ties: the highest value and the status sorting last win; an earlier day
    // loses to a lower value on a later day
    m.patient("G", LocalDate.of(1998, 3, 3), "F", 4, "P00003")
        .event("G", LocalDate.of(2026, 3, 1), "DIAGNOSIS", "77386006", null)
        .event("G", LocalDate.of(2026, 4, 1), "OBSERVATION", "60621009", 24.25)
        .event("G", LocalDate.of(2026, 4, 1), "OBSERVATION", "60621009", 23.1234567891)
        .event("G", LocalDate.of(2026, 4, 1), "OBSERVATION", "60621009", 23.1234567892)
        .event("G", LocalDate.of(2026, 4, 1), "OBSERVATION", "60621009", 24.0)
        .event("G", LocalDate.of(2026, 5, 1), "OBSERVATION", "60621009", 23.1234567891)
        .event("G", LocalDate.of(2026, 2, 1), "OBSERVATION", "60621009", 80.0)
        .event("G", LocalDate.of(2026, 6, 1), "OBSERVATION", "271649006", 120.0)
        .event("G", LocalDate.of(2026, 6, 1), "OBSERVATION", "271649006", 135.5)
        .event("G", LocalDate.of(2026, 6, 1), "OBSERVATION", "271650006", 70.0)
        .event("G", LocalDate.of(2026, 6, 1), "OBSERVATION", "271650006", 200.0) // implausible: ignored
        .event("G", LocalDate.of(2026, 7, 1), "OBSERVATION", "77176002", null)
        .event("G", LocalDate.of(2026, 7, 1), "OBSERVATION", "266919005", null)
        .event("G", LocalDate.of(2026, 7, 1), "OBSERVATION", "8517006", null);
    // L: smoking statuses recorded before 1970 (dates before the epoch order as later ones do)
    m.patient("L", LocalDate.of(1940, 1, 1), "M", 1, "P00001")
        .event("L", LocalDate.of(1965, 3, 1), "OBSERVATION", "266919005", null)
        .event("L", LocalDate.of(1968, 5, 1), "OBSERVATION", "8517006", null)
        .event("L", LocalDate.of(1966, 1, 1), "OBSERVATION", "77176002", null);
    // not in the population at asOf: deregistered, died, registered later
    m.patient("H", LocalDate.of(1980, 1, 1), "M", 1, "P00001", LocalDate.of(2000, 1, 1), LocalDate.of(2026, 6, 1), null, false);
    m.patient("I", LocalDate.of(1930, 1, 1), "M", 1, "P00001", LocalDate.of(2000, 1, 1), null, LocalDate.of(2026, 11, 1), false);
    m.patient("J", LocalDate.of(1990, 1, 1), "M", 1, "P00001", LocalDate.of(2026, 11, 26), null, null, false);
    // K: opted out but registered: included, flagged
    m.patient("K", LocalDate.of(1990, 1, 1), "M", 1, "P00001", LocalDate.of(2000, 1, 1), null, null, true);

    model = m.build(spark);
    features = PatientFeatures.build(model, AS_OF, RiskConfig.defaults());
    for (Row r : features.collectAsList()) {
      byId.put(r.getAs("patient_id"), r);
    }
  }

  @Test
  void populationIsRegisteredAndAliveAtAsOf() {
    assertEquals(java.util.Set.of("A", "B", "C", "D", "E", "F", "G", "K", "L"), byId.keySet());
    assertEquals(Boolean.TRUE, byId.get("K").getAs("opted_out"));
    assertEquals(Boolean.FALSE, byId.get("A").getAs("opted_out"));
  }

  @Test
  void schemaIsTheDeclaredOne() {
    RiskConfig c = RiskConfig.defaults();
    assertEquals(PatientFeatures.schema(c.features(), CodeLists.load()).simpleString(),
        features.schema().simpleString());
  }

  @Test
  void efiOnHandWorkedPatients() {
    assertEfi("A", 4, "fit");
    assertEfi("B", 8, "mild");
    assertEfi("C", 9, "moderate");
    assertEfi("D", 12, "moderate");
    assertEfi("E", 13, "severe");
    assertEfi("G", 0, "fit");
    assertEquals(1, (int) byId.get("A").getAs("polypharmacy"));
    assertEquals(1, (int) byId.get("C").getAs("polypharmacy"));
    assertEquals(0, (int) byId.get("D").getAs("polypharmacy"));
    assertEquals(0, (int) byId.get("E").getAs("polypharmacy"));
    assertNull(byId.get("E").getAs("med_count"));
    assertEquals(6.0, (double) byId.get("A").getAs("med_count"));
  }

  private static void assertEfi(String id, int deficits, String category) {
    Row r = byId.get(id);
    assertEquals(deficits, (int) r.getAs("efi_deficits"), id + " deficits");
    assertEquals(deficits / 36.0, (double) r.getAs("efi"), 1e-12, id + " efi");
    assertEquals(category, r.getAs("efi_category"), id + " category");
  }

  @Test
  void conditionsAndMultimorbidity() {
    Row a = byId.get("A");
    assertEquals(1, (int) a.getAs("cond_hyp"));
    assertEquals(1, (int) a.getAs("cond_dem"));
    assertEquals(0, (int) a.getAs("cond_af"), "AF recorded after asOf");
    assertEquals(2, (int) a.getAs("ltc_count"));
    assertEquals(4, (int) byId.get("B").getAs("ltc_count"));
    assertEquals(0, (int) byId.get("F").getAs("cond_preg"), "pregnancy older than 10 months");
    assertEquals(1, (int) byId.get("G").getAs("cond_preg"));
    assertEquals(0, (int) byId.get("G").getAs("ltc_count"), "pregnancy is not a QOF register");
    assertEquals(1, (int) byId.get("F").getAs("cond_dm"));
  }

  @Test
  void demographics() {
    Row a = byId.get("A");
    assertEquals(79, (int) a.getAs("age"), "birthday tomorrow");
    assertEquals("75-84", a.getAs("age_band"));
    assertEquals(1, (int) a.getAs("imd_quintile"));
    assertEquals(2, (int) a.getAs("imd_decile"));
    assertEquals(76, (int) byId.get("B").getAs("age"));
    assertNull(byId.get("F").getAs("imd_quintile"));
    assertEquals("18-44", byId.get("F").getAs("age_band"));
  }

  @Test
  void utilisationInPriorTwelveMonths() {
    Row a = byId.get("A");
    assertEquals(2, (int) a.getAs("ae_attendances_12m"));
    assertEquals(2, (int) a.getAs("emergency_admissions_12m"));
    assertEquals(10, (int) a.getAs("bed_days_12m"));
    assertEquals(1, (int) a.getAs("outpatient_attendances_12m"));
    Row b = byId.get("B");
    assertEquals(0, (int) b.getAs("ae_attendances_12m"));
    assertEquals(0, (int) b.getAs("emergency_admissions_12m"));
    assertEquals(0, (int) b.getAs("bed_days_12m"));
  }

  @Test
  void latestObservations() {
    Row a = byId.get("A");
    assertEquals("ex", a.getAs("smoking_status"));
    assertEquals(27.5, (double) a.getAs("bmi"));
    assertEquals(140.0, (double) a.getAs("sbp"));
    assertNull(a.getAs("hba1c"), "HbA1c older than 15 months");
    assertEquals(62.0, (double) byId.get("F").getAs("hba1c"));
    assertNull(byId.get("B").getAs("smoking_status"));
    assertEquals(1, (int) a.getAs("flu_vaccinated"));
    assertEquals(0, (int) byId.get("B").getAs("flu_vaccinated"));
    assertEquals(java.sql.Date.valueOf(LocalDate.of(2026, 10, 2)), a.getAs("last_gp_contact_date"));
    assertEquals(54, (int) a.getAs("days_since_gp_contact"));
    assertNull(byId.get("K").getAs("days_since_gp_contact"));
    assertTrue(byId.get("D").<java.sql.Date>getAs("last_gp_contact_date").toLocalDate().equals(LocalDate.of(2021, 1, 1)),
        "MEDICATION events are not contacts");
  }
  @Test
  void sameDayTiesGoToTheHighestValueAndTheStatusSortingLast() {
    Row g = byId.get("G");
    assertEquals(23.1234567891, (double) g.getAs("bmi"), 0.0, "the latest day wins");
    assertEquals(135.5, (double) g.getAs("sbp"), 0.0);
    assertEquals(70.0, (double) g.getAs("dbp"), 0.0);
    assertEquals("never", g.getAs("smoking_status"), "current < ex < never in string order");
    Row earlier = PatientFeatures.build(model, LocalDate.of(2026, 4, 30), RiskConfig.defaults())
        .filter("patient_id = 'G'").first();
    assertEquals(24.25, (double) earlier.getAs("bmi"), 0.0, "same day: the highest of 24.25, 24.0, 23.12...");
    assertNull(earlier.getAs("smoking_status"));
    assertEquals("ex", byId.get("L").getAs("smoking_status"), "1968 is later than 1965 and 1966");
  }

  @Test
  void everyAggregationKeepsFixedWidthBuffersSoNoneSortsTheEvents() {
    String plan = features.queryExecution().executedPlan().toString();
    assertTrue(plan.contains("HashAggregate"), plan);
    assertFalse(plan.contains("SortAggregate"), plan);
  }

  @Test
  void featuresForSeveralDatesInOnePassEqualEachDateAlone() {
    RiskConfig c = RiskConfig.defaults();
    List<LocalDate> dates = List.of(AS_OF.minusMonths(12), AS_OF, LocalDate.of(2026, 3, 1));
    List<Dataset<Row>> together = PatientFeatures.build(model, dates, c);
    assertEquals(dates.size(), together.size());
    for (int i = 0; i < dates.size(); i++) {
      Dataset<Row> alone = PatientFeatures.build(model, dates.get(i), c);
      assertEquals(alone.schema().simpleString(), together.get(i).schema().simpleString());
      assertTrue(alone.count() > 0);
      assertEquals(0, alone.exceptAll(together.get(i)).count(), "as of " + dates.get(i));
      assertEquals(0, together.get(i).exceptAll(alone).count(), "as of " + dates.get(i));
    }
    // the dates really differ: A's medication count (6 on 2026-10-01) is not there a year earlier
    Row aEarlier = together.get(0).filter("patient_id = 'A'").first();
    assertNull(aEarlier.getAs("med_count"));
    assertEquals(6.0, (double) together.get(1).filter("patient_id = 'A'").first().getAs("med_count"));
  }
}
