package org.phm.ingest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The data-quality reason codes ingest assigns (docs/data-quality.md explains each). Quarantine codes
 * remove the row from the accepted data (one code per row: the first check that fails); warning codes
 * keep the row and are only counted. Row-rule codes (e.g. DATE_ORDER) come from contracts/extracts.yaml.
 */
public final class ReasonCodes {
  private ReasonCodes() {}

  public static final String MALFORMED_ROW = "MALFORMED_ROW";
  public static final String MISSING_REQUIRED = "MISSING_REQUIRED";
  public static final String INVALID_NUMBER = "INVALID_NUMBER";
  public static final String INVALID_DATE = "INVALID_DATE";
  public static final String INVALID_NHS_NUMBER = "INVALID_NHS_NUMBER";
  public static final String INVALID_VALUE = "INVALID_VALUE";
  public static final String INVALID_FORMAT = "INVALID_FORMAT";
  public static final String OUT_OF_RANGE = "OUT_OF_RANGE";
  public static final String IMPLAUSIBLE_DATE = "IMPLAUSIBLE_DATE";
  public static final String UNKNOWN_REFERENCE = "UNKNOWN_REFERENCE";
  public static final String DUPLICATE = "DUPLICATE";
  public static final String CONFLICTING_DUPLICATE = "CONFLICTING_DUPLICATE";

  public static final String UNMAPPED_CODE = "UNMAPPED_CODE";
  public static final String ENCODING_REPLACED = "ENCODING_REPLACED";
  public static final String UNLINKED_PATIENT = "UNLINKED_PATIENT";

  /** Severity of a quarantine code in dq_reason_counts. */
  public static final String QUARANTINE = "QUARANTINE";
  /** Severity of a warning code in dq_reason_counts. */
  public static final String WARNING = "WARNING";

  /** Built-in quarantine codes in check order, with a one-line meaning. */
  public static final Map<String, String> QUARANTINE_CODES = ordered(
      MALFORMED_ROW, "the record does not parse against the header (wrong number of fields, broken quoting)",
      MISSING_REQUIRED, "a required value is empty",
      INVALID_NUMBER, "an int/double column holds text that is not a number",
      INVALID_DATE, "a date/timestamp column holds text that is not a valid date (e.g. 2021-02-31)",
      INVALID_NHS_NUMBER, "not 10 digits, a repeated-digit placeholder, or the modulus-11 check fails",
      INVALID_VALUE, "the value is not in the column's allowed list",
      INVALID_FORMAT, "the value does not match the column's pattern",
      OUT_OF_RANGE, "a number is below min or above max",
      IMPLAUSIBLE_DATE, "a date is after the run date (not_after) or before not_before",
      UNKNOWN_REFERENCE, "a foreign key has no match in the accepted rows of the referenced file",
      DUPLICATE, "an exact copy of an earlier row with the same key (the first copy is kept)",
      CONFLICTING_DUPLICATE, "rows share a key but differ in content (all copies are quarantined)");

  /** Warning codes (row kept, counted in dq_reason_counts). */
  public static final Map<String, String> WARNING_CODES = ordered(
      UNMAPPED_CODE, "gp_events code not in any code list under codelists/ (row kept; the code is unused)",
      ENCODING_REPLACED, "the record had bytes that are not valid UTF-8; they were replaced by U+FFFD",
      UNLINKED_PATIENT, "the NHS number is not on the accepted GP patient list (secondary care / opt-out rows)");

  private static Map<String, String> ordered(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return java.util.Collections.unmodifiableMap(m);
  }

  /** All built-in codes (quarantine then warning). */
  public static List<String> all() {
    return java.util.stream.Stream.concat(QUARANTINE_CODES.keySet().stream(), WARNING_CODES.keySet().stream()).toList();
  }
}
