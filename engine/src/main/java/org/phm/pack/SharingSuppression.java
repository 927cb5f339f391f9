package org.phm.pack;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampType;

/**
 * The one small-number suppression step every shareable table passes through before it is written
 * (NHS convention: counts 1 to {@code threshold}, default 7, are withheld).
 *
 * <p>Primary suppression withholds a row whose count columns (dictionary role {@code count}) hold a
 * value in 1..threshold; its count and derived columns (role {@code derived}: rates, limits) become
 * null and {@code suppressed} is true. Secondary suppression then protects the primary cells from
 * subtraction: for each group of rows the dictionary declares as parts of a published total, if
 * exactly one row is withheld the smallest remaining row is withheld too (ties go to the row that sorts first by
 * its other columns, so the result does not depend on row order or partitioning). Passes repeat until no
 * group has a lone withheld row, since one dimension's secondary cell can expose another.
 *
 * <p>A shareable table is an aggregate (areas × breakdowns × periods, hundreds of thousands of rows at most, and the
 * indicator table is built on the driver anyway), so it is suppressed on the driver: the passes are hash-map
 * lookups and one sort per group, where Spark needed a shuffle, two window sorts and a checkpoint per group and pass.
 * Comparisons follow Spark SQL (a null condition is not true; NaN is larger than every number; strings in code-point
 * order), so the rows withheld are those the earlier Spark window formulation withheld.
 */
public final class SharingSuppression {
  private static final String FLAG = "suppressed";
  private static final int MAX_PASSES = 10;

  private SharingSuppression() {}

