package org.phm.testing;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Small helpers to build hand-made Spark rows in tests: null-safe dates, and wide rows given by name. */
public final class TestRows {
  private TestRows() {}

  /** {@code x} as a Spark date value (null stays null). */
  public static Date date(LocalDate x) {
    return x == null ? null : Date.valueOf(x);
  }

  /** {@code x} as a Spark timestamp value (null stays null). */
  public static Timestamp timestamp(LocalDateTime x) {
    return x == null ? null : Timestamp.valueOf(x);
  }

  /** Column name → value pairs in order: {@code values("age", 70, "ltc_count", 5)}. */
  public static Map<String, Object> values(Object... kv) {
    if (kv.length % 2 != 0) {
      throw new IllegalArgumentException("values(...) takes name, value pairs; got " + kv.length + " arguments");
    }
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  /**
   * A row of {@code schema} with the given values by column name and defaults elsewhere (0 for integers, false for
   * booleans, null otherwise). Unknown names fail, so a misspelt column cannot silently fall back to its default.
   */
  public static Row row(StructType schema, Map<String, Object> values) {
    for (String name : values.keySet()) {
      if (!List.of(schema.fieldNames()).contains(name)) {
        throw new IllegalArgumentException("no column " + name + " in " + schema.simpleString());
      }
    }
    Object[] v = new Object[schema.size()];
    for (int i = 0; i < v.length; i++) {
      StructField f = schema.fields()[i];
      DataType t = f.dataType();
      Object dflt = t.equals(DataTypes.IntegerType) ? (Object) 0 : t.equals(DataTypes.BooleanType) ? (Object) false : null;
      v[i] = values.containsKey(f.name()) ? values.get(f.name()) : dflt;
    }
    return RowFactory.create(v);
  }

  /** One {@link #row} per patient: {@code patient_id} is the map key, the other columns its values. */
  public static Dataset<Row> patients(SparkSession spark, StructType schema, Map<String, Map<String, Object>> byId) {
    List<Row> rows = new ArrayList<>();
    byId.forEach((id, values) -> {
      Map<String, Object> v = new HashMap<>(values);
      v.put("patient_id", id);
      rows.add(row(schema, v));
    });
    return spark.createDataFrame(rows, schema);
  }
}
