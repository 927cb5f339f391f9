package org.phm.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phm.pack.Checksums;
import org.phm.spark.SharedSpark;

/**
 * Files read in many line splits (tiny split size) must number quarantined records exactly as a one-partition
 * read would: the expected record numbers are those of the rows made invalid on purpose.
 */
class SplitReadTest {

  @Test
  void recordNumbersAreExactAcrossManySplits(@TempDir Path dir) throws Exception {
    recordNumbersAreExact(dir, true);
  }

  /** The same for a file without quote characters, read by {@link PlainCsvSource}. */
  @Test
  void plainFileRecordNumbersAreExactAcrossManySplits(@TempDir Path dir) throws Exception {
    recordNumbersAreExact(dir, false);
  }

  private static void recordNumbersAreExact(Path dir, boolean quoted) throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    TestExtracts.writeDimensions(in);
    List<String> rows = new ArrayList<>();
    Map<Long, String> expected = new TreeMap<>();
    for (int i = 1; i <= 1500; i++) {
      if (i % 97 == 0) {
        rows.add("12345,1950-06-15,F,White,C84001,E01000001,2000-01-01,,"); // invalid NHS number
        expected.put((long) i, ReasonCodes.INVALID_NHS_NUMBER);
      } else if (i % 131 == 0) {
        rows.add(TestExtracts.nhs(i) + ",1950-13-45,F,White,C84001,E01000001,2000-01-01,,");
        expected.put((long) i, ReasonCodes.INVALID_DATE);
      } else if (i % 211 == 0) {
        rows.add(TestExtracts.nhs(i) + ",1950-06-15,F," + (quoted ? "\"White, British\"" : "White")
            + ",C84001,E01000001,2000-01-01,,,extra");
        expected.put((long) i, ReasonCodes.MALFORMED_ROW);
      } else {
        rows.add(TestExtracts.patient(TestExtracts.nhs(i)));
      }
    }
    TestExtracts.write(in, "gp_patients.csv", TestExtracts.PATIENTS_HEADER, rows);
    assertEquals(quoted, FileScan.scan(in.resolve("gp_patients.csv"), false, new long[] {0}).quoted());
    SparkSession spark = SharedSpark.get();
    String maxBytes = spark.conf().get("spark.sql.files.maxPartitionBytes");
    String openCost = spark.conf().get("spark.sql.files.openCostInBytes");
    IngestResult r;
    try {
      spark.conf().set("spark.sql.files.maxPartitionBytes", "4099"); // ~20 splits, boundaries mid-line
      spark.conf().set("spark.sql.files.openCostInBytes", "1");
      assertTrue(spark.read().text(in.resolve("gp_patients.csv").toString()).rdd().getNumPartitions() > 10);
      r = TestExtracts.ingest(in, dir.resolve("staging"), "practices", "imd_lsoa", "gp_patients");
      Map<Long, String> actual = new TreeMap<>(TestExtracts.reasons(r, "gp_patients.csv"));
      assertEquals(expected, actual);
    } finally {
      spark.conf().set("spark.sql.files.maxPartitionBytes", maxBytes);
      spark.conf().set("spark.sql.files.openCostInBytes", openCost);
    }
    InputFileInfo info = TestExtracts.info(r, "gp_patients");
    assertEquals(1500, info.rowsIn());
    assertEquals(1500 - expected.size(), info.rowsAccepted());
    assertEquals(Checksums.sha256(in.resolve("gp_patients.csv")), info.sha256());
  }

  /**
   * A plain file's encoding warnings come from the reader's per-line flag: a line with invalid UTF-8 (replaced) and
   * one holding U+FFFD itself are warned about and kept, as the CSV reader's per-field search would find them.
   */
  @Test
  void plainFileEncodingWarningsAreTheLinesHoldingTheReplacementCharacter(@TempDir Path dir) throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    TestExtracts.writeDimensions(in);
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    b.write((TestExtracts.IMD_HEADER + "\n" + TestExtracts.IMD.get(0) + "\n").getBytes(StandardCharsets.UTF_8));
    b.write("E01000002,LSOA t".getBytes(StandardCharsets.UTF_8));
    b.write(0xE9); // Latin-1, invalid UTF-8
    b.write(",Gedling,12.5,20000,7\nE01000003,LSOA \uFFFD three,Gedling,12.5,20000,7\n".getBytes(StandardCharsets.UTF_8));
    b.write("E01000004,LSOA caf\u00e9,Gedling,12.5,20000,7\n".getBytes(StandardCharsets.UTF_8));
    TestExtracts.writeBytes(in.resolve("imd_lsoa.csv"), b.toByteArray());
    assertFalse(FileScan.scan(in.resolve("imd_lsoa.csv"), false, new long[] {0}).quoted());
    IngestResult r = TestExtracts.ingest(in, dir.resolve("staging"), "practices", "imd_lsoa");
    assertEquals(4, TestExtracts.info(r, "imd_lsoa").rowsAccepted());
    List<org.apache.spark.sql.Row> warned = r.dataQualityTable("dq_reason_counts").data()
        .where("file = 'imd_lsoa.csv' and reason_code = '" + ReasonCodes.ENCODING_REPLACED + "'").collectAsList();
    assertEquals(1, warned.size());
    assertEquals(2L, warned.get(0).getLong(3));
  }

  @Test
  void scanDecidesSplittability(@TempDir Path dir) throws Exception {
    assertTrue(scan(dir, "h\na,b\nc,\"d,e\"\n").splittable());
    assertTrue(scan(dir, "h\na,b\nc,\"d,e\"\n").quoted());
    assertFalse(scan(dir, "h\na,b\nc,d\n").quoted(), "no quote character: fields are the comma-separated parts");
    assertEquals(3, scan(dir, "h\na,b\nc,d\n").lines());
    assertEquals(3, scan(dir, "h\r\na,b\r\nc,d").lines());
    assertFalse(scan(dir, "h\na,\"b\nc\"\n").splittable(), "quoted line break");
    assertFalse(scan(dir, "h\n\na,b\n").splittable(), "blank line");
    assertFalse(scan(dir, "h\n  \na,b\n").splittable(), "whitespace-only line");
    assertFalse(scan(dir, "h\ra,b\r").splittable(), "bare carriage returns");
    // a split at s reads the lines starting after s (a line starting exactly at s belongs to the split before)
    FileScan s = FileScan.scan(write(dir, "h\na,b\nc,d\n"), false, new long[] {0, 4, 6, 7});
    assertEquals(Map.of(0L, 0L, 4L, 2L, 6L, 3L, 7L, 3L), s.linesBefore());
  }

  private static FileScan scan(Path dir, String text) throws Exception {
    return FileScan.scan(write(dir, text), false, new long[] {0});
  }

  private static Path write(Path dir, String text) throws Exception {
    Path f = Files.createTempFile(dir, "scan", ".csv");
    Files.write(f, text.getBytes(StandardCharsets.UTF_8));
    return f;
  }
}
