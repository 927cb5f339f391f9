package org.phm.pack;

import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A table a stage contributes to the pack.
 *
 * @param name table name (snake_case, unique in a pack; described in the data dictionary)
 * @param data the rows
 * @param sensitivity information-governance class (decides area and suppression)
 * @param partitionBy columns to partition the Parquet output by (may be empty)
 */
public record PackTable(String name, Dataset<Row> data, Sensitivity sensitivity, List<String> partitionBy) {
  public PackTable {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(sensitivity, "sensitivity");
    partitionBy = partitionBy == null ? List.of() : List.copyOf(partitionBy);
  }

  public PackTable(String name, Dataset<Row> data, Sensitivity sensitivity) {
    this(name, data, sensitivity, List.of());
  }
}
