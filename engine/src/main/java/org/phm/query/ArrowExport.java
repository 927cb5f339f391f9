package org.phm.query;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;
import org.phm.pack.Manifest;
import org.phm.pack.PackReader;

/**
 * Writes pack tables (or any query result) as Apache Arrow IPC files (the random-access "file"
 * format, {@code .arrow}), which pandas/pyarrow, R arrow, DuckDB and Polars read without conversion.
 *
 * <p>Rows are streamed from Spark with {@code toLocalIterator()} in record batches, so only one
 * partition and one batch are on the driver at a time. Type mapping: string → Utf8, int → Int32,
 * long → Int64, short → Int16, byte → Int8, double → Float64, float → Float32, boolean → Bool,
 * decimal → Decimal, date → Date32 (days), timestamp → Timestamp(µs, UTC), timestamp_ntz →
 * Timestamp(µs); any other type (arrays, maps, structs) is written as its string form.
 */
public final class ArrowExport {
  /** Rows per Arrow record batch. */
  public static final int BATCH_ROWS = 65_536;

  private ArrowExport() {}

  /**
   * Writes each named table of {@code pack} to {@code outDir/<table>.arrow}.
   *
   * @param tables table names; empty means every table visible to the caller
   * @param includeRestricted whether restricted (patient-level) tables may be exported
   * @return the files written, in the order of {@code tables}
   */
  public static List<Path> write(SparkSession spark, PackReader pack, List<String> tables, Path outDir,
      boolean includeRestricted) {
    List<String> names = tables == null || tables.isEmpty()
        ? pack.tables(includeRestricted).stream().map(Manifest.TableEntry::name).toList()
        : tables;
    for (String t : names) {
      pack.entry(t, includeRestricted); // fail before writing anything if a name is wrong or restricted
    }
    try {
      Files.createDirectories(outDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + outDir + ": " + e.getMessage(), e);
    }
    List<Path> out = new ArrayList<>();
    for (String t : names) {
      Path file = outDir.resolve(t + ".arrow");
      writeDataset(pack.read(spark, t, includeRestricted), file);
      out.add(file);
    }
    return out;
  }

  /** Writes one Dataset to an Arrow IPC file (replaced atomically). Returns the number of rows written. */
  public static long writeDataset(Dataset<Row> data, Path file) {
    return writeDataset(data, file, BATCH_ROWS);
  }

  /** As {@link #writeDataset(Dataset, Path)} with a chosen number of rows per record batch. */
  public static long writeDataset(Dataset<Row> data, Path file, int batchRows) {
    StructField[] fields = data.schema().fields();
    List<Field> arrowFields = new ArrayList<>();
    for (StructField f : fields) {
      arrowFields.add(new Field(f.name(), new FieldType(f.nullable(), arrowType(f.dataType()), null), null));
    }
    Path target = file.toAbsolutePath();
    Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
    long rows = 0;
    try (BufferAllocator allocator = new RootAllocator();
         VectorSchemaRoot root = VectorSchemaRoot.create(new Schema(arrowFields), allocator);
         FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
             StandardOpenOption.TRUNCATE_EXISTING);
         ArrowFileWriter writer = new ArrowFileWriter(root, null, channel)) {
      writer.start();
      Iterator<Row> it = data.toLocalIterator();
      List<FieldVector> vectors = root.getFieldVectors();
      boolean wroteBatch = false;
      while (it.hasNext() || !wroteBatch) {
        root.allocateNew();
        int n = 0;
        while (n < batchRows && it.hasNext()) {
          Row r = it.next();
          for (int c = 0; c < fields.length; c++) {
            set(vectors.get(c), fields[c].dataType(), n, r.isNullAt(c) ? null : r.get(c));
          }
          n++;
        }
        root.setRowCount(n);
        writer.writeBatch();
        wroteBatch = true;
        rows += n;
      }
      writer.end();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write Arrow file " + file + ": " + e.getMessage(), e);
    }
    try {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot move " + tmp + " to " + target + ": " + e.getMessage(), e);
    }
    return rows;
  }

  /** The Arrow type a Spark column is written as. */
  public static ArrowType arrowType(DataType t) {
    if (t.equals(DataTypes.StringType)) {
      return ArrowType.Utf8.INSTANCE;
    } else if (t.equals(DataTypes.IntegerType)) {
      return new ArrowType.Int(32, true);
    } else if (t.equals(DataTypes.LongType)) {
      return new ArrowType.Int(64, true);
    } else if (t.equals(DataTypes.ShortType)) {
      return new ArrowType.Int(16, true);
    } else if (t.equals(DataTypes.ByteType)) {
      return new ArrowType.Int(8, true);
    } else if (t.equals(DataTypes.DoubleType)) {
      return new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
    } else if (t.equals(DataTypes.FloatType)) {
      return new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
    } else if (t.equals(DataTypes.BooleanType)) {
      return ArrowType.Bool.INSTANCE;
    } else if (t.equals(DataTypes.DateType)) {
      return new ArrowType.Date(DateUnit.DAY);
    } else if (t.equals(DataTypes.TimestampType)) {
      return new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC");
    } else if (t.equals(DataTypes.TimestampNTZType)) {
      return new ArrowType.Timestamp(TimeUnit.MICROSECOND, null);
    } else if (t instanceof DecimalType d) {
      return new ArrowType.Decimal(d.precision(), d.scale(), 128);
    }
    return ArrowType.Utf8.INSTANCE;
  }

  private static void set(FieldVector v, DataType t, int i, Object x) {
    if (x == null) {
      v.setNull(i);
    } else if (v instanceof IntVector iv) {
      iv.setSafe(i, ((Number) x).intValue());
    } else if (v instanceof BigIntVector bv) {
      bv.setSafe(i, ((Number) x).longValue());
    } else if (v instanceof SmallIntVector sv) {
      sv.setSafe(i, ((Number) x).shortValue());
    } else if (v instanceof TinyIntVector tv) {
      tv.setSafe(i, ((Number) x).byteValue());
    } else if (v instanceof Float8Vector fv) {
      fv.setSafe(i, ((Number) x).doubleValue());
    } else if (v instanceof Float4Vector fv) {
      fv.setSafe(i, ((Number) x).floatValue());
    } else if (v instanceof BitVector bv) {
      bv.setSafe(i, ((Boolean) x) ? 1 : 0);
    } else if (v instanceof DateDayVector dv) {
      LocalDate d = x instanceof Date sd ? sd.toLocalDate() : (LocalDate) x;
      dv.setSafe(i, Math.toIntExact(d.toEpochDay()));
    } else if (v instanceof TimeStampMicroTZVector tv) {
      Instant in = x instanceof Timestamp ts ? ts.toInstant() : (Instant) x;
      tv.setSafe(i, Math.addExact(Math.multiplyExact(in.getEpochSecond(), 1_000_000L), in.getNano() / 1_000));
    } else if (v instanceof TimeStampMicroVector tv) {
      Instant in = ((LocalDateTime) x).toInstant(ZoneOffset.UTC);
      tv.setSafe(i, Math.addExact(Math.multiplyExact(in.getEpochSecond(), 1_000_000L), in.getNano() / 1_000));
    } else if (v instanceof DecimalVector dv) {
      dv.setSafe(i, ((BigDecimal) x).setScale(dv.getScale()));
    } else if (v instanceof VarCharVector sv) {
      sv.setSafe(i, String.valueOf(x).getBytes(StandardCharsets.UTF_8));
    } else {
      throw new IllegalStateException("no Arrow writer for " + t);
    }
  }
}
