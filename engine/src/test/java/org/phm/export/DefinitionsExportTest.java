package org.phm.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phm.pack.PackReader;
import org.phm.spark.SharedSpark;

/** Indicator names, definitions and caveats from the pack's catalogue table reach both exports. */
class DefinitionsExportTest {
  private static final SparkSession spark = SharedSpark.get();

  @Test
  void catalogueNamesAndDefinitionsAppearInBothExports(@TempDir Path tmp) throws Exception {
    Path pack = ExportFixtures.shared(spark);
    PackReader reader = PackReader.open(pack);
    DisclosureGuard guard = new DisclosureGuard(7, List.of());
    TableData h = ExportData.hierarchy(spark, reader);
    ExportRequest req = new ExportRequest(List.of("Nottingham City"), List.of(), Set.of(Format.HTML), tmp, 7);
    List<ExportData.Area> areas = PackExporter.resolve(h, req);
    ExportData data = ExportData.load(spark, reader, h, areas, guard);
    assertTrue(data.table("indicator_definitions") != null, "pack has indicator_definitions");
    ExportData.Area city = areas.get(0);
    assertEquals("ICP02", city.code());
    String html = HtmlReport.render(data, city);
    assertTrue(html.contains(">Diabetes: all 8 care processes</h3>"), "indicator heading uses the catalogue name");
    assertTrue(html.contains("Definition of Emergency admissions rate"));
    assertTrue(html.contains("Caveat &lt;for&gt; SCREEN_BOWEL"), "caveats shown, HTML-escaped");
    assertFalse(html.contains("This pack has no indicator_definitions table"));
    assertTrue(html.contains("Trend: ↓ Decreasing, improving") || html.contains("Trend: → No significant change"),
        "lower-is-better trend arrow");
    Path xlsx = tmp.resolve("city.xlsx");
    XlsxReport.write(data, city, xlsx);
    try (InputStream in = Files.newInputStream(xlsx); XSSFWorkbook wb = new XSSFWorkbook(in)) {
      String defs = PackExporterXlsxTest.text(wb.getSheet("Definitions"));
      assertTrue(defs.contains("Definition of Bowel cancer screening coverage") && defs.contains("Caveat <for> SCREEN_BOWEL"), defs);
      String dash = PackExporterXlsxTest.text(wb.getSheet("Dashboard"));
      assertTrue(dash.contains("Emergency admissions rate"), dash);
    }
  }
}
