package org.phm.ingest;

/**
 * Provenance and row counts of one ingested input file (goes to the pack manifest and dq_file_summary).
 * Reconciliation: {@code rowsIn == rowsAccepted + rowsQuarantined} always.
 *
 * @param contract contract name
 * @param file file name as found in the input directory (e.g. gp_events.csv.gz)
 * @param sha256 SHA-256 of the file bytes as supplied
 * @param bytes file size in bytes
 * @param rowsIn data records read (header excluded)
 * @param rowsAccepted records accepted
 * @param rowsQuarantined records quarantined
 */
public record InputFileInfo(
    String contract, String file, String sha256, long bytes, long rowsIn, long rowsAccepted, long rowsQuarantined) {
  public InputFileInfo {
    if (rowsIn != rowsAccepted + rowsQuarantined) {
      throw new IllegalStateException("row counts of " + file + " do not reconcile: " + rowsIn + " in, "
          + rowsAccepted + " accepted, " + rowsQuarantined + " quarantined");
    }
  }
}
