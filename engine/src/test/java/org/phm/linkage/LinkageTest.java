package org.phm.linkage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.to_timestamp;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.phm.ingest.ColumnContract;
import org.phm.ingest.ExtractContract;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.phm.ig.PseudonymisationKey;
import org.phm.ig.Pseudonymiser;
import org.phm.ingest.Contracts;
import org.phm.ingest.Ingest;
import org.phm.ingest.IngestResult;
import org.phm.spark.SharedSpark;

/**
 * Linkage of one small valid extract set of every file (as typed accepted datasets); values checked by hand
 * and in plain Java, column names against docs/ARCHITECTURE.md.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LinkageTest {
  static final LocalDate RUN = LocalDate.of(2026, 11, 25);
  static final Pseudonymiser P = new Pseudonymiser(PseudonymisationKey.ofBytes(
      "linkage-test-key-0123456789abcdefghijkl".getBytes(StandardCharsets.UTF_8)));
  private LinkedModel model;
  private final Map<String, String> nhsByName = new HashMap<>();

  static String nhs(int i) {
    long base = 600_000_000L + i * 104729L;
    while (true) {
      String nine = String.format("%09d", base);
      int sum = 0;
      for (int k = 0; k < 9; k++) {
        sum += (nine.charAt(k) - '0') * (10 - k);
      }
      int check = 11 - sum % 11;
      check = check == 11 ? 0 : check;
      if (check != 10) {
        return nine + check;
      }
      base++;
    }
  }

  private final Map<String, List<String>> files = new HashMap<>();

  private void write(Path dir, String file, String... lines) {
    files.put(file, List.of(lines));
  }

  /**
   * The accepted dataset ingest would produce for these (valid) CSV lines: columns typed as the contract
   * says, nhs_number pseudonymised to patient_id. Built in memory so this test exercises linkage only
   * (ingest itself is covered by the org.phm.ingest tests).
   */
  private Dataset<Row> accepted(ExtractContract c) {
    List<String> lines = files.get(c.file());
    List<String> header = List.of(lines.get(0).split(","));
    StructType schema = new StructType();
    for (String h : header) {
      schema = schema.add(h, DataTypes.StringType);
    }
    List<Row> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      Object[] values = new Object[header.size()];
      for (int k = 0; k < values.length; k++) {
        values[k] = f[k].isEmpty() ? null : f[k];
      }
      rows.add(RowFactory.create(values));
    }
    Dataset<Row> d = SharedSpark.get().createDataFrame(rows, schema);
    List<Column> typed = new ArrayList<>();
    for (ColumnContract cc : c.columns()) {
      Column v = col(cc.name());
      Column t = switch (cc.type()) {
        case "int" -> v.cast(DataTypes.IntegerType);
        case "double" -> v.cast(DataTypes.DoubleType);
        case "date" -> to_date(v, "yyyy-MM-dd");
        case "timestamp" -> to_timestamp(v, "yyyy-MM-dd HH:mm:ss");
        case "nhs_number" -> P.patientId(v);
        default -> v;
      };
      typed.add(t.as(Ingest.outputName(cc)));
    }
    return d.select(typed.toArray(Column[]::new));
  }

  /** name, dob, sex, ethnicity, practice, lsoa, reg start, reg end, death. */
  private static final String[][] PATIENTS = {
      {"p1", "1950-06-15", "F", "White", "C84001", "E01000001", "2000-01-01", "", ""},
      {"p2", "2024-02-29", "M", "Asian", "C84002", "E01000004", "2024-03-01", "", ""},
      {"p3", "1930-01-01", "F", "Black", "C84001", "E01000002", "1990-01-01", "", ""},
      {"p4", "1936-11-26", "M", "Mixed", "C84001", "E01000003", "1990-01-01", "", ""},
      {"p5", "1970-05-05", "F", "", "C84002", "", "1990-01-01", "2025-01-01", ""},
      {"p6", "1985-12-31", "I", "Other", "C84001", "E01000001", "2010-01-01", "", ""},
      {"p7", "2020-02-29", "U", "Not stated", "C84001", "E01000001", "2020-03-01", "", "2023-02-28"},
      {"p8", "2020-02-29", "F", "White", "C84001", "E01000001", "2020-03-01", "", "2023-03-01"},
      {"p9", "2001-11-25", "M", "White", "C84002", "E01000002", "2002-01-01", "2026-11-25", ""},
  };

  @BeforeAll
  void ingestAndLink(@TempDir Path tmp) throws Exception {
    Path in = tmp;
    write(in, "practices.csv",
        "practice_code,practice_name,pcn_code,pcn_name,ccg_code,ccg_name,icp_code,icp_name,ics_code,ics_name",
        "C84001,Alpha,U12345,PCN A,52R,Notts CCG,ICP1,Mid Notts,QT1,Notts ICS",
        "C84002,Beta,U12346,PCN B,52R,Notts CCG,ICP2,City,QT1,Notts ICS");
    write(in, "imd_lsoa.csv", "lsoa_code,lsoa_name,local_authority,imd_score,imd_rank,imd_decile",
        "E01000001,A,X,60.1,100,1", "E01000002,B,X,30.0,15000,7", "E01000003,C,X,40.0,5000,2",
        "E01000004,D,X,5.0,32000,10");
    write(in, "list_sizes.csv", "EXTRACT_DATE,ORG_CODE,SEX,AGE_GROUP_5,NUMBER_OF_PATIENTS",
        "2026-11-01,C84001,MALE,0_4,120", "2026-11-01,C84001,FEMALE,95+,7");
    List<String> patients = new ArrayList<>();
    patients.add("nhs_number,date_of_birth,sex,ethnicity,practice_code,lsoa_code,registration_start,registration_end,"
        + "date_of_death");
    int i = 0;
    for (String[] p : PATIENTS) {
      String n = nhs(i++);
      nhsByName.put(p[0], n);
      patients.add(n + "," + String.join(",", List.of(p).subList(1, p.length)));
    }
    write(in, "gp_patients.csv", patients.toArray(String[]::new));
    String p1 = nhsByName.get("p1");
    write(in, "gp_events.csv", "nhs_number,event_date,event_type,code,value,unit",
        p1 + ",2024-01-01,OBSERVATION,60621009,27.5,kg/m2");
    write(in, "ae_attendances.csv",
        "attendance_id,nhs_number,provider_code,department_type,arrival_time,decision_to_admit_time,departure_time,disposal",
        "A1," + p1 + ",RX1,1,2024-01-01 10:00:00,2024-01-01 13:00:00,2024-01-01 14:30:30,ADMITTED");
    write(in, "inpatient_spells.csv",
        "spell_id,nhs_number,provider_code,admission_date,discharge_date,admission_method,primary_diagnosis,discharge_method",
        "S1," + p1 + ",RX1,2024-01-01,2024-01-05,21,J44.1,1",
        "S2," + p1 + ",RX1,2024-02-01,2024-02-01,11,I10,1",
        "S3," + p1 + ",RX1,2024-03-01,,31,O80,");
    write(in, "outpatient_appointments.csv",
        "appointment_id,nhs_number,provider_code,appointment_date,specialty_code,first_attendance,outcome",
        "O1," + p1 + ",RX1,2024-01-01,100,1,ATTENDED");
    write(in, "rtt_waiting_list.csv",
        "snapshot_date,pathway_id,nhs_number,provider_code,specialty_code,clock_start_date",
        "2026-10-31,R1," + p1 + ",RX1,100,2026-08-01", "2026-10-31,R2," + p1 + ",RX1,100,2026-08-02");
    write(in, "diagnostic_waiting_list.csv",
        "snapshot_date,request_id,nhs_number,provider_code,test_code,request_date",
        "2026-10-31,D1," + p1 + ",RX1,MRI,2026-10-25");
    write(in, "cancer_pathways.csv",
        "pathway_id,nhs_number,provider_code,referral_type,referral_date,first_seen_date,cancer_diagnosed,"
            + "decision_to_treat_date,first_treatment_date,treatment_modality",
        "C1," + p1 + ",RX1,URGENT_SUSPECTED,2024-01-01,2024-01-10,Y,2024-01-20,2024-02-01,SURGERY");
    write(in, "iapt_referrals.csv",
        "referral_id,nhs_number,referral_date,first_treatment_date,end_date,treatment_sessions,caseness_start,caseness_end",
        "I1," + p1 + ",2024-01-01,2024-01-15,2024-04-01,8,Y,N");
    write(in, "national_opt_out.csv", "nhs_number", nhsByName.get("p6"));
    Map<String, Dataset<Row>> accepted = new HashMap<>();
    for (ExtractContract c : Contracts.load().files()) {
      accepted.put(c.name(), accepted(c));
    }
    model = Linkage.link(new IngestResult(accepted, List.of(), List.of()), RUN);
  }

  /** Columns of each dataset as listed in docs/ARCHITECTURE.md ("Linked model"). */
  private static Map<String, List<String>> documentedColumns() throws Exception {
    String doc = Files.readString(Path.of(System.getProperty("phm.repo.dir", "../")).resolve("docs/ARCHITECTURE.md"));
    String section = doc.substring(doc.indexOf("## Linked model"));
    section = section.substring(0, section.indexOf("\n## ", 5));
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String line : section.lines().toList()) {
      if (!line.startsWith("| `")) {
        continue;
      }
      String[] cells = line.split("\\|");
      String name = cells[1].strip().replace("`", "");
      List<String> cols = new ArrayList<>();
      int depth = 0;
      StringBuilder cur = new StringBuilder();
      for (char ch : cells[2].strip().toCharArray()) {
        if (ch == '(') {
          depth++;
        } else if (ch == ')') {
          depth--;
        } else if (ch == ',' && depth == 0) {
          cols.add(cur.toString().strip().split(" ")[0]);
          cur.setLength(0);
        } else if (depth == 0) {
          cur.append(ch);
        }
      }
      cols.add(cur.toString().strip().split(" ")[0]);
      out.put(name, cols);
    }
    return out;
  }

  @Test
  void columnsAreExactlyTheDocumentedContract() throws Exception {
    Map<String, List<String>> documented = documentedColumns();
    assertEquals(12, documented.size());
    RecordComponent[] components = LinkedModel.class.getRecordComponents();
    List<String> names = new ArrayList<>(documented.keySet());
    for (int i = 0; i < components.length; i++) {
      String snake = components[i].getName().replaceAll("([A-Z])", "_$1").toLowerCase();
      assertEquals(names.get(i), snake);
      Dataset<?> d = (Dataset<?>) components[i].getAccessor().invoke(model);
      assertEquals(documented.get(names.get(i)), List.of(d.columns()), names.get(i));
    }
  }

  private Map<String, Row> patientsByName() {
    Map<String, Row> out = new HashMap<>();
    List<Row> rows = model.patients().collectAsList();
    for (Map.Entry<String, String> e : nhsByName.entrySet()) {
      String id = P.patientId(e.getValue());
      out.put(e.getKey(), rows.stream().filter(r -> id.equals(r.getAs("patient_id"))).findFirst().orElseThrow());
    }
    return out;
  }

  @Test
  void patientDerivationsMatchHandWorkedValues() {
    Map<String, Row> p = patientsByName();
    assertEquals(9, model.patients().count());
    // hand-worked at run date 2026-11-25
    Map<String, Object[]> want = Map.of(
        // age, age_band_5, esp_age_band, registered, imd_decile, imd_quintile, ethnicity_group, opted_out
        "p1", new Object[] {76, "75_79", "75-79", true, 1, 1, "White", false},
        "p2", new Object[] {2, "0_4", "0-4", true, 10, 5, "Asian", false},
        "p3", new Object[] {96, "95+", "90+", true, 7, 4, "Black", false},
        "p4", new Object[] {89, "85_89", "85-89", true, 2, 1, "Mixed", false},
        "p5", new Object[] {56, "55_59", "55-59", false, null, null, "Unknown", false},
        "p6", new Object[] {40, "40_44", "40-44", true, 1, 1, "Other", true},
        "p7", new Object[] {2, "0_4", "0-4", false, 1, 1, "Not stated", false},
        "p8", new Object[] {3, "0_4", "0-4", false, 1, 1, "White", false},
        "p9", new Object[] {25, "25_29", "25-29", false, 7, 4, "White", false});
    for (Map.Entry<String, Object[]> e : want.entrySet()) {
      Row r = p.get(e.getKey());
      Object[] w = e.getValue();
      String who = e.getKey();
      assertEquals(w[0], r.getAs("age"), who);
      assertEquals(w[1], r.getAs("age_band_5"), who);
      assertEquals(w[2], r.getAs("esp_age_band"), who);
      assertEquals(w[3], r.getAs("registered"), who);
      assertEquals(w[4], r.getAs("imd_decile"), who);
      assertEquals(w[5], r.getAs("imd_quintile"), who);
      assertEquals(w[6], r.getAs("ethnicity_group"), who);
      assertEquals(w[7], r.getAs("opted_out"), who);
    }
    // independent recomputation of age with java.time.Period (at death when dead)
    for (String[] row : PATIENTS) {
      LocalDate dob = LocalDate.parse(row[1]);
      LocalDate at = row[8].isEmpty() ? RUN : LocalDate.parse(row[8]);
      assertEquals(Period.between(dob, at).getYears(), (int) p.get(row[0]).getAs("age"), row[0]);
    }
    Row p1 = p.get("p1");
    assertEquals("U12345", p1.getAs("pcn_code"));
    assertEquals("ICP1", p1.getAs("icp_code"));
    assertEquals("QT1", p1.getAs("ics_code"));
    assertEquals("ICP2", p.get("p2").getAs("icp_code"));
    assertEquals(java.sql.Date.valueOf("2023-02-28"), p.get("p7").getAs("death_date"));
    assertNull(p.get("p5").getAs("lsoa_code"));
  }

  @Test
  void dimensionsAndListSizes() {
    Map<String, Integer> quintiles = new HashMap<>();
    model.imd().collectAsList().forEach(r -> quintiles.put(r.getAs("lsoa_code"), r.getAs("imd_quintile")));
    assertEquals(Map.of("E01000001", 1, "E01000002", 4, "E01000003", 1, "E01000004", 5), quintiles);
    List<Row> ls = model.listSizes().orderBy("sex").collectAsList();
    assertEquals("F", ls.get(0).getAs("sex"));
    assertEquals("95+", ls.get(0).getAs("age_band_5"));
    assertEquals(7, (int) ls.get(0).getAs("patients"));
    assertEquals("M", ls.get(1).getAs("sex"));
    assertEquals("C84001", ls.get(1).getAs("practice_code"));
    assertEquals(java.sql.Date.valueOf("2026-11-01"), ls.get(1).getAs("extract_date"));
    assertEquals(2, model.practices().count());
  }

  @Test
  void secondaryCareDerivations() {
    Row ae = model.ae().first();
    assertEquals(270, (int) ae.getAs("minutes_in_department")); // 4 h 30 min 30 s → 270 whole minutes
    Map<String, Row> spells = new HashMap<>();
    model.spells().collectAsList().forEach(r -> spells.put(r.getAs("spell_id"), r));
    assertEquals(true, spells.get("S1").getAs("is_emergency"));
    assertEquals(false, spells.get("S1").getAs("is_elective"));
    assertEquals(4, (int) spells.get("S1").getAs("length_of_stay_days"));
    assertEquals(true, spells.get("S2").getAs("is_elective"));
    assertEquals(0, (int) spells.get("S2").getAs("length_of_stay_days"));
    assertEquals(false, spells.get("S3").getAs("is_emergency"));
    assertEquals(false, spells.get("S3").getAs("is_elective"));
    assertNull(spells.get("S3").getAs("length_of_stay_days"));
    Map<String, Integer> weeks = new HashMap<>();
    model.rtt().collectAsList().forEach(r -> weeks.put(r.getAs("pathway_id"), r.getAs("weeks_waiting")));
    assertEquals(Map.of("R1", 13, "R2", 12), weeks); // 91 days → 13 weeks, 90 days → 12
    assertEquals(0, (int) model.diagnostics().first().getAs("weeks_waiting"));
    String p1 = P.patientId(nhsByName.get("p1"));
    for (Dataset<Row> d : List.of(model.events(), model.ae(), model.spells(), model.outpatients(), model.rtt(),
        model.diagnostics(), model.cancer(), model.iapt())) {
      assertTrue(d.count() > 0);
      assertEquals(List.of(p1), d.select("patient_id").distinct().collectAsList().stream()
          .map(r -> r.getString(0)).toList());
    }
    assertFalse(model.patients().schema().apply("registered").nullable() && model.patients()
        .where("registered is null").count() > 0);
  }
}
