package org.phm.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phm.pack.DataDictionary;
import org.phm.pack.PackReader;
import org.phm.spark.SharedSpark;

class PackQueryTest {
  private static final SparkSession spark = SharedSpark.get();
  private static PackReader pack;

  @BeforeAll
  static void buildPack() {
    pack = PackReader.open(FixturePack.shared(spark));
  }

  @Test
  void queriesVisibleTablesAndMatchesIndependentTotals() {
    PackQuery q = PackQuery.open(spark, pack, false);
    assertTrue(q.views().contains("registered_population"));
    assertFalse(q.views().contains("patient_risk"));
    long expected = FixturePack.practices().stream().mapToLong(FixturePack.Practice::listSize).sum();
    Row r = q.sql("SELECT sum(list_size) AS s, count(*) AS n FROM org_hierarchy").first();
    assertEquals(expected, r.getLong(0));
    assertEquals(12, r.getLong(1));
    Row ics = q.sql("SELECT patients FROM registered_population WHERE level = 'ICS' AND sex = 'ALL'"
        + " AND age_band = 'ALL'").first();
    assertEquals(expected, ics.getLong(0));
  }

  @Test
  void restrictedTablesOnlyWhenAskedAndNotLeftBehind() {
    PackQuery withRestricted = PackQuery.open(spark, pack, true);
    assertEquals(1800, withRestricted.sql("SELECT count(*) FROM patient_risk").first().getLong(0));
    PackQuery q = PackQuery.open(spark, pack, false);
    QueryError e = assertThrows(QueryError.class, () -> q.sql("SELECT count(*) FROM patient_risk"));
    assertEquals("analysis", e.kind());
    assertTrue(e.summary().contains("patient_risk"), e.summary());
    assertEquals(1, e.line());
    assertEquals(21, e.position());
  }

  @Test
  void syntaxErrorsCarryLineAndPosition() {
    PackQuery q = PackQuery.open(spark, pack, false);
    String sql = "SELECT practice_code\nFROM org_hierarchy\nWHERE list_size >> 3 AND";
    QueryError e = assertThrows(QueryError.class, () -> q.sql(sql));
    assertEquals("syntax", e.kind());
    assertEquals(3, e.line());
    assertFalse(e.summary().contains("\n"));
    String shown = e.display(sql);
    assertEquals(3, shown.split("\n").length, shown);
    assertTrue(shown.startsWith("syntax error at line 3, position "), shown);
    String[] lines = shown.split("\n");
    assertEquals("  WHERE list_size >> 3 AND", lines[1]);
    assertEquals(e.position() + 3, lines[2].length()); // caret under the position
  }

  @Test
  void unknownColumnPointsAtIt() {
    PackQuery q = PackQuery.open(spark, pack, false);
    String sql = "SELECT practice_code,\n       list_sise\nFROM org_hierarchy";
    QueryError e = assertThrows(QueryError.class, () -> q.sql(sql));
    assertEquals("analysis", e.kind());
    assertTrue(e.summary().contains("list_sise"), e.summary());
    assertEquals(2, e.line());
    assertEquals(7, e.position());
    assertEquals("list_sise", e.fragment());
  }

  private static Dataset<Row> small() {
    StructType schema = new StructType().add("area", DataTypes.StringType).add("patients", DataTypes.LongType)
        .add("rate", DataTypes.DoubleType).add("day", DataTypes.DateType);
    return spark.createDataFrame(List.of(
        RowFactory.create("North, \"A\"", 1200L, 12.5, java.sql.Date.valueOf("2026-01-31")),
        RowFactory.create("S", 7L, null, null),
        RowFactory.create("East", 35000L, 0.25, java.sql.Date.valueOf("2026-02-01"))), schema).coalesce(1);
  }

  @Test
  void alignedTableRespectsRowLimit() {
    StringWriter sw = new StringWriter();
    assertEquals(2, ResultWriter.table(small(), 2, new PrintWriter(sw)));
    assertEquals(String.join("\n",
        "area       | patients | rate | day",
        "-----------+----------+------+-----------",
        "North, \"A\" |     1200 | 12.5 | 2026-01-31",
        "S          |        7 | NULL | NULL",
        "(2 rows; more rows not shown, raise --max-rows or use --format csv)", ""), sw.toString());
  }

  @Test
  void csvAndJsonStreamEveryRow() {
    StringWriter csv = new StringWriter();
    assertEquals(3, ResultWriter.csv(small(), new PrintWriter(csv)));
    assertEquals("area,patients,rate,day\r\n\"North, \"\"A\"\"\",1200,12.5,2026-01-31\r\nS,7,,\r\n"
        + "East,35000,0.25,2026-02-01\r\n", csv.toString());
    StringWriter json = new StringWriter();
    assertEquals(3, ResultWriter.json(small(), new PrintWriter(json)));
    assertEquals("{\"area\":\"North, \\\"A\\\"\",\"patients\":1200,\"rate\":12.5,\"day\":\"2026-01-31\"}\n"
        + "{\"area\":\"S\",\"patients\":7}\n"
        + "{\"area\":\"East\",\"patients\":35000,\"rate\":0.25,\"day\":\"2026-02-01\"}\n",
        json.toString().replace(System.lineSeparator(), "\n"));
  }

  @Test
  void parquetOutputIsOneFileWithTheRows(@TempDir Path dir) {
    Path file = dir.resolve("out.parquet");
    assertEquals(3, ResultWriter.parquet(small(), file));
    assertTrue(java.nio.file.Files.isRegularFile(file));
    assertEquals(7L, spark.read().parquet(file.toString()).where("area = 'S'").first().getLong(1));
  }

  @Test
  void catalogListsTablesWithDictionaryDescriptions() {
    PackCatalog catalog = new PackCatalog(pack, DataDictionary.load());
    List<PackCatalog.TableInfo> visible = catalog.tables(false);
    PackCatalog.TableInfo h = visible.stream().filter(t -> t.name().equals("org_hierarchy")).findFirst().orElseThrow();
    assertEquals(12, h.rows());
    assertEquals("SHAREABLE", h.sensitivity());
    assertTrue(h.description().startsWith("The ICS hierarchy"), h.description());
    assertTrue(visible.stream().noneMatch(t -> t.sensitivity().equals("RESTRICTED")));
    assertEquals(2, catalog.hiddenRestricted());
    assertEquals(visible.size() + 2, catalog.tables(true).size());

    List<PackCatalog.ColumnInfo> cols = catalog.columns("registered_population", false);
    assertEquals(List.of("extract_date", "level", "area_code", "area_name", "parent_code", "sex", "age_band",
        "patients", "suppressed"), cols.stream().map(PackCatalog.ColumnInfo::name).toList());
    PackCatalog.ColumnInfo sex = cols.get(5);
    assertEquals("M, F, ALL", sex.allowed());
    assertEquals("patients", cols.get(7).unit());
    assertThrows(org.phm.pack.PackException.class, () -> catalog.columns("patient_risk", false));
    assertEquals("patient_id", catalog.columns("patient_risk", true).get(0).name());
  }
}
