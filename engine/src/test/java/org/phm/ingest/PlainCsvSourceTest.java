package org.phm.ingest;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phm.spark.SharedSpark;

/**
 * {@link PlainCsvSource} against Spark's own CSV reader on the same file: on every kind of line (empty and padded
 * fields, too few or too many fields, invalid and multi-byte UTF-8, CRLF) and at every split layout, including
 * splits starting mid-line, at a line start and on a line feed, each line is read once, numbered by its physical
 * line, with the fields and corrupt record the CSV reader gives (empty text where the reader gives null).
 */
class PlainCsvSourceTest {
  private static final String[] LINES = {"h1,h2,h3", "a,b,c", "a,,c", ",,", " a , b ,c ", "a,b", "a,b,c,d", "x",
      "caf\u00e9,\u4e2d,\u00fc", "a,b,c\r", "'single',back\\slash,#hash", "a,b,\t", "ok\uFFFD,b,c", "\uFFFD,b"};

  private static Path plainFile(Path dir, boolean finalLineFeed) throws Exception {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (String line : LINES) {
      b.write(line.getBytes(StandardCharsets.UTF_8));
      b.write('\n');
    }
    b.write(new byte[] {'b', 'a', 'd', (byte) 0xE9, ',', (byte) 0xC3, ',', (byte) 0xF0, (byte) 0x9F, 'z', '\n'});
    b.write(new byte[] {(byte) 0xFF, ',', 'y'});
    if (finalLineFeed) {
      b.write('\n');
    }
    Path f = dir.resolve("plain-" + finalLineFeed + ".csv");
    Files.write(f, b.toByteArray());
    return f;
  }

  @Test
  void everySplitLayoutGivesTheCsvReadersFieldsAndExactLineNumbers(@TempDir Path dir) throws Exception {
    SparkSession spark = SharedSpark.get();
    for (boolean finalLineFeed : new boolean[] {true, false}) {
      Path f = plainFile(dir, finalLineFeed);
      List<Row> csv = Ingest.csv(spark, Ingest.rawSchema(3), false).load(f.toString()).collectAsList();
      assertEquals(LINES.length + 2, csv.size());
      long size = Files.size(f);
      for (long splitBytes : new long[] {size, 50, 13, 7, 1}) {
        long[] starts = LongStream.iterate(0, s -> s < size, s -> s + splitBytes).toArray();
        FileScan scan = FileScan.scan(f, false, starts);
        assertTrue(scan.splittable());
        List<Row> plain = PlainCsvSource.read(spark, f, List.of("a", "b", "c"), starts, scan.linesBefore())
            .orderBy(PlainCsvSource.RECORD).collectAsList();
        String layout = "final line feed " + finalLineFeed + ", splits of " + splitBytes + " bytes";
        assertEquals(csv.size(), plain.size(), layout);
        int malformed = 0;
        int replaced = 0;
        for (int i = 0; i < csv.size(); i++) {
          Row p = plain.get(i);
          String where = layout + ", line " + i + ": " + p;
          assertEquals(i, p.getLong(5), where);
          boolean fffd = false;
          for (int c = 0; c < 4; c++) {
            fffd |= !csv.get(i).isNullAt(c) && csv.get(i).getString(c).contains("\uFFFD");
          }
          assertEquals(fffd, p.getBoolean(4), where + ": U+FFFD flag");
          replaced += fffd ? 1 : 0;
          assertEquals(csv.get(i).isNullAt(3), p.isNullAt(3), where);
          if (!csv.get(i).isNullAt(3)) {
            assertEquals(csv.get(i).getString(3), p.getString(3), where);
            for (int c = 0; c < 3; c++) {
              assertTrue(p.isNullAt(c), where);
            }
            malformed++;
            continue;
          }
          for (int c = 0; c < 3; c++) {
            String expected = csv.get(i).isNullAt(c) ? "" : csv.get(i).getString(c);
            assertEquals(expected, p.getString(c), where + " field " + c);
          }
        }
        assertEquals(5, malformed, layout); // "a,b", "a,b,c,d", "x", "\uFFFD,b" and the line after the invalid bytes
        assertTrue(plain.get(LINES.length).getString(0).contains("\uFFFD"), "invalid UTF-8 is replaced");
        assertEquals(4, replaced, layout); // two lines holding U+FFFD, two with invalid bytes
      }
    }
  }

