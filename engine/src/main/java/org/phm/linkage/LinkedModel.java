package org.phm.linkage;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The validated, pseudonymised and linked extracts that the analytic stages (risk, cohorts,
 * indicators) read. Column names are the contract documented in docs/ARCHITECTURE.md
 * ("Linked model"); every patient-level dataset is keyed by {@code patient_id}.
 */
public record LinkedModel(
    Dataset<Row> practices,
    Dataset<Row> listSizes,
    Dataset<Row> imd,
    Dataset<Row> patients,
    Dataset<Row> events,
    Dataset<Row> ae,
    Dataset<Row> spells,
    Dataset<Row> outpatients,
    Dataset<Row> rtt,
    Dataset<Row> diagnostics,
    Dataset<Row> cancer,
    Dataset<Row> iapt) {}
