package org.phm.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phm.pack.PackException;
import org.phm.pack.PackReader;
import org.phm.spark.SharedSpark;

class ArrowExportTest {
  private static final SparkSession spark = SharedSpark.get();
  private static PackReader pack;

  @BeforeAll
  static void buildPack() {
    pack = PackReader.open(FixturePack.shared(spark));
  }

  /** Everything in one Arrow file, batch by batch: rows of Java objects as the reader sees them. */
  static List<List<Object>> readBack(Path file, List<ArrowType> typesOut, int[] batchesOut) throws Exception {
    List<List<Object>> rows = new ArrayList<>();
    try (var alloc = new RootAllocator();
         var ch = FileChannel.open(file, StandardOpenOption.READ);
         var reader = new ArrowFileReader(ch, alloc)) {
      VectorSchemaRoot root = reader.getVectorSchemaRoot();
      root.getSchema().getFields().forEach(f -> typesOut.add(f.getType()));
      int batches = 0;
      while (reader.loadNextBatch()) {
        batches++;
        for (int i = 0; i < root.getRowCount(); i++) {
          List<Object> r = new ArrayList<>();
          for (FieldVector v : root.getFieldVectors()) {
            Object o;
            if (v.isNull(i)) {
              o = null;
            } else if (v instanceof VarCharVector s) {
              o = new String(s.get(i), java.nio.charset.StandardCharsets.UTF_8);
            } else if (v instanceof DateDayVector d) {
              o = LocalDate.ofEpochDay(d.get(i));
            } else if (v instanceof TimeStampMicroTZVector t) {
              long micros = t.get(i);
              o = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
            } else if (v instanceof BitVector b) {
              o = b.get(i) == 1;
            } else if (v instanceof IntVector x) {
              o = x.get(i);
            } else if (v instanceof BigIntVector x) {
              o = x.get(i);
            } else if (v instanceof Float8Vector x) {
              o = x.get(i);
            } else {
              o = v.getObject(i);
            }
            r.add(o);
          }
          rows.add(r);
        }
      }
      batchesOut[0] = batches;
    }
    return rows;
  }

  /** A Spark value as the Arrow reader above returns it. */
  static Object expected(Object v) {
    if (v instanceof Date d) {
      return d.toLocalDate();
    }
    if (v instanceof Timestamp t) {
      return t.toInstant();
    }
    return v;
  }

