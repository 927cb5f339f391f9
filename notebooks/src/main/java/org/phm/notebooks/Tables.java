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
import org.phm.disclosure.SmallNumberSuppression;
import org.phm.disclosure.SuppressionRule;
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

  /** Shown in a {@link #shareable} table in place of a withheld count. */
  public static final String WITHHELD = "*";

  /**
   * A two-way count table made safe to share with places: counts (rows of row value, column value, count, as from a
   * GROUP BY; repeated pairs are added, a missing pair is 0, a null value is labelled "Unknown") laid out as a grid
   * with row and column totals, then small-number suppression by {@link SmallNumberSuppression} under the NHS rule
   * (counts 1–7 withheld, with secondary suppression and an audit that no withheld cell can be recovered from the
   * totals). Withheld cells show {@link #WITHHELD}. Counts computed in a notebook from patient-level tables are not
   * suppressed; pass any table you built yourself through this before it leaves the PHM team.
   */
  public static Table shareable(Dataset<Row> counts, String rowColumn, String columnColumn, String countColumn) {
    return shareable(counts.select(rowColumn, columnColumn, countColumn).collectAsList(), rowColumn, columnColumn,
        countColumn);
  }

  /** {@link #shareable(Dataset, String, String, String)} over collected rows (row value, column value, count). */
  static Table shareable(List<Row> counts, String rowColumn, String columnColumn, String countColumn) {
    java.util.TreeMap<String, java.util.TreeMap<String, Long>> byRow = new java.util.TreeMap<>();
    java.util.TreeSet<String> columns = new java.util.TreeSet<>();
    for (Row r : counts) {
      String row = r.isNullAt(0) ? "Unknown" : String.valueOf(r.get(0));
      String column = r.isNullAt(1) ? "Unknown" : String.valueOf(r.get(1));
      long n = r.isNullAt(2) ? 0 : ((Number) r.get(2)).longValue();
      if (n < 0) {
        throw new IllegalArgumentException(countColumn + " is negative (" + n + ") for " + row + ", " + column);
      }
      byRow.computeIfAbsent(row, x -> new java.util.TreeMap<>()).merge(column, n, Long::sum);
      columns.add(column);
    }
    List<String> rowLabels = new ArrayList<>(byRow.keySet());
    List<String> columnLabels = new ArrayList<>(columns);
    long[][] grid = new long[rowLabels.size()][columnLabels.size()];
    for (int i = 0; i < rowLabels.size(); i++) {
      for (int j = 0; j < columnLabels.size(); j++) {
        grid[i][j] = byRow.get(rowLabels.get(i)).getOrDefault(columnLabels.get(j), 0L);
      }
    }
    SmallNumberSuppression.SuppressedTable safe = SmallNumberSuppression.suppress(grid, SuppressionRule.standard());
    StringColumn labels = StringColumn.create(rowColumn);
    rowLabels.forEach(labels::append);
    labels.append("Total");
    List<Column<?>> out = new ArrayList<>(List.of(labels));
    for (int j = 0; j <= columnLabels.size(); j++) {
      StringColumn c = StringColumn.create(j < columnLabels.size() ? columnLabels.get(j) : "Total");
      for (int i = 0; i <= rowLabels.size(); i++) {
        Long v = safe.cells()[i][j];
        c.append(v == null ? WITHHELD : String.valueOf(v));
      }
      out.add(c);
    }
    return Table.create(countColumn + " by " + rowColumn + " and " + columnColumn, out);
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
