package org.phm.ingest;

/**
 * A cross-column rule of an extract contract: a Spark SQL boolean expression over the parsed columns.
 * A row where it is false is quarantined with {@code reason}; NULL (an operand missing) passes.
 *
 * @param expr Spark SQL boolean expression (may use {@code run_date})
 * @param reason quarantine reason code (e.g. DATE_ORDER)
 * @param column the column the failure is reported against
 */
public record RowRule(String expr, String reason, String column) {}
