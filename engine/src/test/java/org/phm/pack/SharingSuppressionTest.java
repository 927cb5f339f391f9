package org.phm.pack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Date;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.phm.spark.SharedSpark;

/** Attacks the suppressed registered_population table with subtraction from its own totals. */
class SharingSuppressionTest {
  private final SparkSession spark = SharedSpark.get();
  private static final String[] BANDS = {"0_4", "5_9", "10_14", "85_89", "90_94", "95+"};
  private static final String[] SEXES = {"M", "F"};

  /** Builds a population table (3 PCNs in one ICP) with all margins, many small cells. */
  private Dataset<Row> population(long seed) {
    Random rnd = new Random(seed);
    Map<String, Long> cells = new HashMap<>();
    List<Row> rows = new ArrayList<>();
    Date d = Date.valueOf("2026-01-01");
    String[] pcns = {"U00001", "U00002", "U00003"};
    for (String pcn : pcns) {
      for (String s : SEXES) {
        for (String b : BANDS) {
          long n = rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(7) : rnd.nextInt(3) == 0 ? 0 : 8 + rnd.nextInt(60);
          cells.put(pcn + s + b, n);
        }
      }
    }
    for (String pcn : pcns) {
      for (String s : SEXES) {
        long tot = 0;
        for (String b : BANDS) {
          rows.add(RowFactory.create(d, "PCN", pcn, pcn, "ICP01", s, b, cells.get(pcn + s + b)));
          tot += cells.get(pcn + s + b);
        }
        rows.add(RowFactory.create(d, "PCN", pcn, pcn, "ICP01", s, "ALL", tot));
      }
      for (String b : BANDS) {
        rows.add(RowFactory.create(d, "PCN", pcn, pcn, "ICP01", "ALL", b, cells.get(pcn + "M" + b) + cells.get(pcn + "F" + b)));
      }
    }
    StructType schema = new StructType().add("extract_date", DataTypes.DateType).add("level", DataTypes.StringType)
        .add("area_code", DataTypes.StringType).add("area_name", DataTypes.StringType)
        .add("parent_code", DataTypes.StringType).add("sex", DataTypes.StringType)
        .add("age_band", DataTypes.StringType).add("patients", DataTypes.LongType);
    return spark.createDataFrame(rows, schema);
  }

  @Test
  void noSuppressedCellCanBeRecoveredFromTotals() {
    DataDictionary.Table def = DataDictionary.load().table("registered_population").orElseThrow();
    for (long seed = 1; seed <= 5; seed++) {
      List<Row> out = SharingSuppression.apply(population(seed), def, 7).collectAsList();
      Map<String, Row> byKey = new HashMap<>();
      int suppressed = 0;
      for (Row r : out) {
        byKey.put(r.getString(2) + "|" + r.getString(5) + "|" + r.getString(6), r);
        boolean flag = r.getBoolean(r.fieldIndex("suppressed"));
        if (flag) {
          suppressed++;
          assertTrue(r.isNullAt(r.fieldIndex("patients")));
        } else {
          long n = r.getLong(r.fieldIndex("patients"));
          assertFalse(n >= 1 && n <= 7, "visible small count " + n);
        }
      }
      assertTrue(suppressed > 0, "test data must contain small numbers");
      // attack 1: age bands of a (pcn, sex) against the sex total
      for (String pcn : new String[] {"U00001", "U00002", "U00003"}) {
        for (String s : SEXES) {
          assertNotRecoverable(byKey, pcn, s, BANDS, true);
        }
        // attack 2: sexes of an age band against the ALL-sex row
        for (String b : BANDS) {
          int hidden = 0;
          for (String s : SEXES) {
            hidden += byKey.get(pcn + "|" + s + "|" + b).getBoolean(8) ? 1 : 0;
          }
          assertTrue(hidden != 1 || byKey.get(pcn + "|ALL|" + b).getBoolean(8),
              "seed " + seed + ": one sex hidden in " + pcn + " " + b + " but the total is visible");
        }
      }
      // attack 3: PCNs of a (sex, band) against each other within the ICP (parent groups)
      for (String s : SEXES) {
        for (String b : BANDS) {
          int hidden = 0;
          for (String pcn : new String[] {"U00001", "U00002", "U00003"}) {
            hidden += byKey.get(pcn + "|" + s + "|" + b).getBoolean(8) ? 1 : 0;
          }
          assertTrue(hidden != 1, "seed " + seed + ": a lone hidden PCN cell for " + s + " " + b);
        }
      }
    }
  }

  private static void assertNotRecoverable(Map<String, Row> byKey, String pcn, String s, String[] bands, boolean b) {
    int hidden = 0;
    for (String band : bands) {
      hidden += byKey.get(pcn + "|" + s + "|" + band).getBoolean(8) ? 1 : 0;
    }
    Row total = byKey.get(pcn + "|" + s + "|ALL");
    assertTrue(hidden != 1 || total.getBoolean(8), "one age band hidden in " + pcn + "/" + s + " with visible total");
  }

