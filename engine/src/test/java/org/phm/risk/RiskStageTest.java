package org.phm.risk;

import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.phm.cohorts.CohortDefinition;
import org.phm.linkage.LinkedModel;
import org.phm.pack.PackTable;
import org.phm.pack.Sensitivity;
import org.phm.spark.SharedSpark;

/** The whole stage on a small synthetic population: tables, dictionary, opt-outs, totals. */
class RiskStageTest {
  static final LocalDate RUN = LocalDate.of(2026, 11, 25);
  static final int N = 3_000;
  static final long SEED = 21;
  static RiskResult result;
  static LinkedModel model;
  static RiskConfig config;

  @BeforeAll
  static void run() {
    model = SyntheticPopulation.get(SharedSpark.get(), N, SEED, RUN);
    config = EmergencyAdmissionModelTest.fastConfig(false);
    result = RiskStage.run(SharedSpark.get(), model, RUN, config);
  }

  @Test
  void oneRowPerRegisteredPatientWithTiersAndSegments() {
    Dataset<Row> r = result.patientRisk();
    assertEquals(N, r.count());
    assertEquals(N, r.select("patient_id").distinct().count());
    assertEquals(0, r.filter(col("segment").isNull().or(col("tier").isNull()).or(col("risk_score").isNull())).count());
    long[] cut = Stratification.tierCutoffs(config.tiers(), N);
    Map<Integer, Long> tiers = new HashMap<>();
    r.groupBy("tier").count().collectAsList().forEach(x -> tiers.put(x.getInt(0), x.getLong(1)));
    assertEquals(cut[0], tiers.get(1));
    assertEquals(cut[1] - cut[0], tiers.get(2));
    assertEquals(cut[2] - cut[1], tiers.get(3));
    assertEquals(N - cut[2], tiers.get(4));
  }

  @Test
  void tablesMatchTheDataDictionary() {
    ConfigNode dict = ConfigNode.parseResource("dictionary/risk.yaml");
    Map<String, ConfigNode> byName = new HashMap<>();
    dict.get("tables").list().forEach(t -> byName.put(t.get("name").text(), t));
    assertEquals(byName.keySet(), Map.of("risk_stratification", 1, "cohort_summary", 1, "model_card", 1,
        "patient_risk", 1, "cohort_members", 1).keySet());
    assertEquals(5, result.tables().size());
    for (PackTable t : result.tables()) {
      ConfigNode d = byName.get(t.name());
      assertEquals(Sensitivity.valueOf(d.get("sensitivity").text()), t.sensitivity(), t.name());
      List<ConfigNode> cols = d.get("columns").list();
      StructField[] fields = t.data().schema().fields();
      assertEquals(cols.size(), fields.length, t.name() + " columns " + t.data().schema().simpleString());
      for (int i = 0; i < fields.length; i++) {
        assertEquals(cols.get(i).get("name").text(), fields[i].name(), t.name());
        // dictionary types are logical names: long for Spark's bigint
        assertEquals(cols.get(i).get("type").text(), fields[i].dataType().simpleString().replace("bigint", "long"),
            t.name() + "." + fields[i].name());
      }
    }
  }

  @Test
  void restrictedTablesExcludeOptedOutPatients() {
    long optedOut = model.patients().filter(col("opted_out")).count();
    assertTrue(optedOut > 0);
    Dataset<Row> pr = result.table("patient_risk").data();
    assertEquals(N - optedOut, pr.count());
    Dataset<Row> optedIds = model.patients().filter(col("opted_out")).select("patient_id");
    assertEquals(0, pr.join(optedIds, "patient_id").count());
    assertEquals(0, result.table("cohort_members").data().join(optedIds, "patient_id").count());
  }

  @Test
  void aggregatesCountEveryRegisteredPatientOnce() {
    Dataset<Row> rs = result.table("risk_stratification").data();
    List<Row> totals = rs.groupBy("level", "breakdown").agg(sum("patients").as("n")).collectAsList();
    assertEquals(4 * 5, totals.size());
    for (Row t : totals) {
      assertEquals(N, t.getLong(2), t.getString(0) + "/" + t.getString(1));
    }
    // tier 1 at ICS level equals the stage's tier-1 count
    long tier1 = rs.filter(col("level").equalTo("ICS").and(col("breakdown").equalTo("ALL")).and(col("tier").equalTo(1)))
        .agg(sum("patients")).first().getLong(0);
    assertEquals(result.patientRisk().filter(col("tier").equalTo(1)).count(), tier1);

    Dataset<Row> cs = result.table("cohort_summary").data();
    // members per cohort: ICS row, sum over practices, recount from patient risk, and restricted rows
    Map<String, long[]> got = new HashMap<>();
    cs.filter(col("level").isin("ICS", "PRACTICE")).groupBy("cohort_id", "level")
        .agg(sum("members"), sum("denominator")).collectAsList().forEach(x -> {
          long[] v = got.computeIfAbsent(x.getString(0), k -> new long[5]);
          int o = x.getString(1).equals("ICS") ? 0 : 1;
          v[o] = x.getLong(2);
          if (o == 0) {
            v[4] = x.getLong(3);
          }
        });
    result.patientRisk().select(col("opted_out"), explode(col("cohorts")).as("c")).groupBy("c")
        .agg(count("*"), sum(when(col("opted_out"), 0).otherwise(1))).collectAsList()
        .forEach(x -> {
          got.get(x.getString(0))[2] = x.getLong(1);
          got.get(x.getString(0))[3] = x.getLong(2);
        });
    Map<String, Long> restricted = new HashMap<>();
    result.table("cohort_members").data().groupBy("cohort_id").count().collectAsList()
        .forEach(x -> restricted.put(x.getString(0), x.getLong(1)));
    for (CohortDefinition c : config.cohorts()) {
      long[] v = got.get(c.id());
      assertEquals(N, v[4], c.id() + " ICS denominator");
      assertEquals(v[2], v[0], c.id() + " ICS members = patients with the cohort id");
      assertEquals(v[2], v[1], c.id() + " practices add up");
      assertEquals(v[3], restricted.getOrDefault(c.id(), 0L), c.id() + " restricted members exclude opt-outs");
    }
    assertTrue(got.values().stream().anyMatch(v -> v[2] > 0), "some cohort has members");
    assertEquals(20 * config.cohorts().size(), cs.filter(col("level").equalTo("PRACTICE")).count(),
        "every cohort x practice row, including zero members");
  }
}
