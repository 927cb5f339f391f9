package org.phm.notebooks;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DateColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.InstantColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/** Small Spark results as Tablesaw tables, for notebooks (types kept; nulls become missing values). */
public final class Tables {
  private Tables() {}

  /**
   * Brings at most {@code maxRows} rows to the driver and builds a Tablesaw table with one column per
   * Spark column: string, int, long, double (float and decimal as double), boolean, date, timestamp;
   * other types as text.
   */
  public static Table fromSpark(Dataset<Row> data, int maxRows) {
    StructField[] fields = data.schema().fields();
    List<Column<?>> cols = new ArrayList<>();
    for (StructField f : fields) {
      cols.add(column(f.name(), f.dataType()));
    }
    for (Row r : data.limit(maxRows).collectAsList()) {
      for (int c = 0; c < fields.length; c++) {
        append(cols.get(c), r.isNullAt(c) ? null : r.get(c));
      }
    }
    return Table.create("result", cols);
  }

  private static Column<?> column(String name, DataType t) {
    if (t.equals(DataTypes.IntegerType) || t.equals(DataTypes.ShortType) || t.equals(DataTypes.ByteType)) {
      return IntColumn.create(name);
    } else if (t.equals(DataTypes.LongType)) {
      return LongColumn.create(name);
    } else if (t.equals(DataTypes.DoubleType) || t.equals(DataTypes.FloatType)
        || t instanceof org.apache.spark.sql.types.DecimalType) {
      return DoubleColumn.create(name);
    } else if (t.equals(DataTypes.BooleanType)) {
      return BooleanColumn.create(name);
    } else if (t.equals(DataTypes.DateType)) {
      return DateColumn.create(name);
    } else if (t.equals(DataTypes.TimestampType)) {
      return InstantColumn.create(name);
    }
    return StringColumn.create(name);
  }

  private static void append(Column<?> col, Object v) {
    if (v == null) {
      col.appendMissing();
    } else if (col instanceof IntColumn c) {
      c.append(((Number) v).intValue());
    } else if (col instanceof LongColumn c) {
      c.append(((Number) v).longValue());
    } else if (col instanceof DoubleColumn c) {
      c.append(((Number) v).doubleValue());
    } else if (col instanceof BooleanColumn c) {
      c.append((Boolean) v);
    } else if (col instanceof DateColumn c) {
      c.append(v instanceof Date d ? d.toLocalDate() : (LocalDate) v);
    } else if (col instanceof InstantColumn c) {
      c.append(v instanceof Timestamp ts ? ts.toInstant() : (Instant) v);
    } else if (col instanceof StringColumn c) {
      c.append(v instanceof scala.collection.Seq<?> s
          ? String.join(", ", scala.jdk.javaapi.CollectionConverters.asJava(s).stream().map(String::valueOf).toList())
          : String.valueOf(v));
    }
  }
}