  public static Dataset<Row> apply(Dataset<Row> data, DataDictionary.Table table, int threshold) {
    List<String> counts = table.columnsWithRole("count");
    if (counts.isEmpty()) {
      throw new PackException("shareable table " + table.name() + " declares no column with role: count");
    }
    for (String c : counts) {
      if (!List.of(data.columns()).contains(c)) {
        throw new PackException("shareable table " + table.name() + ": count column " + c + " is not in the data");
      }
    }
    StructType in = data.schema();
    // the columns a withheld row loses: its counts and the derived values present in the data
    List<String> withheldColumns = new ArrayList<>(counts);
    table.columnsWithRole("derived").stream().filter(List.of(in.fieldNames())::contains).forEach(withheldColumns::add);
    StructType out = outputSchema(in, table, withheldColumns);
    List<Row> rows = data.collectAsList();
    int n = rows.size();
    int[] countAt = counts.stream().mapToInt(in::fieldIndex).toArray();
    // three-valued, as SQL: null when no count is small and some count is null
    Boolean[] flag = new Boolean[n];
    for (int i = 0; i < n; i++) {
      Boolean f = false;
      for (int c : countAt) {
        f = or(f, small(rows.get(i), c, threshold));
      }
      flag[i] = f;
    }
    List<List<String>> groups = table.suppression() == null || table.suppression().groups() == null
        ? List.of() : table.suppression().groups();
    if (!groups.isEmpty()) {
      Comparator<Integer> complement = complementOrder(rows, in, in.fieldIndex(counts.get(0)), flag);
      // each row's group under each declared grouping, numbered once: the passes only change flags
      List<int[]> groupOf = new ArrayList<>();
      for (List<String> group : groups) {
        groupOf.add(groupNumbers(rows, group.stream().mapToInt(in::fieldIndex).toArray()));
      }
      for (int pass = 0; pass < MAX_PASSES; pass++) {
        long before = withheld(flag);
        for (int[] g : groupOf) {
          secondaryPass(g, flag, complement);
        }
        if (withheld(flag) == before) {
          break;
        }
      }
    }
    int[] blanked = withheldColumns.stream().mapToInt(in::fieldIndex).toArray();
    int flagAt = out.fieldIndex(FLAG);
    List<Row> result = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Object[] v = new Object[out.size()];
      Row r = rows.get(i);
      for (int j = 0; j < in.size(); j++) {
        v[j] = r.get(j);
      }
      if (Boolean.TRUE.equals(flag[i])) {
        for (int j : blanked) {
          v[j] = null;
        }
      }
      v[flagAt] = flag[i];
      result.add(RowFactory.create(v));
    }
    return data.sparkSession().createDataFrame(result, out);
  }

  /** The input columns (withheld ones nullable) and {@code suppressed}, replacing a column of that name. */
  private static StructType outputSchema(StructType in, DataDictionary.Table table, List<String> withheld) {
    StructType out = new StructType();
    for (StructField f : in.fields()) {
      if (!f.name().equals(FLAG)) {
        out = out.add(f.name(), f.dataType(), f.nullable() || withheld.contains(f.name()), f.metadata());
      }
    }
    if (List.of(in.fieldNames()).contains(FLAG) && in.fieldIndex(FLAG) != in.size() - 1) {
      throw new PackException("shareable table " + table.name() + ": column " + FLAG + " must come last");
    }
    return out.add(FLAG, DataTypes.BooleanType, true);
  }

  /** Each row's group number (0, 1, ...) by its values of the key columns, compared as Spark compares them. */
  private static int[] groupNumbers(List<Row> rows, int[] keys) {
    Map<List<Object>, Integer> numbers = new HashMap<>();
    int[] out = new int[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      List<Object> key = new ArrayList<>(keys.length);
      for (int k : keys) {
        key.add(groupValue(rows.get(i).get(k)));
      }
      out[i] = numbers.computeIfAbsent(key, x -> numbers.size());
    }
    return out;
  }

  /**
   * In each group holding exactly one withheld row, withholds its first row in {@code complement} order (the
   * smallest unwithheld count), judged on the flags as they were before this pass.
   */
  private static void secondaryPass(int[] groupOf, Boolean[] flag, Comparator<Integer> complement) {
    int groups = 0;
    for (int g : groupOf) {
      groups = Math.max(groups, g + 1);
    }
    int[] withheldRows = new int[groups];
    int[] first = new int[groups];
    Arrays.fill(first, -1);
    for (int i = 0; i < groupOf.length; i++) {
      int g = groupOf[i];
      withheldRows[g] += Boolean.TRUE.equals(flag[i]) ? 1 : 0;
      if (first[g] < 0 || complement.compare(i, first[g]) < 0) {
        first[g] = i;
      }
    }
    for (int g = 0; g < groups; g++) {
      if (withheldRows[g] == 1) {
        flag[first[g]] = true;
      }
    }
  }

  /**
   * Order in which a group's rows are chosen as the complementary cell: not yet withheld first (null flag, then
   * false, then true, as SQL sorts them), the smallest primary count (nulls last), then every other column ascending
   * (nulls first), so ties never depend on row order.
   */
  private static Comparator<Integer> complementOrder(List<Row> rows, StructType schema, int primary, Boolean[] flag) {
    Comparator<Integer> order = (a, b) -> compareNulls(flag[a], flag[b], DataTypes.BooleanType, true);
    DataType primaryType = schema.fields()[primary].dataType();
    order = order.thenComparing((a, b) -> compareNulls(rows.get(a).get(primary), rows.get(b).get(primary),
        primaryType, false));
    for (int j = 0; j < schema.size(); j++) {
      StructField f = schema.fields()[j];
      if (j == primary || f.name().equals(FLAG) || f.dataType() instanceof MapType) {
        continue;
      }
      int col = j;
      DataType type = f.dataType();
      order = order.thenComparing((a, b) -> compareNulls(rows.get(a).get(col), rows.get(b).get(col), type, true));
    }
    return order;
  }

  /** Ascending order with nulls first or last. */
  private static int compareNulls(Object x, Object y, DataType type, boolean nullsFirst) {
    if (x == null || y == null) {
      return x == y ? 0 : (x == null) == nullsFirst ? -1 : 1;
    }
    return compare(x, y, type);
  }

  /** Spark SQL's ascending order for the column types of shareable tables. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int compare(Object x, Object y, DataType type) {
    if (type instanceof StringType) {
      return compareCodePoints((String) x, (String) y);
    }
    if (type instanceof DecimalType) {
      return ((BigDecimal) x).compareTo((BigDecimal) y);
    }
    if (type instanceof NumericType) {
      if (x instanceof Double || x instanceof Float) {
        return compareDoubles(((Number) x).doubleValue(), ((Number) y).doubleValue());
      }
      return Long.compare(((Number) x).longValue(), ((Number) y).longValue());
    }
    if (type instanceof BooleanType || type instanceof DateType || type instanceof TimestampType) {
      return ((Comparable) x).compareTo(y);
    }
    throw new PackException("small-number suppression cannot order a column of type " + type.simpleString());
  }

  /** Spark SQL: NaN equals NaN and is larger than any number; -0.0 equals 0.0. */
  private static int compareDoubles(double x, double y) {
    return x == y ? 0 : Double.compare(x, y);
  }

  private static int compareCodePoints(String x, String y) {
    int i = 0;
    int j = 0;
    while (i < x.length() && j < y.length()) {
      int a = x.codePointAt(i);
      int b = y.codePointAt(j);
      if (a != b) {
        return Integer.compare(a, b);
      }
      i += Character.charCount(a);
      j += Character.charCount(b);
    }
    return Integer.compare(x.length() - i, y.length() - j);
  }

  /** A group key value as Spark compares partition keys (-0.0 and 0.0 are one key, as are all NaNs). */
  private static Object groupValue(Object v) {
    if (v instanceof Double d) {
      return d == 0.0 ? Double.valueOf(0.0) : d;
    }
    if (v instanceof Float f) {
      return f == 0.0f ? Float.valueOf(0.0f) : f;
    }
    return v;
  }

  /** {@code 0 < count <= threshold} in SQL: null for a null count; NaN is above every threshold. */
  private static Boolean small(Row r, int c, int threshold) {
    if (r.isNullAt(c)) {
      return null;
    }
    Object v = r.get(c);
    if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      return compareDoubles(d, 0) > 0 && compareDoubles(d, threshold) <= 0;
    }
    if (v instanceof BigDecimal b) {
      return b.signum() > 0 && b.compareTo(BigDecimal.valueOf(threshold)) <= 0;
    }
    long l = ((Number) v).longValue();
    return l > 0 && l <= threshold;
  }

  /** SQL three-valued OR. */
  private static Boolean or(Boolean a, Boolean b) {
    if (Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b)) {
      return true;
    }
    return a == null || b == null ? null : false;
  }

  private static long withheld(Boolean[] flag) {
    long n = 0;
    for (Boolean f : flag) {
      if (Boolean.TRUE.equals(f)) {
        n++;
      }
    }
    return n;
  }
}
