package org.phm.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phm.query.FixturePack;
import org.phm.spark.SharedSpark;

/** {@code phm query}, {@code phm tables} and {@code phm describe} against a fixture pack. */
class QueryCommandTest {
  private static Path pack;

  @BeforeAll
  static void buildPack() {
    pack = FixturePack.shared(SharedSpark.get());
  }

  record Run(int exit, String out, String err) {}

  static synchronized Run phm(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = Phm.execute(args);
      return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  private static long expectedPcn(String pcn) {
    long s = 0;
    for (FixturePack.Practice p : FixturePack.practices()) {
      if (p.pcn().equals(pcn)) {
        for (int b = 0; b < p.male().length; b++) {
          s += p.male()[b] + p.female()[b];
        }
      }
    }
    return s;
  }

  @Test
  void tableCsvAndJsonOutput() {
    String sql = "SELECT pcn_code, sum(list_size) AS patients FROM org_hierarchy GROUP BY pcn_code ORDER BY pcn_code";
    Run t = phm("query", "--pack", pack.toString(), sql);
    assertEquals(0, t.exit(), t.err());
    String[] lines = t.out().split("\n");
    assertEquals("pcn_code | patients", lines[0].stripTrailing().replaceAll(" +\\|", " |").replaceAll("\\| +", "| "));
    assertTrue(lines[2].startsWith("U10001   | "), lines[2]);
    assertEquals(expectedPcn("U10001"), Long.parseLong(lines[2].split("\\|")[1].strip()));
    assertEquals("(4 rows)", lines[6]);

    Run limited = phm("query", "--pack", pack.toString(), "--max-rows", "2", sql);
    assertTrue(limited.out().contains("(2 rows; more rows not shown"), limited.out());

    Run csv = phm("query", "--pack", pack.toString(), "--format", "csv", sql);
    assertEquals(0, csv.exit(), csv.err());
    String[] rows = csv.out().split("\r\n");
    assertEquals("pcn_code,patients", rows[0]);
    assertEquals("U20002," + expectedPcn("U20002"), rows[4]);

    Run json = phm("query", "--pack", pack.toString(), "--format", "json", sql);
    assertEquals("{\"pcn_code\":\"U10002\",\"patients\":" + expectedPcn("U10002") + "}", json.out().split("\n")[1].strip());
  }

  @Test
  void arrowAndParquetFiles(@TempDir Path dir) throws Exception {
    Path arrow = dir.resolve("pop.arrow");
    Run r = phm("query", "--pack", pack.toString(), "--format", "arrow", "--out", arrow.toString(),
        "SELECT area_code, patients FROM registered_population WHERE level = 'PRACTICE' AND sex = 'ALL' AND age_band = 'ALL'");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.err().contains("wrote 12 rows"), r.err());
    try (var alloc = new RootAllocator();
         var ch = Files.newByteChannel(arrow);
         var reader = new ArrowFileReader(ch, alloc)) {
      long rows = 0;
      while (reader.loadNextBatch()) {
        rows += reader.getVectorSchemaRoot().getRowCount();
      }
      assertEquals(12, rows);
    }
    Run missingOut = phm("query", "--pack", pack.toString(), "--format", "parquet", "SELECT 1");
    assertEquals(2, missingOut.exit());
    assertTrue(missingOut.err().contains("needs --out"), missingOut.err());
    Path pq = dir.resolve("h.parquet");
    assertEquals(0, phm("query", "--pack", pack.toString(), "--format", "parquet", "--out", pq.toString(),
        "SELECT * FROM org_hierarchy").exit());
    assertEquals(12, SharedSpark.get().read().parquet(pq.toString()).count());
  }

  @Test
  void sqlErrorsAreShortWithPositionAndExitTwo() {
    Run r = phm("query", "--pack", pack.toString(), "SELECT practice_code,\n  list_sise FROM org_hierarchy");
    assertEquals(2, r.exit());
    assertEquals("", r.out());
    String err = r.err().strip();
    assertTrue(err.startsWith("phm: SQL analysis error at line 2, position 2: "), err);
    assertTrue(err.contains("list_sise"), err);
    assertFalse(err.contains("\tat "), "stack trace printed: " + err);
    assertFalse(err.contains("Exception"), err);
    Run syntax = phm("query", "--pack", pack.toString(), "SELEC * FROM org_hierarchy");
    assertEquals(2, syntax.exit());
    assertTrue(syntax.err().startsWith("phm: SQL syntax error at line 1, position 0"), syntax.err());
    assertFalse(syntax.err().contains("\tat "), syntax.err());
  }

  @Test
  void restrictedTablesNeedTheFlagAndAreAnnounced() {
    Run hidden = phm("query", "--pack", pack.toString(), "SELECT count(*) AS n FROM patient_risk");
    assertEquals(2, hidden.exit());
    assertTrue(hidden.err().contains("patient_risk"), hidden.err());
    Run shown = phm("query", "--pack", pack.toString(), "--restricted", "SELECT count(*) AS n FROM patient_risk");
    assertEquals(0, shown.exit(), shown.err());
    assertTrue(shown.out().contains("1800"), shown.out());
    assertTrue(shown.err().contains("RESTRICTED"), shown.err());
    assertTrue(shown.out().contains("restricted tables were visible"), shown.out());
  }

  @Test
  void tablesAndDescribe() {
    Run t = phm("tables", "--pack", pack.toString());
    assertEquals(0, t.exit(), t.err());
    assertTrue(t.out().contains("org_hierarchy"), t.out());
    assertTrue(t.out().matches("(?s).*org_hierarchy\\s+\\| SHAREABLE\\s+\\|\\s+12 \\| The ICS hierarchy.*"), t.out());
    assertFalse(t.out().contains("patient_risk"), t.out());
    assertTrue(t.out().contains("2 restricted (patient-level) table(s) not shown"), t.out());
    Run r = phm("tables", "--pack", pack.toString(), "--restricted");
    assertTrue(r.out().contains("patient_risk") && r.out().contains("RESTRICTED tables are listed"), r.out());

    Run d = phm("describe", "--pack", pack.toString(), "registered_population");
    assertEquals(0, d.exit(), d.err());
    assertTrue(d.out().startsWith("registered_population (SHAREABLE, "), d.out());
    assertTrue(d.out().matches("(?s).*\\nsex\\s+\\| string\\s+\\|\\s+\\| M, F, ALL\\s+\\| Sex\\n.*"), d.out());
    assertTrue(d.out().matches("(?s).*\\npatients\\s+\\| long\\s+\\| patients \\|.*Registered patients \\(count\\).*"), d.out());
    assertTrue(d.out().contains("suppressed"), d.out());
    Run dr = phm("describe", "--pack", pack.toString(), "patient_risk");
    assertEquals(2, dr.exit());
    assertTrue(dr.err().contains("restricted"), dr.err());
    assertEquals(0, phm("describe", "--pack", pack.toString(), "--restricted", "patient_risk").exit());
    Run none = phm("tables", "--pack", pack.resolve("nope").toString());
    assertEquals(3, none.exit());
    assertTrue(none.err().contains("no pack at"), none.err());
  }
}
