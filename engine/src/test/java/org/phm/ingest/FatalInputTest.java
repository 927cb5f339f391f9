package org.phm.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fatal input problems stop the run with an InputException naming file, column, line and reason. */
class FatalInputTest {
  @TempDir Path in;

  private InputException fails(String... contracts) {
    return assertThrows(InputException.class, () -> TestExtracts.ingest(in, in.resolve("staging"), contracts));
  }

  @Test
  void missingRequiredFile() {
    TestExtracts.write(in, "practices.csv", TestExtracts.PRACTICES_HEADER, TestExtracts.PRACTICES);
    InputException e = fails("practices", "imd_lsoa");
    assertEquals("imd_lsoa.csv", e.file());
    assertNull(e.column());
    assertTrue(e.getMessage().contains("required file is missing"), e.getMessage());
    assertEquals(3, e.exitCode());
    assertEquals(3, InputException.EXIT_INPUT);
  }

  @Test
  void emptyFileAndEmptyGzip() {
    TestExtracts.writeText(in.resolve("practices.csv"), "");
    InputException e = fails("practices");
    assertEquals("practices.csv", e.file());
    assertTrue(e.getMessage().contains("file is empty (0 bytes)"), e.getMessage());
    TestExtracts.writeGzip(in.resolve("imd_lsoa.csv.gz"), "");
    TestExtracts.write(in, "practices.csv", TestExtracts.PRACTICES_HEADER, TestExtracts.PRACTICES);
    e = fails("practices", "imd_lsoa");
    assertEquals("imd_lsoa.csv.gz", e.file());
    assertTrue(e.getMessage().contains("empty after decompression"), e.getMessage());
  }

  @Test
  void headerMissingARequiredColumnNamesIt() {
    TestExtracts.write(in, "practices.csv", TestExtracts.PRACTICES_HEADER.replace(",pcn_name", ""),
        List.of("C84001,Alpha,U12345,52R,Notts CCG,ICP1,Mid Notts,QT1,Notts ICS"));
    InputException e = fails("practices");
    assertEquals("practices.csv", e.file());
    assertEquals("pcn_name", e.column());
    assertEquals(1L, e.row());
    assertTrue(e.getMessage().contains("missing required column 'pcn_name'"), e.getMessage());
    assertTrue(e.getMessage().startsWith("input file practices.csv, line 1, column 'pcn_name'"), e.getMessage());
  }

  @Test
  void missingOptionalColumnIsReportedNotFatal() throws Exception {
    TestExtracts.write(in, "practices.csv", TestExtracts.PRACTICES_HEADER.replace(",ccg_code,ccg_name", ""),
        List.of("C84001,Alpha,U12345,PCN A,ICP1,Mid Notts,QT1,Notts ICS"));
    IngestResult r = TestExtracts.ingest(in, in.resolve("staging"), "practices");
    assertEquals(1, TestExtracts.info(r, "practices").rowsAccepted());
    assertEquals("ccg_code,ccg_name", r.dataQualityTable("dq_file_summary").data().first().getAs("missing_optional_columns"));
    assertTrue(r.accepted("practices").first().isNullAt(4));
    assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(in.resolve("staging"))));
  }

  @Test
  void wrongDelimiters() {
    for (String d : List.of(";", "\t", "|")) {
      TestExtracts.write(in, "practices.csv", TestExtracts.PRACTICES_HEADER.replace(",", d),
          List.of(TestExtracts.PRACTICES.get(1).replace(",", d)));
      InputException e = fails("practices");
      assertEquals(1L, e.row());
      assertTrue(e.getMessage().contains("wrong delimiter") && e.getMessage().contains("comma-delimited"),
          e.getMessage());
    }
  }

  @Test
  void duplicateHeaderColumn() {
    TestExtracts.write(in, "practices.csv", TestExtracts.PRACTICES_HEADER + ",PCN_CODE", List.of());
    InputException e = fails("practices");
    assertEquals("PCN_CODE", e.column());
    assertTrue(e.getMessage().contains("appears twice"), e.getMessage());
  }

  @Test
  void unreadableGzipNotGzipAtAll() {
    TestExtracts.writeText(in.resolve("practices.csv.gz"), TestExtracts.PRACTICES_HEADER + "\n");
    InputException e = fails("practices");
    assertEquals("practices.csv.gz", e.file());
    assertTrue(e.getMessage().contains("unreadable gzip"), e.getMessage());
  }

  @Test
  void unreadableGzipTruncated() throws Exception {
    StringBuilder b = new StringBuilder(TestExtracts.PRACTICES_HEADER).append('\n');
    java.util.Random rnd = new java.util.Random(1);
    for (int i = 0; i < 3000; i++) {
      b.append(String.format("C%05d,Practice %d %d,U12345,PCN A,,,ICP1,Mid,QT1,ICS%n", i, i, rnd.nextLong()));
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(b.toString().getBytes(StandardCharsets.UTF_8));
    }
    byte[] all = bytes.toByteArray();
    Files.write(in.resolve("practices.csv.gz"), Arrays.copyOf(all, all.length / 2));
    InputException e = fails("practices");
    assertEquals("practices.csv.gz", e.file());
    assertTrue(e.getMessage().contains("unreadable gzip"), e.getMessage());
  }

  @Test
  void bothPlainAndGzipPresent() {
    TestExtracts.write(in, "practices.csv", TestExtracts.PRACTICES_HEADER, TestExtracts.PRACTICES);
    TestExtracts.writeGzip(in.resolve("practices.csv.gz"), TestExtracts.PRACTICES_HEADER + "\n");
    assertTrue(fails("practices").getMessage().contains("supply exactly one"));
  }

  @Test
  void fatalChecksRunBeforeAnySparkWork() {
    // the first file is fine, the last is missing: nothing is staged
    TestExtracts.write(in, "practices.csv", TestExtracts.PRACTICES_HEADER, TestExtracts.PRACTICES);
    fails("practices", "imd_lsoa");
    assertTrue(Files.notExists(in.resolve("staging")));
  }

  @Test
  void optionalFileMayBeAbsent() {
    TestExtracts.write(in, "practices.csv", TestExtracts.PRACTICES_HEADER, TestExtracts.PRACTICES.subList(1, 2));
    TestExtracts.write(in, "imd_lsoa.csv", TestExtracts.IMD_HEADER, TestExtracts.IMD);
    TestExtracts.write(in, "gp_patients.csv", TestExtracts.PATIENTS_HEADER, List.of());
    IngestResult r = TestExtracts.ingest(in, in.resolve("staging"), "practices", "imd_lsoa", "gp_patients",
        "national_opt_out");
    assertTrue(r.acceptedIfPresent("national_opt_out").isEmpty());
    assertEquals("ABSENT_OPTIONAL", r.dataQualityTable("dq_file_summary").data()
        .where("contract = 'national_opt_out'").first().getAs("status"));
    assertEquals(0, r.accepted("gp_patients").count());
  }
}
