package org.phm.export;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFCellStyle;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phm.pack.DataDictionary;
import org.phm.spark.SharedSpark;

/** Excel exports checked with POI against the pack read independently with Spark. */
class PackExporterXlsxTest {
  private static final SparkSession spark = SharedSpark.get();
  private static final Set<String> COUNT_HEADERS = Set.of("Numerator", "Denominator", "Patients", "Members",
      "List size");
  @TempDir static Path tmp;
  static Path pack;
  static List<Path> files;

  @BeforeAll
  static void export() {
    pack = ExportFixtures.shared(spark);
    files = ExportFixtures.timedExport(spark, new ExportRequest(List.of("all"), List.of("U00014"),
        Set.of(Format.XLSX), tmp.resolve("out"), 7),
        "xlsx export of 3 ICPs + 1 PCN");
  }

  private static XSSFWorkbook open(String name) throws Exception {
    Path f = files.stream().filter(p -> p.getFileName().toString().contains(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no export named like " + name + " in " + files));
    try (InputStream in = Files.newInputStream(f)) {
      return new XSSFWorkbook(in);
    }
  }

  @Test
  void writesOneWorkbookPerIcpAndRequestedPcn() {
    assertEquals(4, files.size(), files.toString());
    assertTrue(files.stream().allMatch(f -> f.getFileName().toString().startsWith("2026-11-25_")));
    assertTrue(files.stream().anyMatch(f -> f.getFileName().toString().equals("2026-11-25_ICP_nottingham-city.xlsx")));
    assertTrue(files.stream().anyMatch(f -> f.getFileName().toString().contains("_PCN_nottingham-city-pcn-2")));
  }

  @Test
  void workbookHasTheSheetsFrozenHeadersAndNoFormulas() throws Exception {
    try (XSSFWorkbook wb = open("ICP_mid-nottinghamshire")) {
      List<String> names = new ArrayList<>();
      wb.forEach(s -> names.add(s.getSheetName()));
      assertEquals(List.of("About", "Dashboard", "Primary Care", "Urgent & Emergency Care", "Cancer", "Inequalities",
          "Risk stratification", "Definitions"), names);
      for (Sheet s : wb) {
        for (Row r : s) {
          for (Cell c : r) {
            assertFalse(c.getCellType() == CellType.FORMULA, "formula in " + s.getSheetName());
          }
        }
        if (!s.getSheetName().equals("About")) {
          assertNotNull(s.getPaneInformation(), s.getSheetName() + " has no frozen header");
          assertTrue(s.getPaneInformation().isFreezePane(), s.getSheetName());
        }
        assertTrue(s.getColumnWidth(0) > 15 * 256, "column width set on " + s.getSheetName());
      }
      String about = text(wb.getSheet("About"));
      assertTrue(about.contains("Mid Nottinghamshire"), about);
      assertTrue(about.contains("run1"), "pack id on cover");
      assertTrue(about.contains("1 to 7"), "suppression note on cover");
    }
  }

  @Test
  void dashboardValuesRagAndTrendMatchThePack() throws Exception {
    Dataset<org.apache.spark.sql.Row> v = spark.read().parquet(pack.resolve("aggregate/indicator_values").toString())
        .filter(col("area_code").equalTo("ICP02").and(col("breakdown").equalTo("ALL")));
    String latest = v.agg(org.apache.spark.sql.functions.max("period_end")).first().get(0).toString();
    Map<String, org.apache.spark.sql.Row> expected = new HashMap<>();
    for (org.apache.spark.sql.Row r : v.filter(col("period_end").equalTo(java.sql.Date.valueOf(latest))).collectAsList()) {
      expected.put(r.getAs("indicator_id"), r);
    }
    Map<String, String> names = Map.of("DIAB_8CP", "Diabetes: all 8 care processes", "EMERG_ADM",
        "Emergency admissions rate", "SCREEN_BOWEL", "Bowel cancer screening coverage");
    try (XSSFWorkbook wb = open("ICP_nottingham-city")) {
      Sheet d = wb.getSheet("Dashboard");
      Map<String, Integer> hdr = headers(d);
      int checked = 0;
      // the KPI table runs from the header to the first empty row (a domain summary may follow)
      for (int i = headerRow(d) + 1; d.getRow(i) != null && d.getRow(i).getCell(hdr.get("Indicator (KPI)")) != null; i++) {
        Row r = d.getRow(i);
        String name = r.getCell(hdr.get("Indicator (KPI)")).getStringCellValue();
        String id = names.entrySet().stream().filter(e -> e.getValue().equals(name)).findFirst().orElseThrow().getKey();
        org.apache.spark.sql.Row e = expected.get(id);
        assertEquals(((Double) e.getAs("value")), r.getCell(hdr.get("Latest value")).getNumericCellValue(), 1e-9, id);
        assertEquals(e.<String>getAs("period_label"), r.getCell(hdr.get("Period")).getStringCellValue());
        Cell rag = r.getCell(hdr.get("RAG rating"));
        String ragCode = e.getAs("rag");
        String symbol = switch (ragCode) { case "GREEN" -> "✔"; case "AMBER" -> "▲"; case "RED" -> "✖"; default -> "–"; };
        assertTrue(rag.getStringCellValue().startsWith(symbol + " "), rag.getStringCellValue());
        assertTrue(rag.getStringCellValue().toUpperCase().contains(ragCode.equals("NONE") ? "NO RATING" : ragCode));
        if (!ragCode.equals("NONE")) {
          assertNotNull(((XSSFCellStyle) rag.getCellStyle()).getFillForegroundXSSFColor(), "RAG cell coloured");
        }
        String trend = r.getCell(hdr.get("Trend")).getStringCellValue();
        String t = e.getAs("trend");
        assertTrue(t.equals("IMPROVING") ? trend.contains("improving") && trend.matches("^[↑↓] .*")
            : trend.startsWith("→ No significant change"), t + " → " + trend);
        checked++;
      }
      assertEquals(3, checked);
      assertTrue(text(d).contains("KPIs meeting their standard, by domain"), "domain summary under the KPIs");
      assertEquals("#,##0", wb.getSheet("Dashboard").getRow(headerRow(d) + 1)
          .getCell(hdr.get("Denominator")).getCellStyle().getDataFormatString());
    }
  }

  @Test
  void suppressedCellsShowStarAndNoSmallCountIsVisible() throws Exception {
    // independently: which PCN rows did the pack writer suppress?
    List<org.apache.spark.sql.Row> supp = spark.read().parquet(pack.resolve("aggregate/indicator_values").toString())
        .filter(col("suppressed").and(col("level").equalTo("PCN")).and(col("breakdown").equalTo("ALL"))
            .and(col("indicator_id").equalTo("DIAB_8CP")).and(col("parent_code").equalTo("ICP01")))
        .collectAsList();
    assertFalse(supp.isEmpty(), "fixture must contain a suppressed PCN row");
    try (XSSFWorkbook wb = open("ICP_mid-nottinghamshire")) {
      Sheet s = wb.getSheet("Primary Care");
      Map<String, Integer> hdr = headers(s);
      int stars = 0;
      for (Row r : s) {
        if (r.getRowNum() <= headerRow(s)) {
          continue;
        }
        for (org.apache.spark.sql.Row e : supp) {
          if (e.getAs("area_name").equals(r.getCell(hdr.get("Area")).getStringCellValue())
              && e.getAs("period_label").equals(r.getCell(hdr.get("Period")).getStringCellValue())) {
            assertEquals("*", r.getCell(hdr.get("Numerator")).getStringCellValue());
            assertEquals("*", r.getCell(hdr.get("Value")).getStringCellValue());
            stars++;
          }
        }
      }
      assertEquals(supp.size(), stars);
      assertTrue(text(s).contains("* = withheld"), "footnote");
    }
    int countCells = 0;
    for (Path f : files) {
      try (XSSFWorkbook wb = new XSSFWorkbook(Files.newInputStream(f))) {
        for (Sheet s : wb) {
          Map<Integer, String> countCols = new HashMap<>();
          for (Row r : s) {
            for (Cell c : r) {
              if (c.getCellType() == CellType.STRING && COUNT_HEADERS.contains(c.getStringCellValue())) {
                countCols.put(c.getColumnIndex(), c.getStringCellValue());
              } else if (c.getCellType() == CellType.NUMERIC && countCols.containsKey(c.getColumnIndex())) {
                double x = c.getNumericCellValue();
                assertFalse(x >= 1 && x <= 7, "visible small count " + x + " in " + f.getFileName() + " "
                    + s.getSheetName() + " row " + (r.getRowNum() + 1));
                countCells++;
              }
            }
          }
        }
      }
    }
    assertTrue(countCells > 100, "count cells checked: " + countCells);
  }

  @Test
  void neverExportsRestrictedData() throws Exception {
    for (Path f : files) {
      try (ZipInputStream z = new ZipInputStream(Files.newInputStream(f))) {
        for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
          String xml = new String(z.readAllBytes(), StandardCharsets.UTF_8);
          assertFalse(xml.contains(ExportFixtures.PATIENT_MARKER), "restricted data in " + f + " " + e.getName());
          assertFalse(xml.contains("patient_risk"), e.getName());
        }
      }
    }
  }

  @Test
  void inequalityRiskAndDefinitionsSheetsCarryThePackRows() throws Exception {
    try (XSSFWorkbook wb = open("PCN_nottingham-city-pcn-2")) {
      String ineq = text(wb.getSheet("Inequalities"));
      assertTrue(ineq.contains("IMD quintile") && ineq.contains("Ethnicity") && ineq.contains("SII"), ineq);
      String risk = text(wb.getSheet("Risk stratification"));
      assertTrue(risk.contains("FRAILTY") && risk.contains("FRAIL_HIGH_RISK"), risk);
      String defs = text(wb.getSheet("Definitions"));
      assertTrue(defs.contains("Definition of Bowel cancer screening coverage"), defs);
      // PCN workbook compares practices
      assertTrue(text(wb.getSheet("Cancer")).contains("Practice"), "practices in PCN domain sheet");
    }
  }

  @Test
  void stopsWhenAPackCarriesAnUnsuppressedSmallCount() throws Exception {
    Path bad = ExportFixtures.copy(spark, tmp.resolve("bad-pack"));
    // tamper with a shareable table after publication: a small count not flagged suppressed
    Path table = bad.resolve("aggregate/cohort_summary");
    Dataset<org.apache.spark.sql.Row> tampered = spark.read().parquet(table.toString())
        .withColumn("members", org.apache.spark.sql.functions.lit(3L))
        .withColumn("suppressed", org.apache.spark.sql.functions.lit(false)).localCheckpoint();
    tampered.write().mode(SaveMode.Overwrite).parquet(table.toString());
    ExportException e = assertThrows(ExportException.class, () -> PackExporter.export(spark, bad,
        new ExportRequest(List.of("ICP01"), List.of(), Set.of(Format.XLSX), tmp.resolve("bad-out"), 7)));
    assertTrue(e.getMessage().contains("disclosure control"), e.getMessage());
  }

  @Test
  void unknownAreaIsAClearError() {
    ExportException e = assertThrows(ExportException.class, () -> PackExporter.export(spark, pack,
        new ExportRequest(List.of("Bassetlaw"), List.of(), Set.of(Format.XLSX), tmp.resolve("x"), 7)));
    assertTrue(e.getMessage().contains("no ICP 'Bassetlaw'") && e.getMessage().contains("Nottingham City"),
        e.getMessage());
  }

  @Test
  void guardRejectsSmallCountsOnly() {
    DisclosureGuard g = new DisclosureGuard(7, List.of());
    assertThrows(ExportException.class, () -> g.show(1.0, false, "t"));
    assertThrows(ExportException.class, () -> g.show(7.0, false, "t"));
    assertEquals(0.0, g.show(0.0, false, "t"));
    assertEquals(8.0, g.show(8.0, false, "t"));
    assertEquals(null, g.show(3.0, true, "t"));
    assertTrue(g.isCount("Numerator") && g.isCount("patients") && !g.isCount("value"));
    if (!new DisclosureGuard(7, DataDictionary.load().tables().stream()
        .flatMap(t -> t.columnsWithRole("count").stream()).toList()).isCount("members")) {
      fail("dictionary count columns are guarded");
    }
  }

  static int headerRow(Sheet s) {
    for (Row r : s) {
      Cell c = r.getCell(0);
      if (c != null && c.getCellType() == CellType.STRING
          && ((XSSFCellStyle) c.getCellStyle()).getFont().getBold() && r.getLastCellNum() > 3) {
        return r.getRowNum();
      }
    }
    throw new AssertionError("no header row in " + s.getSheetName());
  }

  static Map<String, Integer> headers(Sheet s) {
    Map<String, Integer> m = new HashMap<>();
    for (Cell c : s.getRow(headerRow(s))) {
      m.put(c.getStringCellValue(), c.getColumnIndex());
    }
    return m;
  }

  static String text(Sheet s) {
    DataFormatter f = new DataFormatter();
    StringBuilder sb = new StringBuilder();
    for (Row r : s) {
      for (Cell c : r) {
        sb.append(f.formatCellValue(c)).append('\t');
      }
      sb.append('\n');
    }
    return sb.toString();
  }
}
