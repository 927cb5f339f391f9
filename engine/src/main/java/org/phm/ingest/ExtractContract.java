package org.phm.ingest;

import java.util.List;
import java.util.Optional;

/**
 * The contract of one input extract file (an entry of contracts/extracts.yaml): where it is, whether it
 * must be present, its columns with their rules, the record key and cross-column rules.
 *
 * @param name contract name (e.g. gp_patients); also the key of the accepted dataset
 * @param file file name in the input directory ({@code file} or {@code file.gz} is accepted)
 * @param required whether a missing file stops the run
 * @param description what the file holds
 * @param key columns identifying a record (empty = no duplicate check)
 * @param columns the columns in contract order
 * @param rowRules cross-column rules in order
 */
public record ExtractContract(
    String name,
    String file,
    boolean required,
    String description,
    List<String> key,
    List<ColumnContract> columns,
    List<RowRule> rowRules) {

  public ExtractContract {
    key = key == null ? List.of() : List.copyOf(key);
    columns = List.copyOf(columns);
    rowRules = rowRules == null ? List.of() : List.copyOf(rowRules);
  }

  /** The column with this name (exact match), if any. */
  public Optional<ColumnContract> column(String columnName) {
    return columns.stream().filter(c -> c.name().equals(columnName)).findFirst();
  }
}
