package org.phm.indicators;

import java.util.List;
import org.phm.stats.Polarity;

/**
 * One indicator of the catalogue (engine/src/main/resources/indicators/catalogue.yaml): what is counted,
 * how the value and its confidence limits are calculated, and how it is judged (target, RAG, polarity).
 *
 * @param id             stable identifier (upper snake case), the key of every output row
 * @param method         count, proportion, crude_rate, dsr, isr, ratio, mean, median or percentile
 * @param multiplier     scale of the value (100 for %, 1000 or 100000 for rates, 1 otherwise)
 * @param target         published standard / target in value units, or null
 * @param nationalValue  England comparator in value units, or null
 * @param levels         subset of ICS, ICP, PCN, PRACTICE, PROVIDER
 * @param period         default period type of numerator and denominator
 * @param standardAgeMax for dsr: highest age included in the standard population (e.g. 74 for under-75s), or null
 * @param inequality     whether SII/RII across IMD quintiles is calculated
 */
public record IndicatorDefinition(
    String id,
    String name,
    String domain,
    String definition,
    String unit,
    String method,
    double multiplier,
    Polarity polarity,
    Double target,
    Double nationalValue,
    String nationalPeriod,
    Rag rag,
    List<String> levels,
    String frequency,
    String period,
    String source,
    String caveats,
    String iprKpi,
    Integer standardAgeMax,
    boolean inequality,
    Part numerator,
    Part denominator) {

  /**
   * Numerator or denominator: rows of a linked-model dataset passing a Spark SQL filter within a period.
   *
   * @param dataset    linked-model dataset (patients, events, ae, spells, outpatients, rtt, diagnostics, cancer, iapt)
   * @param filter     Spark SQL boolean expression over the dataset's columns (default true)
   * @param period     period type overriding the indicator's (rolling_12_months, quarter, latest_month,
   *                   latest_snapshot, season, at_period_end)
   * @param date       column placing a row in a period (defaults per dataset; e.g. death_date on patients)
   * @param count      rows, patients (distinct), sum (of measure) or measure (mean/median/percentile input)
   * @param measure    Spark SQL numeric expression for count = sum or measure
   * @param percentile for method percentile: the quantile in (0, 1)
   */
  public record Part(String dataset, String filter, String period, String date, String count, String measure,
      Double percentile) {}

  /**
   * RAG rule. {@code target}: GREEN when the value meets the target, AMBER when it misses by no more than
   * {@code amberWithin} (value units), RED otherwise. {@code significance}: GREEN / AMBER / RED when the value
   * is significantly better / similar / worse than {@code against} (ics, national or target) at 95%.
   */
  public record Rag(String rule, Double amberWithin, String against) {}

  /** True when the target is met under the polarity (higher-is-better: value ≥ target; lower: value ≤ target). */
  public boolean meetsTarget(double value) {
    if (target == null || Double.isNaN(value)) {
      return false;
    }
    return polarity == Polarity.LOWER_IS_BETTER ? value <= target : value >= target;
  }
}