  @Test
  void roundTripsEveryTypeIncludingNullsAcrossBatches(@TempDir Path dir) throws Exception {
    StructType schema = new StructType().add("s", DataTypes.StringType).add("i", DataTypes.IntegerType)
        .add("l", DataTypes.LongType).add("d", DataTypes.DoubleType).add("b", DataTypes.BooleanType)
        .add("dt", DataTypes.DateType).add("ts", DataTypes.TimestampType)
        .add("dec", DataTypes.createDecimalType(10, 3));
    List<Row> rows = new ArrayList<>();
    for (int k = 0; k < 25; k++) {
      boolean nul = k % 7 == 3;
      rows.add(RowFactory.create(nul ? null : "v" + k + (k == 5 ? ",\"é\"" : ""), nul ? null : k - 12,
          nul ? null : 10_000_000_000L * k, nul ? null : k / 3.0, nul ? null : k % 2 == 0,
          nul ? null : Date.valueOf(LocalDate.of(2020, 2, 28).plusDays(k)),
          nul ? null : Timestamp.from(Instant.parse("2026-03-29T00:30:00.123456Z").plusSeconds(3600L * k)),
          nul ? null : new BigDecimal("1234.5").add(BigDecimal.valueOf(k, 3))));
    }
    Dataset<Row> data = spark.createDataFrame(rows, schema).repartition(3);
    Path file = dir.resolve("all.arrow");
    assertEquals(25, ArrowExport.writeDataset(data, file, 10));

    List<ArrowType> types = new ArrayList<>();
    int[] batches = new int[1];
    List<List<Object>> back = readBack(file, types, batches);
    assertEquals(List.of(ArrowType.Utf8.INSTANCE, new ArrowType.Int(32, true), new ArrowType.Int(64, true),
        new ArrowType.FloatingPoint(org.apache.arrow.vector.types.FloatingPointPrecision.DOUBLE),
        ArrowType.Bool.INSTANCE, new ArrowType.Date(org.apache.arrow.vector.types.DateUnit.DAY),
        new ArrowType.Timestamp(org.apache.arrow.vector.types.TimeUnit.MICROSECOND, "UTC"),
        new ArrowType.Decimal(10, 3, 128)), types);
    assertEquals(3, batches[0]);
    // same order: toLocalIterator streams partitions in the order collect returns them
    List<List<Object>> sparkRows = new ArrayList<>();
    for (Row r : data.collectAsList()) {
      List<Object> l = new ArrayList<>();
      for (int c = 0; c < r.size(); c++) {
        l.add(expected(r.get(c)));
      }
      sparkRows.add(l);
    }
    assertEquals(sparkRows, back);
    long nulls = back.stream().filter(r -> r.get(0) == null).count();
    assertEquals(4, nulls);
    assertTrue(back.stream().filter(r -> r.get(0) == null).allMatch(r -> r.stream().allMatch(x -> x == null)));
    // a hand-checked value: row k=1 has micros of 2026-03-29T01:30:00.123456Z
    List<Object> k1 = back.stream().filter(r -> "v1".equals(r.get(0))).findFirst().orElseThrow();
    assertEquals(Instant.parse("2026-03-29T01:30:00.123456Z"), k1.get(6));
    assertEquals(LocalDate.of(2020, 2, 29), k1.get(5));
    assertEquals(-11, k1.get(1));
    assertEquals(new BigDecimal("1234.501"), k1.get(7));
  }

  @Test
  void emptyResultStillWritesSchema(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("empty.arrow");
    assertEquals(0, ArrowExport.writeDataset(spark.range(5).toDF().where("id < 0"), file));
    List<ArrowType> types = new ArrayList<>();
    assertTrue(readBack(file, types, new int[1]).isEmpty());
    assertEquals(List.of(new ArrowType.Int(64, true)), types);
  }

  @Test
  void exportsPackTablesAndGuardsRestrictedOnes(@TempDir Path out) throws Exception {
    List<Path> files = ArrowExport.write(spark, pack, List.of("org_hierarchy", "registered_population"), out, false);
    assertEquals(List.of(out.resolve("org_hierarchy.arrow"), out.resolve("registered_population.arrow")), files);
    for (Path f : files) {
      String table = f.getFileName().toString().replace(".arrow", "");
      Dataset<Row> ds = pack.read(spark, table, false);
      List<ArrowType> types = new ArrayList<>();
      List<List<Object>> back = readBack(f, types, new int[1]);
      List<List<Object>> sparkRows = new ArrayList<>();
      for (Row r : ds.collectAsList()) {
        List<Object> l = new ArrayList<>();
        for (int c = 0; c < r.size(); c++) {
          l.add(expected(r.get(c)));
        }
        sparkRows.add(l);
      }
      assertEquals(sparkRows, back, table);
      assertEquals(pack.entry(table, false).rows(), back.size());
    }
    assertThrows(PackException.class, () -> ArrowExport.write(spark, pack, List.of("patient_risk"), out, false));
    assertTrue(Files.notExists(out.resolve("patient_risk.arrow")));
    // restricted on request; the array column is written as text
    List<Path> r = ArrowExport.write(spark, pack, List.of("patient_risk"), out, true);
    List<ArrowType> types = new ArrayList<>();
    List<List<Object>> back = readBack(r.get(0), types, new int[1]);
    assertEquals(pack.entry("patient_risk", true).rows(), back.size());
    assertInstanceOf(ArrowType.Utf8.class, types.get(9));
    // every visible table when none named
    List<Path> all = ArrowExport.write(spark, pack, List.of(), out.resolve("all"), false);
    assertEquals(pack.tables(false).size(), all.size());
  }
}
