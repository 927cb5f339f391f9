package org.phm.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phm.export.ExportFixtures;
import org.phm.spark.SharedSpark;

/** {@code phm export} end to end on the export fixture pack. */
class ExportCommandTest {
  private static final SparkSession spark = SharedSpark.get();
  @TempDir static Path tmp;
  static Path pack;

  @BeforeAll
  static void pack() {
    pack = ExportFixtures.shared(spark);
  }

  private static List<String> names(Path dir) throws Exception {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList();
    }
  }

  @Test
  void exportsAllIcpsAndAPcnAsXlsxAndHtml() throws Exception {
    Path out = tmp.resolve("out");
    int code = Phm.execute("export", "--pack", pack.toString(), "--icp", "all", "--pcn", "U00011",
        "--format", "xlsx,html", "--out", out.toString());
    assertEquals(0, code);
    List<String> files = names(out);
    assertEquals(8, files.size(), files.toString());
    assertTrue(files.contains("2026-11-25_ICP_south-nottinghamshire.html"), files.toString());
    assertTrue(files.contains("2026-11-25_PCN_mid-nottinghamshire-pcn-1.xlsx"), files.toString());
  }

  @Test
  void exportsShareableTablesAsArrowButNothingRestricted() throws Exception {
    Path out = tmp.resolve("arrow-out");
    int code = Phm.execute("export", "--pack", pack.toString(), "--format", "arrow", "--out", out.toString());
    assertEquals(0, code);
    List<String> files = names(out);
    assertTrue(files.contains("arrow/indicator_values.arrow") && files.contains("arrow/org_hierarchy.arrow"),
        files.toString());
    assertFalse(files.stream().anyMatch(f -> f.contains("patient_risk")), files.toString());
  }

  @Test
  void unknownIcpIsAUsageError() {
    int code = Phm.execute("export", "--pack", pack.toString(), "--icp", "Bassetlaw", "--format", "xlsx",
        "--out", tmp.resolve("x").toString());
    assertEquals(2, code);
  }

  @Test
  void unknownFormatIsAUsageError() {
    int code = Phm.execute("export", "--pack", pack.toString(), "--icp", "all", "--format", "pdf",
        "--out", tmp.resolve("y").toString());
    assertEquals(2, code);
  }
}
