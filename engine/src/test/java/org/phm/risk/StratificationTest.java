package org.phm.risk;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.rand;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.phm.testing.TestRows.values;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.phm.codelists.CodeLists;
import org.phm.spark.SharedSpark;
import org.phm.testing.TestRows;

/** Tier proportions and segment rules (mutually exclusive, exhaustive, first match wins). */
class StratificationTest {
  static final RiskConfig CONFIG = RiskConfig.defaults();

  @Test
  void tierProportionsFollowThePyramid() {
    Dataset<Row> scored = SharedSpark.get().range(20_000)
        .select(expr("sha2(cast(id as string), 256)").as("patient_id"), rand(5).as("risk_score"));
    Dataset<Row> tiers = Stratification.withTiers(scored, CONFIG.tiers()).cache();
    List<Row> counts = tiers.groupBy("tier", "tier_name")
        .agg(org.apache.spark.sql.functions.count("*").as("n"), min("risk_score").as("lo"), max("risk_score").as("hi"))
        .orderBy("tier").collectAsList();
    assertEquals(4, counts.size());
    long[] expected = {100, 900, 3000, 16000}; // 0.5%, 4.5%, 15%, remainder of 20,000
    String[] names = {"Very high risk", "High risk", "Moderate risk", "Low risk"};
    for (int i = 0; i < 4; i++) {
      assertEquals(i + 1, counts.get(i).getInt(0));
      assertEquals(names[i], counts.get(i).getString(1));
      assertEquals(expected[i], counts.get(i).getLong(2));
      if (i > 0) {
        assertTrue(counts.get(i - 1).getDouble(3) >= counts.get(i).getDouble(4), "higher tier has higher scores");
      }
    }
    tiers.unpersist();
  }

  @Test
  void tiesAndMissingScoresFollowTheRankOrder() {
    // 1,000 patients, scores on 7 values (many ties) and 1 in 9 missing: each patient's tier must be the one its rank
    // (score descending, missing last, then patient id) gives, checked against a plain row_number ranking
    Dataset<Row> scored = SharedSpark.get().range(1_000)
        .select(expr("sha2(cast(id as string), 256)").as("patient_id"),
            expr("CASE WHEN id % 9 = 0 THEN NULL ELSE CAST(id % 7 AS DOUBLE) / 10 END").as("risk_score"));
    long[] cut = Stratification.tierCutoffs(CONFIG.tiers(), 1_000);
    Dataset<Row> expected = scored.withColumn("rank", org.apache.spark.sql.functions.row_number().over(
            org.apache.spark.sql.expressions.Window.orderBy(col("risk_score").desc_nulls_last(), col("patient_id"))))
        .withColumn("expected", expr("CASE WHEN rank <= " + cut[0] + " THEN 1 WHEN rank <= " + cut[1]
            + " THEN 2 WHEN rank <= " + cut[2] + " THEN 3 ELSE 4 END"));
    Dataset<Row> actual = Stratification.withTiers(scored, CONFIG.tiers());
    List<Row> mismatches = expected.join(actual.select(col("patient_id"), col("tier")), "patient_id")
        .filter(col("tier").notEqual(col("expected"))).collectAsList();
    assertEquals(List.of(), mismatches);
    assertEquals(1_000, actual.count());
    // the missing scores (111 patients) rank last, so they fill the bottom of the lowest tier only
    assertEquals(0, actual.filter(col("risk_score").isNull().and(col("tier").notEqual(4))).count());
  }

  @Test
  void tierCutoffsRoundToNearestPatient() {
    assertEquals(List.of(5L, 50L, 200L, 1000L),
        java.util.Arrays.stream(Stratification.tierCutoffs(CONFIG.tiers(), 1000)).boxed().toList());
    // 130 x 0.005 = 0.65 -> 1; 130 x 0.05 = 6.5 -> 7 (half up, no binary drift); 130 x 0.2 = 26
    assertEquals(List.of(1L, 7L, 26L, 130L),
        java.util.Arrays.stream(Stratification.tierCutoffs(CONFIG.tiers(), 130)).boxed().toList());
  }

  @Test
  void segmentsAreExclusiveExhaustiveAndFirstMatchWins() {
    StructType schema = PatientFeatures.schema(CONFIG.features(), CodeLists.load());
    Map<String, Map<String, Object>> patients = new LinkedHashMap<>();
    Map<String, String> expected = new HashMap<>();
    patients.put("eol", values("age", 70, "cond_pall", 1, "efi_category", "severe", "ltc_count", 5));
    expected.put("eol", "END_OF_LIFE");
    patients.put("frail", values("age", 82, "efi_category", "moderate", "ltc_count", 4));
    expected.put("frail", "FRAILTY");
    patients.put("young_frail", values("age", 50, "efi_category", "severe", "ltc_count", 4));
    expected.put("young_frail", "COMPLEX_CHRONIC");
    patients.put("pregnant", values("age", 30, "cond_preg", 1, "ltc_count", 1));
    expected.put("pregnant", "MATERNAL_AND_INFANT");
    patients.put("infant", values("age", 0));
    expected.put("infant", "MATERNAL_AND_INFANT");
    patients.put("ld", values("age", 40, "cond_ld", 1, "ltc_count", 3));
    expected.put("ld", "DISABILITY");
    patients.put("complex", values("age", 60, "ltc_count", 3));
    expected.put("complex", "COMPLEX_CHRONIC");
    patients.put("two_ltc_admitted", values("age", 60, "ltc_count", 2, "emergency_admissions_12m", 1));
    expected.put("two_ltc_admitted", "COMPLEX_CHRONIC");
    patients.put("stable", values("age", 60, "ltc_count", 2));
    expected.put("stable", "STABLE_CHRONIC");
    patients.put("acute", values("age", 25, "ae_attendances_12m", 1));
    expected.put("acute", "ACUTE_ILLNESS");
    patients.put("healthy", values("age", 25));
    expected.put("healthy", "HEALTHY");
    patients.put("null_age", values("age", null, "efi_category", "severe"));
    expected.put("null_age", "HEALTHY");
    Dataset<Row> features = TestRows.patients(SharedSpark.get(), schema, patients);
    // each rule evaluated on its own, to recompute "first match" independently in Java
    List<RiskConfig.SegmentRule> rules = CONFIG.segments();
    List<org.apache.spark.sql.Column> cols = new ArrayList<>();
    cols.add(col("patient_id"));
    cols.add(col("segment"));
    for (int i = 0; i < rules.size(); i++) {
      cols.add(org.apache.spark.sql.functions.coalesce(expr(rules.get(i).rule()), org.apache.spark.sql.functions.lit(false)).as("r" + i));
    }
    List<Row> out = Stratification.withSegments(features, rules).select(cols.toArray(org.apache.spark.sql.Column[]::new))
        .collectAsList();
    assertEquals(patients.size(), out.size());
    for (Row r : out) {
      String id = r.getString(0);
      int first = -1;
      for (int i = 0; i < rules.size() && first < 0; i++) {
        if (r.getBoolean(2 + i)) {
          first = i;
        }
      }
      assertTrue(first >= 0, "catch-all matches everyone");
      assertEquals(rules.get(first).id(), r.getString(1), id + ": first matching rule");
      assertEquals(expected.get(id), r.getString(1), id);
    }
  }
}
