package org.phm.query;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.types.StructField;

/**
 * Writes query results for people and tools: an aligned text table (first N rows), CSV or JSON Lines
 * streamed row by row (never the whole result on the driver), or a single Parquet / Arrow IPC file.
 */
public final class ResultWriter {
  private ResultWriter() {}

  /** Output formats of {@code phm query}. */
  public enum Format { TABLE, CSV, JSON, PARQUET, ARROW }

  /**
   * Prints the first {@code maxRows} rows as an aligned table with a header and a footer giving the
   * number of rows shown ("more rows not shown" when the result is longer).
   *
   * @return the number of rows printed
   */
  public static int table(Dataset<Row> data, int maxRows, PrintWriter out) {
    String[] names = data.columns();
    List<Row> rows = data.limit(maxRows + 1).collectAsList();
    boolean more = rows.size() > maxRows;
    if (more) {
      rows = rows.subList(0, maxRows);
    }
    List<String[]> cells = new ArrayList<>();
    boolean[] numeric = new boolean[names.length];
    StructField[] fields = data.schema().fields();
    for (int c = 0; c < names.length; c++) {
      numeric[c] = fields[c].dataType() instanceof org.apache.spark.sql.types.NumericType;
    }
    for (Row r : rows) {
      String[] line = new String[names.length];
      for (int c = 0; c < names.length; c++) {
        line[c] = r.isNullAt(c) ? "NULL" : text(r.get(c));
      }
      cells.add(line);
    }
    aligned(names, cells, numeric, out);
    out.println("(" + rows.size() + (rows.size() == 1 ? " row" : " rows")
        + (more ? "; more rows not shown, raise --max-rows or use --format csv" : "") + ")");
    out.flush();
    return rows.size();
  }

  /**
   * Prints rows of text as aligned columns under a header and a rule; {@code rightAlign} columns
   * (numbers) are right-aligned. Used by every listing of the command line.
   */
  public static void aligned(String[] header, List<String[]> cells, boolean[] rightAlign, PrintWriter out) {
    int[] width = new int[header.length];
    for (int c = 0; c < header.length; c++) {
      width[c] = header[c].length();
      for (String[] l : cells) {
        width[c] = Math.max(width[c], l[c].length());
      }
    }
    out.println(line(header, width, rightAlign));
    StringBuilder rule = new StringBuilder();
    for (int c = 0; c < header.length; c++) {
      rule.append(c == 0 ? "" : "-+-").append("-".repeat(width[c]));
    }
    out.println(rule);
    for (String[] l : cells) {
      out.println(line(l, width, rightAlign));
    }
  }

  private static String line(String[] cells, int[] width, boolean[] numeric) {
    StringBuilder sb = new StringBuilder();
    for (int c = 0; c < cells.length; c++) {
      if (c > 0) {
        sb.append(" | ");
      }
      String pad = " ".repeat(width[c] - cells[c].length());
      sb.append(numeric[c] ? pad + cells[c] : cells[c] + (c == cells.length - 1 ? "" : pad));
    }
    return sb.toString();
  }

  /** Streams the result as RFC 4180 CSV with a header row; nulls are empty fields. Returns rows written. */
  public static long csv(Dataset<Row> data, PrintWriter out) {
    String[] names = data.columns();
    StringBuilder sb = new StringBuilder();
    for (int c = 0; c < names.length; c++) {
      sb.append(c == 0 ? "" : ",").append(csvField(names[c]));
    }
    out.print(sb.append("\r\n"));
    long n = 0;
    Iterator<Row> it = data.toLocalIterator();
    while (it.hasNext()) {
      Row r = it.next();
      sb.setLength(0);
      for (int c = 0; c < names.length; c++) {
        sb.append(c == 0 ? "" : ",").append(r.isNullAt(c) ? "" : csvField(text(r.get(c))));
      }
      out.print(sb.append("\r\n"));
      n++;
    }
    out.flush();
    return n;
  }

  /** Streams the result as JSON Lines (one object per row, Spark's JSON encoding; nulls omitted). */
  public static long json(Dataset<Row> data, PrintWriter out) {
    long n = 0;
    Iterator<String> it = data.toJSON().toLocalIterator();
    while (it.hasNext()) {
      out.println(it.next());
      n++;
    }
    out.flush();
    return n;
  }

  /** Writes the result as one Parquet file (zstd) at {@code file}, replacing it. Returns rows written. */
  public static long parquet(Dataset<Row> data, Path file) {
    Path tmp = file.toAbsolutePath().resolveSibling("." + file.getFileName() + ".tmp-parquet");
    try {
      org.phm.pack.PackWriter.deleteTree(tmp);
      data.coalesce(1).write().mode(SaveMode.Overwrite).option("compression", "zstd").parquet(tmp.toString());
      Path part;
      try (Stream<Path> s = Files.list(tmp)) {
        part = s.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst()
            .orElseThrow(() -> new IOException("Spark wrote no Parquet file to " + tmp));
      }
      Files.move(part, file.toAbsolutePath(), StandardCopyOption.REPLACE_EXISTING);
      org.phm.pack.PackWriter.deleteTree(tmp);
      return data.sparkSession().read().parquet(file.toAbsolutePath().toString()).count();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** Text of a cell: ISO dates and UTC timestamps, plain decimal numbers. */
  static String text(Object v) {
    if (v instanceof Date d) {
      return d.toLocalDate().toString();
    }
    if (v instanceof LocalDate d) {
      return d.toString();
    }
    if (v instanceof Timestamp t) {
      return t.toInstant().toString();
    }
    if (v instanceof Instant i) {
      return i.toString();
    }
    if (v instanceof Double d) {
      return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf(d.longValue()) + ".0" : d.toString();
    }
    return String.valueOf(v);
  }

  private static String csvField(String s) {
    if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
      return '"' + s.replace("\"", "\"\"") + '"';
    }
    return s;
  }
}
