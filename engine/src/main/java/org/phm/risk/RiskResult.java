package org.phm.risk;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.phm.pack.PackTable;

/**
 * Output of the risk stage.
 *
 * @param patientRisk one row per patient registered at the run date (opted-out patients included,
 *     flagged {@code opted_out}; they are excluded from the restricted pack tables only): features,
 *     risk_score, top factors, tier, segment and cohort ids, read from the checkpointed scores (see
 *     {@link RiskStage#run}); schema {@link RiskStage#patientRiskSchema} plus {@code cohorts}.
 * @param tables pack tables: risk_stratification, cohort_summary (SHAREABLE, unsuppressed), model_card
 *     (INTERNAL), patient_risk and cohort_members (RESTRICTED)
 */
public record RiskResult(Dataset<Row> patientRisk, List<PackTable> tables) {
  public RiskResult {
    tables = List.copyOf(tables);
  }

  /** The pack table with this name. */
  public PackTable table(String name) {
    return tables.stream().filter(t -> t.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no risk table " + name));
  }
}