  @Test
  void derivedColumnsAreWithheldWithTheirCounts() {
    DataDictionary.Table def = new DataDictionary.Table("t", "SHAREABLE", "test", List.of(
        new DataDictionary.Column("area", "string", null, null, "", null),
        new DataDictionary.Column("numerator", "long", null, null, "", "count"),
        new DataDictionary.Column("value", "double", null, null, "", "derived")), null);
    StructType schema = new StructType().add("area", DataTypes.StringType).add("numerator", DataTypes.LongType)
        .add("value", DataTypes.DoubleType);
    Dataset<Row> df = spark.createDataFrame(List.of(RowFactory.create("A", 3L, 0.3), RowFactory.create("B", 0L, 0.0),
        RowFactory.create("C", 8L, 0.8)), schema);
    List<Row> rows = SharingSuppression.apply(df, def, 7).orderBy("area").collectAsList();
    assertTrue(rows.get(0).isNullAt(1) && rows.get(0).isNullAt(2) && rows.get(0).getBoolean(3));
    assertEquals(0L, rows.get(1).getLong(1));
    assertEquals(8L, rows.get(2).getLong(1));
    assertEquals(0.8, rows.get(2).getDouble(2));
  }
  @Test
  void notANumberIsNeitherASmallCountNorTheSmallestComplement() {
    DataDictionary.Table def = new DataDictionary.Table("t", "SHAREABLE", "test", List.of(
        new DataDictionary.Column("area", "string", null, null, "", null),
        new DataDictionary.Column("parent", "string", null, null, "", null),
        new DataDictionary.Column("numerator", "double", null, null, "", "count")),
        new DataDictionary.Suppression(List.of(List.of("parent"))));
    StructType schema = new StructType().add("area", DataTypes.StringType).add("parent", DataTypes.StringType)
        .add("numerator", DataTypes.DoubleType);
    // A is small; B is NaN (not small, and larger than every number, as Spark orders it); C = 20 is the complement
    Dataset<Row> df = spark.createDataFrame(List.of(RowFactory.create("A", "P", 3.0),
        RowFactory.create("B", "P", Double.NaN), RowFactory.create("C", "P", 20.0)), schema);
    Map<String, Boolean> hidden = new HashMap<>();
    for (Row r : SharingSuppression.apply(df, def, 7).collectAsList()) {
      hidden.put(r.getString(0), r.getBoolean(3));
    }
    assertEquals(Map.of("A", true, "B", false, "C", true), hidden);
  }

  @Test
  void tiedComplementaryCellsAreChosenTheSameWayWhateverTheRowOrder() {
    DataDictionary.Table def = DataDictionary.load().table("registered_population").orElseThrow();
    Date d = Date.valueOf("2026-01-01");
    // PCN U00001, sex M: one small band (primary) and two bands tied at 20 as complementary candidates
    List<Row> rows = new ArrayList<>();
    String[] bands = {"0_4", "5_9", "10_14"};
    long[] counts = {3, 20, 20};
    for (int i = 0; i < bands.length; i++) {
      rows.add(RowFactory.create(d, "PCN", "U00001", "U00001", "ICP01", "M", bands[i], counts[i]));
    }
    rows.add(RowFactory.create(d, "PCN", "U00001", "U00001", "ICP01", "M", "ALL", 43L));
    StructType schema = new StructType().add("extract_date", DataTypes.DateType).add("level", DataTypes.StringType)
        .add("area_code", DataTypes.StringType).add("area_name", DataTypes.StringType)
        .add("parent_code", DataTypes.StringType).add("sex", DataTypes.StringType)
        .add("age_band", DataTypes.StringType).add("patients", DataTypes.LongType);
    List<Row> reversed = new ArrayList<>(rows);
    java.util.Collections.reverse(reversed);
    for (List<Row> input : List.of(rows, reversed)) {
      for (int partitions : new int[] {1, 3}) {
        Dataset<Row> in = spark.createDataFrame(input, schema).repartition(partitions);
        Map<String, Boolean> hidden = new HashMap<>();
        for (Row r : SharingSuppression.apply(in, def, 7).collectAsList()) {
          hidden.put(r.getString(6), r.getBoolean(r.fieldIndex("suppressed")));
        }
        String where = (input == rows ? "input order" : "reversed order") + ", " + partitions + " partitions";
        assertTrue(hidden.get("0_4"), where);
        // of the two bands tied at 20, the one that sorts first ("10_14" < "5_9") is the complementary cell
        assertTrue(hidden.get("10_14"), where + ": " + hidden);
        assertFalse(hidden.get("5_9"), where + ": " + hidden);
      }
    }
  }
}
