package org.phm.risk;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Tiers and segments. Tiers form a Kaiser-style pyramid by rank of risk score (highest first; ties
 * broken by patient id so the result is deterministic). Segments are Bridges-to-Health-style: an
 * ordered list of rules, first match wins, last rule is the catch-all, so every patient has exactly one.
 */
public final class Stratification {
  private Stratification() {}

  /**
   * Cumulative rank cut-offs for {@code n} patients: patient ranked r (1 = highest score) is in the
   * first tier whose cut-off is ≥ r; cut-off i = round half up(n × cumulative share of tiers 1..i), summed in decimal.
   */
  public static long[] tierCutoffs(List<RiskConfig.Tier> tiers, long n) {
    long[] cut = new long[tiers.size()];
    java.math.BigDecimal cum = java.math.BigDecimal.ZERO; // decimal sum: 0.005 + 0.045 is exactly 0.05
    for (int i = 0; i < tiers.size(); i++) {
      cum = cum.add(java.math.BigDecimal.valueOf(tiers.get(i).share()));
      cut[i] = i == tiers.size() - 1 ? n
          : cum.multiply(java.math.BigDecimal.valueOf(n)).setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
    }
    return cut;
  }

  /**
   * Adds {@code tier} (1 = highest risk) and {@code tier_name} by rank of {@code risk_score}. Only the ranking key
   * (score, patient id) is sorted, to find the patient at each cut-off rank; every row is then placed by comparing
   * its key with those boundaries, so the wide rows are never moved into one partition.
   */
  public static Dataset<Row> withTiers(Dataset<Row> scored, List<RiskConfig.Tier> tiers) {
    long n = scored.count();
    long[] cut = tierCutoffs(tiers, n);
    Object[] ranks = Arrays.stream(cut, 0, tiers.size() - 1).boxed().toArray(); // the last tier takes the rest
    Map<Long, Row> boundary = new HashMap<>();
    if (ranks.length > 0) {
      Column rank = row_number().over(Window.orderBy(col("risk_score").desc_nulls_last(), col("patient_id")));
      for (Row r : scored.select(col("risk_score"), col("patient_id")).withColumn("__rank", rank)
          .filter(col("__rank").isin(ranks)).collectAsList()) {
        boundary.put(((Number) r.get(2)).longValue(), r);
      }
    }
    Column tier = null;
    Column name = null;
    for (int i = 0; i < tiers.size() - 1; i++) {
      Column in = atOrAbove(boundary.get(cut[i]));
      tier = tier == null ? when(in, tiers.get(i).tier()) : tier.when(in, tiers.get(i).tier());
      name = name == null ? when(in, tiers.get(i).name()) : name.when(in, tiers.get(i).name());
    }
    RiskConfig.Tier last = tiers.get(tiers.size() - 1);
    if (tier == null) {
      return scored.withColumn("tier", lit(last.tier())).withColumn("tier_name", lit(last.name()));
    }
    return scored.withColumn("tier", tier.otherwise(last.tier()))
        .withColumn("tier_name", name.otherwise(last.name()));
  }

  /** True for rows ranked at or above the boundary row (score descending, nulls last, then patient id); none if absent. */
  private static Column atOrAbove(Row b) {
    if (b == null) {
      return lit(false); // cut-off rank 0: the tier is empty
    }
    Column id = col("patient_id").leq(lit(b.get(1)));
    if (b.isNullAt(0)) {
      return col("risk_score").isNotNull().or(id);
    }
    Column s = lit(b.getDouble(0));
    return col("risk_score").isNotNull()
        .and(col("risk_score").gt(s).or(col("risk_score").equalTo(s).and(id)));
  }

  /** Adds {@code segment} (id) and {@code segment_name}: the first rule that is true (NULL counts as false). */
  public static Dataset<Row> withSegments(Dataset<Row> features, List<RiskConfig.SegmentRule> rules) {
    Column id = null;
    Column name = null;
    for (int i = 0; i < rules.size() - 1; i++) {
      Column rule = expr(rules.get(i).rule());
      id = id == null ? when(rule, rules.get(i).id()) : id.when(rule, rules.get(i).id());
      name = name == null ? when(rule, rules.get(i).name()) : name.when(rule, rules.get(i).name());
    }
    RiskConfig.SegmentRule last = rules.get(rules.size() - 1);
    if (id == null) {
      return features.withColumn("segment", lit(last.id())).withColumn("segment_name", lit(last.name()));
    }
    return features.withColumn("segment", id.otherwise(last.id()))
        .withColumn("segment_name", name.otherwise(last.name()));
  }
}
