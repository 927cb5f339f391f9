package org.phm.ingest;

import java.time.LocalDate;
import java.util.List;

/**
 * One column of an extract contract and its validation rules.
 *
 * @param name header name (matched case-insensitively, surrounding whitespace ignored)
 * @param type one of string, int, double, date, timestamp, nhs_number
 * @param required whether an empty value quarantines the row (MISSING_REQUIRED) and the header must contain it
 * @param allowed closed list of values (empty = any)
 * @param pattern Java regular expression the value must match (null = any)
 * @param min inclusive lower bound for numbers (null = none)
 * @param max inclusive upper bound for numbers (null = none)
 * @param notAfterRunDate dates/timestamps must not be after the run date
 * @param notBefore dates/timestamps must not be before this date (null = none)
 * @param references foreign key {@code file.column} checked against the accepted rows of that file (null = none)
 * @param description meaning, shown in docs/data-contracts.md
 */
public record ColumnContract(
    String name,
    String type,
    boolean required,
    List<String> allowed,
    String pattern,
    Double min,
    Double max,
    boolean notAfterRunDate,
    LocalDate notBefore,
    String references,
    String description) {

  /** Column types the ingest understands. */
  public static final List<String> TYPES = List.of("string", "int", "double", "date", "timestamp", "nhs_number");

  public ColumnContract {
    allowed = allowed == null ? List.of() : List.copyOf(allowed);
  }

  public boolean isNhsNumber() {
    return "nhs_number".equals(type);
  }

  /** Referenced contract name, or null. */
  public String referencedFile() {
    return references == null ? null : references.substring(0, references.indexOf('.'));
  }

  /** Referenced column name, or null. */
  public String referencedColumn() {
    return references == null ? null : references.substring(references.indexOf('.') + 1);
  }
}
