package org.phm.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded fuzzing: valid gp_patients rows are mutated at random (fields dropped, added, swapped, emptied,
 * quotes, line breaks, invalid UTF-8, junk). Ingest must not throw, counts must reconcile, every accepted row
 * must satisfy the contract (checked here in plain Java) and no clear NHS number may reach the outputs.
 */
class IngestFuzzTest {
  @TempDir Path in;

  private static final String[] JUNK = {"\"", "\"\"", ",", "\n", "\r\n", "\uFEFF", "é", "  ", "NULL", "-1",
      "9999-99-99", "2021-02-31", "1e400", "\t", ";", "|", "x".repeat(300)};

  private static String mutate(String line, Random rnd) {
    List<String> f = new ArrayList<>(Arrays.asList(line.split(",", -1)));
    int i = rnd.nextInt(f.size());
    switch (rnd.nextInt(9)) {
      case 0 -> f.remove(i);
      case 1 -> f.add(i, JUNK[rnd.nextInt(JUNK.length)]);
      case 2 -> f.set(i, "");
      case 3 -> f.set(i, f.get(i) + JUNK[rnd.nextInt(JUNK.length)]);
      case 4 -> java.util.Collections.swap(f, i, rnd.nextInt(f.size()));
      case 5 -> f.set(i, String.valueOf(rnd.nextLong()));
      case 6 -> f.set(i, "\"" + f.get(i) + "\"");
      case 7 -> f.set(i, f.get(i).toLowerCase() + " ");
      default -> f.set(i, new StringBuilder(f.get(i)).reverse().toString());
    }
    return String.join(",", f);
  }

  @Test
  void mutatedRowsNeverEscapeAndCountsReconcile() throws Exception {
    Random rnd = new Random(20261125L);
    TestExtracts.writeDimensions(in);
    List<String> nhs = new ArrayList<>();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write((TestExtracts.PATIENTS_HEADER + "\n").getBytes(StandardCharsets.UTF_8));
    long deadline = System.nanoTime() + 2_000_000_000L;
    for (int i = 0; i < 400 && System.nanoTime() < deadline; i++) {
      String n = TestExtracts.nhs(1000 + i);
      nhs.add(n);
      String line = n + "," + (1930 + rnd.nextInt(90)) + "-0" + (1 + rnd.nextInt(9)) + "-1" + rnd.nextInt(10) + ","
          + "MFIU".charAt(rnd.nextInt(4)) + ",White,C8400" + (1 + rnd.nextInt(2)) + ",E0100000" + (1 + rnd.nextInt(2))
          + ",2015-01-01,,";
      int mutations = rnd.nextInt(3);
      for (int m = 0; m < mutations; m++) {
        line = mutate(line, rnd);
      }
      byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
      if (rnd.nextInt(25) == 0) {
        bytes[rnd.nextInt(bytes.length)] = (byte) (0x80 + rnd.nextInt(0x7f)); // invalid UTF-8
      }
      out.write(bytes);
      if (rnd.nextInt(40) != 0) {
        out.write('\n');
      } else {
        out.write(bytes); // a run-on line
        out.write('\n');
      }
    }
    TestExtracts.writeBytes(in.resolve("gp_patients.csv"), out.toByteArray());

    IngestResult r = TestExtracts.ingest(in, in.resolve("staging"), "practices", "imd_lsoa", "gp_patients");
    InputFileInfo info = TestExtracts.info(r, "gp_patients");
    assertTrue(info.rowsIn() > 100, "rows in " + info.rowsIn());
    assertTrue(info.rowsAccepted() > 0 && info.rowsQuarantined() > 0, info.toString());
    assertEquals(info.rowsIn(), info.rowsAccepted() + info.rowsQuarantined());
    assertEquals(info.rowsAccepted(), r.accepted("gp_patients").count());
    List<Row> q = TestExtracts.quarantine(r, "gp_patients.csv");
    assertEquals(info.rowsQuarantined(), q.size());
    // record numbers are distinct and within 1..rows_in
    assertEquals(q.size(), q.stream().map(x -> x.getLong(1)).distinct().count());
    assertTrue(q.stream().allMatch(x -> x.getLong(1) >= 1 && x.getLong(1) <= info.rowsIn()));

    // every accepted row satisfies the contract, checked independently
    Set<String> sexes = Set.of("M", "F", "I", "U");
    Set<String> patientIds = new java.util.HashSet<>();
    for (Row a : r.accepted("gp_patients").collectAsList()) {
      assertTrue(((String) a.getAs("patient_id")).matches("[0-9a-f]{64}"));
      assertTrue(patientIds.add(a.getAs("patient_id")), "duplicate key accepted");
      assertTrue(sexes.contains((String) a.getAs("sex")), a.toString());
      assertTrue(Set.of("C84001", "C84002").contains((String) a.getAs("practice_code")), a.toString());
      java.sql.Date dob = a.getAs("date_of_birth");
      assertTrue(dob != null && !dob.toLocalDate().isAfter(TestExtracts.RUN_DATE)
          && !dob.toLocalDate().isBefore(java.time.LocalDate.of(1900, 1, 1)), a.toString());
      java.sql.Date start = a.getAs("registration_start");
      assertTrue(start != null && !start.before(dob), a.toString());
    }
    // no clear NHS number anywhere in the data-quality outputs
    for (var t : r.dataQuality()) {
      for (Row row : t.data().collectAsList()) {
        String text = row.toString();
        for (String n : nhs) {
          int at = text.indexOf(n);
          while (at >= 0) {
            boolean inHex = (at > 0 && Character.isLetterOrDigit(text.charAt(at - 1)))
                || (at + 10 < text.length() && Character.isLetterOrDigit(text.charAt(at + 10)));
            assertTrue(inHex, "clear NHS number in " + t.name());
            at = text.indexOf(n, at + 1);
          }
        }
      }
    }
    assertFalse(nhs.isEmpty());
  }
}