  @Test
  void largeFilesAreSplitEquallyInAMultipleOfTheCores() {
    long mb = 1L << 20;
    assertEquals(List.of(0L), boxed(PlainCsvSource.splits(3 * mb, 2))); // up to 4 MB: one split
    assertEquals(List.of(0L, 50 * mb), boxed(PlainCsvSource.splits(100 * mb, 2)));
    for (long size : new long[] {5 * mb, 129 * mb, 315 * mb, 1018 * mb + 7, 4600 * mb}) {
      for (int cores : new int[] {1, 2, 3, 16}) {
        long[] s = PlainCsvSource.splits(size, cores);
        assertEquals(0, s.length % cores, size + " bytes on " + cores + " cores: " + s.length + " splits");
        assertEquals(0, s[0]);
        long smallest = Long.MAX_VALUE;
        long largest = 0;
        for (int i = 0; i < s.length; i++) {
          long length = (i + 1 < s.length ? s[i + 1] : size) - s[i];
          smallest = Math.min(smallest, length);
          largest = Math.max(largest, length);
        }
        assertTrue(largest <= PlainCsvSource.SPLIT_BYTES, size + " on " + cores + ": split of " + largest);
        assertTrue(largest - smallest <= 1, size + " on " + cores + ": splits differ by " + (largest - smallest));
        // no more splits than needed: one fewer round of the cores would exceed the largest split size
        assertTrue(s.length == cores || size > (long) (s.length - cores) * PlainCsvSource.SPLIT_BYTES,
            size + " on " + cores + ": " + s.length + " splits");
      }
    }
  }

  private static List<Long> boxed(long[] a) {
    return LongStream.of(a).boxed().toList();
  }

  @Test
  void onlyTheRequestedColumnsAreRead(@TempDir Path dir) throws Exception {
    SparkSession spark = SharedSpark.get();
    Path f = plainFile(dir, true);
    long[] starts = {0, 40};
    FileScan scan = FileScan.scan(f, false, starts);
    Dataset<Row> all = PlainCsvSource.read(spark, f, List.of("a", "b", "c"), starts, scan.linesBefore());
    List<Row> pruned = all.select(col("c"), col(PlainCsvSource.RECORD)).orderBy(PlainCsvSource.RECORD)
        .collectAsList();
    List<Row> full = all.orderBy(PlainCsvSource.RECORD).collectAsList();
    assertEquals(full.size(), pruned.size());
    for (int i = 0; i < full.size(); i++) {
      assertEquals(full.get(i).get(2), pruned.get(i).get(0), "line " + i);
      assertEquals(full.get(i).get(5), pruned.get(i).get(1), "line " + i);
    }
    assertEquals(full.size(), all.count());
  }

  @Test
  void linesLongerThanTheReadBufferAreWhole(@TempDir Path dir) throws Exception {
    String big = "x".repeat(3 << 20);
    Path f = dir.resolve("long.csv");
    Files.writeString(f, "h1,h2\n" + big + ",1\nshort,2\n" + big + ",3");
    long[] starts = {0, 1 << 20, 5 << 20};
    FileScan scan = FileScan.scan(f, false, starts);
    List<Row> rows = PlainCsvSource.read(SharedSpark.get(), f, List.of("a", "b"), starts, scan.linesBefore())
        .orderBy(PlainCsvSource.RECORD).collectAsList();
    assertEquals(4, rows.size());
    assertEquals(List.of(big, "1", "short", "2", big, "3"), List.of(rows.get(1).getString(0), rows.get(1).getString(1),
        rows.get(2).getString(0), rows.get(2).getString(1), rows.get(3).getString(0), rows.get(3).getString(1)));
  }

  @Test
  void withAHeaderColumnsAreNamedByItAndEmptyFieldsAreNull(@TempDir Path dir) throws Exception {
    SparkSession spark = SharedSpark.get();
    Path f = dir.resolve("h.csv");
    List<String> lines = new ArrayList<>(List.of("nhs_number,code,event_date"));
    for (int i = 0; i < 500; i++) {
      lines.add(i + "," + (i % 3 == 0 ? "" : "c" + i) + ",2024-01-01");
    }
    Files.write(f, lines);
    Dataset<Row> plain = PlainCsvSource.readWithHeader(spark, f);
    Dataset<Row> csv = spark.read().option("header", "true").csv(f.toString());
    assertEquals(List.of(csv.columns()), List.of(plain.columns()));
    assertEquals(0, plain.exceptAll(csv).count());
    assertEquals(0, csv.exceptAll(plain).count());
    assertEquals(167, plain.where(col("code").isNull()).count());

    Path quoted = dir.resolve("q.csv");
    Files.writeString(quoted, "a,b\n1,\"x,y\"\n");
    Exception e = assertThrows(Exception.class, () -> PlainCsvSource.readWithHeader(spark, quoted).collectAsList());
    assertTrue(String.valueOf(rootMessage(e)).contains("not a plain CSV file"), String.valueOf(rootMessage(e)));
  }

  private static String rootMessage(Throwable t) {
    StringBuilder s = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      s.append(c.getMessage()).append(" | ");
    }
    return s.toString();
  }
}
