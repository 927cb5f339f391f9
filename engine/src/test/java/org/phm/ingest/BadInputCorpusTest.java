package org.phm.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.phm.ingest.TestExtracts.nhs;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.phm.pack.PackTable;
import org.phm.pack.Sensitivity;

/**
 * One ingest run over a corpus of deliberately bad extracts. Every data row states the reason it must be
 * quarantined with (or null = accepted); the test checks each row's reason, the per-file counts and their
 * reconciliation, the warnings, and that no clear NHS number reaches any output.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputCorpusTest {
  private IngestResult result;
  /** Every NHS-number-like string written to the input (valid or not). */
  private final Set<String> clearNhsNumbers = new HashSet<>();
  /** file → record number → expected reason (null = accepted). */
  private final Map<String, Map<Long, String>> expected = new LinkedHashMap<>();

  private record Case(String line, String reason) {}

  private static Case ok(String line) {
    return new Case(line, null);
  }

  private static Case bad(String reason, String line) {
    return new Case(line, reason);
  }

  private String track(String nhsNumber) {
    clearNhsNumbers.add(nhsNumber);
    clearNhsNumbers.add(nhsNumber.replaceAll("[ -]", ""));
    return nhsNumber;
  }

  private byte[] csv(String file, String header, List<Case> cases, boolean finalNewline) {
    Map<Long, String> e = new TreeMap<>();
    long n = 0;
    StringBuilder b = new StringBuilder(header).append('\n');
    for (int i = 0; i < cases.size(); i++) {
      b.append(cases.get(i).line());
      if (finalNewline || i < cases.size() - 1) {
        b.append('\n');
      }
      e.put(++n, cases.get(i).reason());
    }
    expected.put(file, e);
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] crlf(byte[] lf) {
    return new String(lf, StandardCharsets.UTF_8).replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
  }

  @BeforeAll
  void ingestCorpus(@TempDir Path tmp) throws Exception {
    Path in = Files.createDirectories(tmp.resolve("in"));
    // practices: UTF-8 BOM, reordered header, an extra column, a quoted field with a comma and a newline,
    // doubled quotes, Latin-1 bytes, a duplicate and a conflicting duplicate
    String latin1 = "Caf\u0000 Practice"; // \u0000 is replaced by the Latin-1 byte 0xE9 below
    byte[] practices = csv("practices.csv",
        "\uFEFFpractice_name,practice_code,pcn_code,pcn_name,ccg_code,ccg_name,icp_code,icp_name,ics_code,ics_name,notes",
        List.of(
            ok("\"Alpha, Surgery\nUnit 2\",C84001,U12345,PCN A,52R,Notts CCG,ICP1,Mid Notts,QT1,Notts ICS,ok"),
            ok(latin1 + ",C84002,U12346,PCN B,,,ICP2,City,QT1,Notts ICS,"),
            bad("INVALID_FORMAT", "Gamma,c84003,U12347,PCN C,,,ICP2,City,QT1,Notts ICS,"),
            bad("DUPLICATE", latin1 + ",C84002,U12346,PCN B,,,ICP2,City,QT1,Notts ICS,"),
            ok("\"Delta \"\"Old\"\" Surgery\",C84004,U12348,PCN D,,,ICP1,Mid Notts,QT1,Notts ICS,"),
            bad("CONFLICTING_DUPLICATE", "Epsilon,C84005,U12349,PCN E,,,ICP1,Mid Notts,QT1,Notts ICS,x"),
            bad("CONFLICTING_DUPLICATE", "Epsilon Two,C84005,U12349,PCN E,,,ICP1,Mid Notts,QT1,Notts ICS,x"),
            // the same text in a different nullable column is different content (the row hash covers the null pattern)
            bad("CONFLICTING_DUPLICATE", "Eta,C84007,U12350,PCN G,52R,,ICP1,Mid Notts,QT1,Notts ICS,"),
            bad("CONFLICTING_DUPLICATE", "Eta,C84007,U12350,PCN G,,52R,ICP1,Mid Notts,QT1,Notts ICS,"),
            bad("MISSING_REQUIRED", "Zeta,C84006,,PCN F,,,ICP1,Mid Notts,QT1,Notts ICS,")),
        true);
    ByteArrayOutputStream p = new ByteArrayOutputStream();
    for (byte x : practices) {
      p.write(x == 0 ? (byte) 0xE9 : x);
    }
    TestExtracts.writeBytes(in.resolve("practices.csv"), p.toByteArray());

    // imd_lsoa: gzip-compressed
    TestExtracts.writeGzip(in.resolve("imd_lsoa.csv.gz"), new String(csv("imd_lsoa.csv.gz", TestExtracts.IMD_HEADER,
        List.of(
            ok("E01000001,One,Nottingham,45.2,1000,1"),
            ok("E01000002,Two,Gedling,12.5,20000,7"),
            bad("INVALID_NUMBER", "E01000003,Three,Gedling,abc,100,3"),
            bad("OUT_OF_RANGE", "E01000004,Four,Gedling,10,100,11"),
            bad("INVALID_NUMBER", "E01000005,Five,Gedling,10,100,1.5"),
            ok("E01000006,,,1e1,,2"),
            bad("INVALID_FORMAT", "X01000007,Seven,Gedling,10,100,2")), true), StandardCharsets.UTF_8));

    // gp_patients: field faults of every kind; the last line is truncated (no newline, missing fields)
    List<Case> patients = new ArrayList<>();
    String[] valid = new String[8];
    for (int i = 0; i < valid.length; i++) {
      valid[i] = track(nhs(100 + i));
      patients.add(ok(valid[i] + ",1950-06-15,F,White,C84001,E01000001,2000-01-01,,"));
    }
    patients.add(ok(track(nhs(17).substring(0, 3) + " " + nhs(17).substring(3, 6) + " " + nhs(17).substring(6))
        + ",1980-02-29,M,,C84004,E01000006,2001-01-01,,"));
    patients.add(ok(track(nhs(18)) + ",1940-01-01,U,Not stated,C84002,,1990-01-01,2020-01-01,2021-03-01"));
    patients.add(bad("INVALID_DATE", track(nhs(2)) + ",2021-02-31,F,,C84001,,2022-01-01,,"));
    patients.add(bad("IMPLAUSIBLE_DATE", track(nhs(3)) + ",2030-01-01,F,,C84001,,2000-01-01,,"));
    patients.add(bad("IMPLAUSIBLE_DATE", track(nhs(4)) + ",1890-01-01,F,,C84001,,2000-01-01,,"));
    patients.add(bad("IMPLAUSIBLE_VALUE", track(nhs(5)) + ",1905-01-01,F,,C84001,,1990-01-01,,"));
    patients.add(bad("INVALID_NHS_NUMBER", track("1234567890") + ",1950-01-01,F,,C84001,,2000-01-01,,"));
    patients.add(bad("INVALID_NHS_NUMBER", track("123456789") + ",1950-01-01,F,,C84001,,2000-01-01,,"));
    patients.add(bad("INVALID_NHS_NUMBER", track("2222222222") + ",1950-01-01,F,,C84001,,2000-01-01,,"));
    patients.add(bad("MISSING_REQUIRED", ",1950-01-01,F,,C84001,,2000-01-01,,"));
    patients.add(bad("UNKNOWN_REFERENCE", track(nhs(9)) + ",1950-01-01,F,,C99999,,2000-01-01,,"));
    patients.add(bad("UNKNOWN_REFERENCE", track(nhs(10)) + ",1950-01-01,F,,C84001,E01099999,2000-01-01,,"));
    patients.add(bad("UNKNOWN_REFERENCE", track(nhs(11)) + ",1950-01-01,F,,C84001,E01000004,2000-01-01,,"));
    patients.add(bad("UNKNOWN_REFERENCE", track(nhs(29)) + ",1950-01-01,F,,C84005,,2000-01-01,,"));
    patients.add(bad("INVALID_VALUE", track(nhs(12)) + ",1950-01-01,X,,C84001,,2000-01-01,,"));
    patients.add(bad("MISSING_REQUIRED", track(nhs(13)) + ",1950-01-01,,,C84001,,2000-01-01,,"));
    patients.add(bad("DATE_ORDER", track(nhs(14)) + ",1950-01-01,F,,C84001,,2000-01-01,,1940-01-01"));
    patients.add(bad("CONFLICTING_DUPLICATE", track(nhs(15)) + ",1950-01-01,F,,C84001,,2000-01-01,,"));
    patients.add(bad("CONFLICTING_DUPLICATE", track(nhs(15)) + ",1950-01-01,M,,C84001,,2000-01-01,,"));
    patients.add(bad("DUPLICATE", valid[0] + ",1950-06-15,F,White,C84001,E01000001,2000-01-01,,"));
    patients.add(bad("INVALID_VALUE", track(nhs(16)) + ",1950-01-01,F,Chinese,C84001,,2000-01-01,,"));
    patients.add(bad("DATE_ORDER", track(nhs(19)) + ",1950-01-01,F,,C84001,,2000-01-01,1999-01-01,"));
    patients.add(bad("IMPLAUSIBLE_DATE", track(nhs(21)) + ",1950-01-01,F,,C84001,,2000-01-01,,2099-01-01"));
    patients.add(bad("MALFORMED_ROW", track(nhs(20)) + ",1950-01-01,F"));
    TestExtracts.writeBytes(in.resolve("gp_patients.csv"),
        csv("gp_patients.csv", TestExtracts.PATIENTS_HEADER, patients, false));

    String v = valid[0];
    TestExtracts.writeBytes(in.resolve("gp_events.csv"), csv("gp_events.csv",
        "nhs_number,event_date,event_type,code,value,unit", List.of(
            ok(v + ",2024-01-01,DIAGNOSIS,38341003,,"),
            ok(v + ",2024-01-01,OBSERVATION,60621009,27.5,kg/m2"),
            ok(v + ",2024-02-01,DIAGNOSIS,999999999,,"),
            bad("UNKNOWN_REFERENCE", nhs(2) + ",2024-01-01,DIAGNOSIS,38341003,,"),
            bad("INVALID_NUMBER", v + ",2024-01-01,OBSERVATION,60621009,abc,kg/m2"),
            bad("INVALID_NUMBER", v + ",2024-01-01,OBSERVATION,60621009,NaN,kg/m2"),
            bad("IMPLAUSIBLE_DATE", v + ",2027-01-01,DIAGNOSIS,38341003,,"),
            ok(v + ",2024-01-01,DIAGNOSIS,38341003,,"),
            bad("MALFORMED_ROW", v + ",2024-01-01,DIAGNOSIS,38341003,,,extra"),
            bad("INVALID_FORMAT", v + ",2024-01-01,DIAGNOSIS,38 341,,")), true));

    String unlinked = track(nhs(777));
    // inpatient_spells: Windows (CRLF) line endings
    TestExtracts.writeBytes(in.resolve("inpatient_spells.csv"), crlf(csv("inpatient_spells.csv",
        "spell_id,nhs_number,provider_code,admission_date,discharge_date,admission_method,primary_diagnosis,discharge_method",
        List.of(
            ok("S1," + v + ",RX1,2024-01-01,2024-01-05,21,J44.1,1"),
            bad("DATE_ORDER", "S2," + v + ",RX1,2024-01-10,2024-01-05,11,J44.1,1"),
            ok("S3," + unlinked + ",RK5,2024-01-01,,12,I10,"),
            bad("INVALID_VALUE", "S4," + v + ",RX1,2024-01-01,,99,J44,1"),
            bad("INVALID_FORMAT", "S5," + v + ",RX1,2024-01-01,,21,44J,1")), true)));

    TestExtracts.writeBytes(in.resolve("ae_attendances.csv"), csv("ae_attendances.csv",
        "attendance_id,nhs_number,provider_code,department_type,arrival_time,decision_to_admit_time,departure_time,disposal",
        List.of(
            ok("A1," + v + ",RX1,1,2024-01-01T10:00:00,,2024-01-01 14:30:00,DISCHARGED"),
            bad("IMPLAUSIBLE_VALUE", "A2," + v + ",RX1,1,2024-01-01 10:00:00,,2024-01-20 10:00:00,ADMITTED"),
            bad("INVALID_VALUE", "A3," + v + ",RX1,5,2024-01-01 10:00:00,,,LEFT"),
            bad("INVALID_DATE", "A4," + v + ",RX1,1,2024-13-01 10:00:00,,,LEFT"),
            bad("DATE_ORDER", "A5," + v + ",RX1,1,2024-01-02 10:00:00,,2024-01-02 09:00:00,LEFT")), true));

    // list_sizes: header only → 0 rows, not an error
    TestExtracts.writeBytes(in.resolve("list_sizes.csv"),
        csv("list_sizes.csv", "EXTRACT_DATE,ORG_CODE,SEX,AGE_GROUP_5,NUMBER_OF_PATIENTS", List.of(), true));

    String spaced = nhs(100).substring(0, 3) + "-" + nhs(100).substring(3, 6) + "-" + nhs(100).substring(6);
    TestExtracts.writeBytes(in.resolve("national_opt_out.csv"), csv("national_opt_out.csv", "nhs_number", List.of(
        ok(v),
        bad("INVALID_NHS_NUMBER", "0000000000"),
        ok(track(nhs(888))),
        bad("DUPLICATE", track(spaced))), true));
    clearNhsNumbers.add("0000000000");

    result = TestExtracts.ingest(in, tmp.resolve("staging"), "practices", "imd_lsoa", "list_sizes", "gp_patients",
        "gp_events", "inpatient_spells", "ae_attendances", "national_opt_out");
  }

  @Test
  void everyRowGetsItsExpectedReason() {
    for (Map.Entry<String, Map<Long, String>> f : expected.entrySet()) {
      Map<Long, String> want = new TreeMap<>();
      f.getValue().forEach((row, reason) -> {
        if (reason != null) {
          want.put(row, reason);
        }
      });
      assertEquals(want, new TreeMap<>(TestExtracts.reasons(result, f.getKey())), f.getKey());
    }
  }

  @Test
  void countsReconcileExactlyForEveryFile() {
    assertEquals(expected.keySet(), new HashSet<>(result.inputs().stream().map(InputFileInfo::file).toList()));
    for (InputFileInfo info : result.inputs()) {
      Map<Long, String> e = expected.get(info.file());
      long quarantined = e.values().stream().filter(r -> r != null).count();
      assertEquals(e.size(), info.rowsIn(), info.file());
      assertEquals(quarantined, info.rowsQuarantined(), info.file());
      assertEquals(e.size() - quarantined, info.rowsAccepted(), info.file());
      assertEquals(info.rowsIn(), info.rowsAccepted() + info.rowsQuarantined());
      // independent recount of the two outputs
      assertEquals(info.rowsAccepted(), result.accepted(info.contract()).count(), info.file());
      assertEquals(info.rowsQuarantined(), TestExtracts.quarantine(result, info.file()).size(), info.file());
      assertEquals(64, info.sha256().length());
      assertTrue(info.bytes() > 0);
    }
    assertEquals(0, TestExtracts.info(result, "list_sizes").rowsIn());
    // the summary table carries the same numbers
    for (Row r : result.dataQualityTable("dq_file_summary").data().collectAsList()) {
      InputFileInfo info = TestExtracts.info(result, r.getAs("contract"));
      assertEquals(info.rowsIn(), (long) r.getAs("rows_in"));
      assertEquals(info.rowsAccepted(), (long) r.getAs("rows_accepted"));
      assertEquals(info.rowsQuarantined(), (long) r.getAs("rows_quarantined"));
      assertEquals(info.sha256(), r.getAs("sha256"));
    }
    // reason counts add up to the quarantined rows
    for (InputFileInfo info : result.inputs()) {
      long sum = result.dataQualityTable("dq_reason_counts").data()
          .where("file = '" + info.file() + "' and severity = 'QUARANTINE'").collectAsList().stream()
          .mapToLong(r -> r.getLong(3)).sum();
      assertEquals(info.rowsQuarantined(), sum, info.file());
    }
  }

  private long warning(String file, String code) {
    return result.dataQualityTable("dq_reason_counts").data()
        .where("file = '" + file + "' and reason_code = '" + code + "' and severity = 'WARNING'")
        .collectAsList().stream().mapToLong(r -> r.getLong(3)).sum();
  }

  @Test
  void warningsAreCountedButRowsKept() {
    assertEquals(1, warning("gp_events.csv", ReasonCodes.UNMAPPED_CODE));
    assertEquals(1, warning("inpatient_spells.csv", ReasonCodes.UNLINKED_PATIENT));
    assertEquals(1, warning("national_opt_out.csv", ReasonCodes.UNLINKED_PATIENT));
    assertEquals(0, warning("gp_events.csv", ReasonCodes.UNLINKED_PATIENT)); // enforced as a reference instead
    assertEquals(2, warning("practices.csv", ReasonCodes.ENCODING_REPLACED));
    assertEquals(0, warning("gp_patients.csv", ReasonCodes.ENCODING_REPLACED));
    Row summary = result.dataQualityTable("dq_file_summary").data().where("contract = 'practices'").first();
    assertEquals("notes", summary.getAs("extra_columns"));
  }

  @Test
  void acceptedRowsAreTypedAndPseudonymised() {
    List<Row> practices = result.accepted("practices").orderBy("practice_code").collectAsList();
    assertEquals(List.of("Alpha, Surgery\nUnit 2", "Caf\uFFFD Practice", "Delta \"Old\" Surgery"),
        practices.stream().map(r -> (String) r.getAs("practice_name")).toList());
    assertEquals(List.of("practice_code", "practice_name", "pcn_code", "pcn_name", "ccg_code", "ccg_name", "icp_code",
        "icp_name", "ics_code", "ics_name"), List.of(result.accepted("practices").columns()));
    Row spaced = result.accepted("gp_patients").where("date_of_birth = date'1980-02-29'").first();
    assertEquals(TestExtracts.PSEUDONYMISER.patientId(nhs(17)), spaced.getAs("patient_id"));
    assertEquals("org.apache.spark.sql.types.DateType$", result.accepted("gp_patients").schema()
        .apply("date_of_birth").dataType().getClass().getName());
    Row imd = result.accepted("imd_lsoa").where("lsoa_code = 'E01000006'").first();
    assertEquals(10.0, (double) imd.getAs("imd_score"));
    assertEquals(2, (int) imd.getAs("imd_decile"));
    Row ae = result.accepted("ae_attendances").first();
    assertEquals(java.sql.Timestamp.valueOf("2024-01-01 10:00:00"), ae.getAs("arrival_time"));
    assertEquals(List.of("patient_id"), List.of(result.accepted("national_opt_out").columns()));
    // CRLF line endings: the carriage return does not leak into the last field
    assertEquals(List.of("1", ""), result.accepted("inpatient_spells").orderBy("spell_id").collectAsList().stream()
        .map(r -> r.isNullAt(7) ? "" : r.getString(7)).toList());
  }

  @Test
  void quarantineRecordsNameTheColumnAndDetail() {
    Map<Long, Row> q = new TreeMap<>();
    TestExtracts.quarantine(result, "gp_patients.csv").forEach(r -> q.put(r.getLong(1), r));
    Row invalidDate = q.get(11L);
    assertEquals("date_of_birth", invalidDate.getAs("column"));
    assertTrue(((String) invalidDate.getAs("detail")).contains("'2021-02-31'"));
    Row checkDigit = q.get(15L);
    assertEquals("modulus-11 check digit fails", checkDigit.getAs("detail"));
    assertEquals("not 10 digits", q.get(16L).getAs("detail"));
    assertEquals("placeholder (one repeated digit)", q.get(17L).getAs("detail"));
    assertEquals("practice_code", q.get(19L).getAs("column"));
    assertTrue(((String) q.get(19L).getAs("detail")).contains("'C99999' not found in practices.practice_code"));
    // a pseudonymised NHS number replaces the clear one in the record
    assertTrue(((String) q.get(11L).getAs("record")).startsWith(TestExtracts.PSEUDONYMISER.patientId(nhs(2)) + ","));
    Row dup = TestExtracts.quarantine(result, "gp_patients.csv").stream()
        .filter(r -> "DUPLICATE".equals(r.getAs("reason_code"))).findFirst().orElseThrow();
    assertEquals("exact copy of row 1", dup.getAs("detail"));
    // duplicates are found after staging; their records come from the file read again for the marked rows only,
    // from a plain file (split read) and from a quoted multi-line one (read whole)
    assertEquals(TestExtracts.PSEUDONYMISER.patientId(nhs(100)) + ",1950-06-15,F,White,C84001,E01000001,2000-01-01,,",
        dup.getAs("record"));
    List<Row> practiceDuplicates = TestExtracts.quarantine(result, "practices.csv").stream()
        .filter(r -> ((String) r.getAs("reason_code")).endsWith("DUPLICATE")).toList();
    assertEquals(List.of(4L, 6L, 7L, 8L, 9L), practiceDuplicates.stream().map(r -> r.getLong(1)).toList());
    assertEquals("exact copy of row 2", practiceDuplicates.get(0).getAs("detail"));
    assertEquals("Caf\uFFFD Practice,C84002,U12346,PCN B,,,ICP2,City,QT1,Notts ICS,",
        practiceDuplicates.get(0).getAs("record"));
    assertEquals("2 rows share the key (practice_code) with different content",
        practiceDuplicates.get(1).getAs("detail"));
    assertEquals("Epsilon Two,C84005,U12349,PCN E,,,ICP1,Mid Notts,QT1,Notts ICS,x",
        practiceDuplicates.get(2).getAs("record"));
    Row malformed = TestExtracts.quarantine(result, "gp_events.csv").stream()
        .filter(r -> "MALFORMED_ROW".equals(r.getAs("reason_code"))).findFirst().orElseThrow();
    assertEquals(9L, malformed.getLong(1));
    Row rule = TestExtracts.quarantine(result, "inpatient_spells.csv").get(0);
    assertEquals("discharge_date", rule.getAs("column"));
    assertTrue(((String) rule.getAs("detail")).contains("discharge_date >= admission_date"));
  }

  @Test
  void noClearNhsNumberInAnyOutput() {
    assertTrue(clearNhsNumbers.size() > 30);
    List<String> texts = new ArrayList<>();
    for (PackTable t : result.dataQuality()) {
      assertEquals(Sensitivity.DATA_QUALITY, t.sensitivity());
      for (Row r : t.data().collectAsList()) {
        texts.add(r.toString());
      }
    }
    for (String c : result.accepted().keySet()) {
      for (Row r : result.accepted(c).collectAsList()) {
        texts.add(r.toString());
      }
    }
    for (String text : texts) {
      String digitsOnly = text.replaceAll("[ -]", "");
      for (String n : clearNhsNumbers) {
        assertFalse(text.contains(n) || digitsOnly.contains(n.replaceAll("[ -]", "")) && containsAsNumber(digitsOnly, n),
            "clear NHS number found in output: " + text.replace(n, "<HERE>"));
      }
    }
  }

  /** Whether {@code n} (digits) appears in {@code text} not as part of a longer digit or hex run. */
  private static boolean containsAsNumber(String text, String n) {
    String digits = n.replaceAll("[ -]", "");
    int i = text.indexOf(digits);
    while (i >= 0) {
      boolean before = i > 0 && Character.isLetterOrDigit(text.charAt(i - 1));
      boolean after = i + digits.length() < text.length() && Character.isLetterOrDigit(text.charAt(i + digits.length()));
      if (!before && !after) {
        return true;
      }
      i = text.indexOf(digits, i + 1);
    }
    return false;
  }

  @Test
  void dataQualityTablesMatchTheDataDictionary() throws Exception {
    com.fasterxml.jackson.databind.JsonNode dict = new com.fasterxml.jackson.databind.ObjectMapper(
        new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readTree(
            getClass().getClassLoader().getResourceAsStream("dictionary/data_quality.yaml"));
    Map<String, List<String>> described = new LinkedHashMap<>();
    for (com.fasterxml.jackson.databind.JsonNode t : dict.get("tables")) {
      assertEquals("DATA_QUALITY", t.get("sensitivity").asText());
      List<String> cols = new ArrayList<>();
      t.get("columns").forEach(c -> cols.add(c.get("name").asText()));
      described.put(t.get("name").asText(), cols);
    }
    Map<String, List<String>> produced = new LinkedHashMap<>();
    for (PackTable t : result.dataQuality()) {
      produced.put(t.name(), List.of(t.data().columns()));
    }
    assertEquals(described, produced);
    // allowed values hold
    assertTrue(result.dataQualityTable("dq_reason_counts").data().where("severity not in ('QUARANTINE','WARNING')")
        .isEmpty());
  }
}
