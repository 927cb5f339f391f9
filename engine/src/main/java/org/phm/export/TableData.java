package org.phm.export;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A small aggregate pack table held in memory for rendering. Columns are read by name, and an absent
 * column reads as null, so the exporter tolerates optional columns and small schema differences.
 */
final class TableData {
  private final String name;
  private final List<String> columns;
  private final Map<String, Integer> index = new HashMap<>();
  private final List<Object[]> rows;

  TableData(String name, List<String> columns, List<Object[]> rows) {
    this.name = name;
    this.columns = List.copyOf(columns);
    for (int i = 0; i < columns.size(); i++) {
      index.put(columns.get(i), i);
    }
    this.rows = rows;
  }

  /** Collects an (already filtered, small) aggregate Dataset. */
  static TableData collect(String name, Dataset<Row> ds) {
    List<String> cols = Arrays.asList(ds.columns());
    List<Object[]> rows = new ArrayList<>();
    for (Row r : ds.collectAsList()) {
      Object[] v = new Object[cols.size()];
      for (int i = 0; i < v.length; i++) {
        Object o = r.isNullAt(i) ? null
            : ds.schema().fields()[i].dataType() instanceof org.apache.spark.sql.types.ArrayType
                ? String.join(", ", r.getList(i).stream().map(String::valueOf).toList()) : r.get(i);
        v[i] = o instanceof java.sql.Date d ? d.toLocalDate().toString()
            : o instanceof java.sql.Timestamp t ? t.toLocalDateTime().toLocalDate().toString() : o;
      }
      rows.add(v);
    }
    return new TableData(name, cols, rows);
  }

  String name() {
    return name;
  }

  List<String> columns() {
    return columns;
  }

  List<Object[]> rows() {
    return rows;
  }

  boolean has(String column) {
    return index.containsKey(column);
  }

  /** First present column among the alternatives, or null. */
  String pick(String... alternatives) {
    for (String a : alternatives) {
      if (has(a)) {
        return a;
      }
    }
    return null;
  }

  Object get(Object[] row, String column) {
    Integer i = column == null ? null : index.get(column);
    return i == null ? null : row[i];
  }

  String str(Object[] row, String... alternatives) {
    Object o = get(row, pick(alternatives));
    return o == null ? null : o.toString();
  }

  Double num(Object[] row, String... alternatives) {
    Object o = get(row, pick(alternatives));
    if (o instanceof Number n) {
      double d = n.doubleValue();
      return Double.isNaN(d) ? null : d;
    }
    if (o instanceof String s && !s.isBlank()) {
      try {
        return Double.parseDouble(s.strip());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  boolean bool(Object[] row, String column) {
    Object o = get(row, column);
    return o instanceof Boolean b ? b : o != null && "true".equalsIgnoreCase(o.toString());
  }
}
