package org.phm.ingest;

/**
 * A fatal problem with the input extracts that stops the run before anything is published (missing
 * required file, empty file, missing required column, wrong delimiter, unreadable gzip). The command line
 * exits with {@link #EXIT_INPUT}. Row-level problems are not fatal: those rows are quarantined.
 */
public class InputException extends RuntimeException {
  /** Process exit code for fatal input problems. */
  public static final int EXIT_INPUT = 3;

  private final String file;
  private final String column;
  private final Long row;
  private final String reason;

  /**
   * @param file input file name
   * @param column column concerned, or null
   * @param row 1-based physical line number concerned (1 = header line), or null
   * @param reason what is wrong and what to do
   */
  public InputException(String file, String column, Long row, String reason) {
    this(file, column, row, reason, null);
  }

  public InputException(String file, String column, Long row, String reason, Throwable cause) {
    super(message(file, column, row, reason), cause);
    this.file = file;
    this.column = column;
    this.row = row;
    this.reason = reason;
  }

  private static String message(String file, String column, Long row, String reason) {
    StringBuilder b = new StringBuilder("input file ").append(file);
    if (row != null) {
      b.append(", line ").append(row);
    }
    if (column != null) {
      b.append(", column '").append(column).append('\'');
    }
    return b.append(": ").append(reason).toString();
  }

  public String file() {
    return file;
  }

  public String column() {
    return column;
  }

  public Long row() {
    return row;
  }

  public String reason() {
    return reason;
  }

  public int exitCode() {
    return EXIT_INPUT;
  }
}
