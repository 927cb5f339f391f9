package org.phm.ingest;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.phm.pack.PackTable;

/**
 * What ingest hands on: the accepted rows of every file (typed, staged as Parquet so re-reads are cheap),
 * the data-quality pack tables and the provenance of every input.
 *
 * @param accepted accepted rows by contract name; columns as in the contract with their types, except the
 *     nhs_number column is replaced by {@code patient_id}. An optional file that was absent is absent here.
 * @param dataQuality dq_file_summary, dq_reason_counts, dq_quarantine (Sensitivity.DATA_QUALITY)
 * @param inputs one entry per file read, in processing order
 */
public record IngestResult(Map<String, Dataset<Row>> accepted, List<PackTable> dataQuality, List<InputFileInfo> inputs) {
  public IngestResult {
    accepted = Map.copyOf(accepted);
    dataQuality = List.copyOf(dataQuality);
    inputs = List.copyOf(inputs);
  }

  /** The accepted rows of a contract; fails if the file was not ingested. */
  public Dataset<Row> accepted(String contract) {
    Dataset<Row> d = accepted.get(contract);
    if (d == null) {
      throw new IllegalArgumentException("no accepted dataset for '" + contract + "'; ingested: " + accepted.keySet());
    }
    return d;
  }

  /** The accepted rows of an optional contract, if its file was present. */
  public Optional<Dataset<Row>> acceptedIfPresent(String contract) {
    return Optional.ofNullable(accepted.get(contract));
  }

  /** The data-quality table with this name. */
  public PackTable dataQualityTable(String name) {
    return dataQuality.stream().filter(t -> t.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no data-quality table " + name));
  }
}
