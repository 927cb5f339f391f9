package org.phm.cohorts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.phm.testing.TestRows.row;
import static org.phm.testing.TestRows.values;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.phm.codelists.CodeLists;
import org.phm.config.ConfigException;
import org.phm.risk.ConfigNode;
import org.phm.risk.PatientFeatures;
import org.phm.risk.RiskConfig;
import org.phm.risk.RiskStage;
import org.phm.spark.SharedSpark;
import org.phm.testing.TestRows;

/** Default cohorts on constructed patients, and validation of cohort definitions. */
class CohortsTest {
  static final RiskConfig CONFIG = RiskConfig.defaults();
  static final StructType SCHEMA = RiskStage.patientRiskSchema(PatientFeatures.schema(CONFIG.features(), CodeLists.load()));

  @Test
  void defaultCohortsOnConstructedPatients() {
    Map<String, Map<String, Object>> patients = new LinkedHashMap<>();
    Map<String, Set<String>> expected = new HashMap<>();
    // frail 65+ with 2+ emergency admissions (also flu eligible, vaccinated so not in the flu cohort)
    patients.put("p1", values("age", 80, "efi_category", "severe", "emergency_admissions_12m", 2, "flu_vaccinated", 1,
        "tier", 3, "days_since_gp_contact", 10));
    expected.put("p1", Set.of("FRAIL_65_2PLUS_EA"));
    // one admission only; mild frailty; 64: not frail cohort; not flu eligible
    patients.put("p2", values("age", 64, "efi_category", "moderate", "emergency_admissions_12m", 3, "tier", 4,
        "days_since_gp_contact", 10));
    expected.put("p2", Set.of());
    // diabetes HbA1c 59 (> 58), flu unvaccinated (diabetes is a risk group), current smoker with an LTC
    patients.put("p3", values("age", 50, "cond_dm", 1, "ltc_count", 1, "hba1c", 59.0, "smoking_status", "current",
        "tier", 4, "days_since_gp_contact", 10));
    expected.put("p3", Set.of("DIABETES_HBA1C_GT58", "SMOKER_WITH_LTC", "FLU_ELIGIBLE_UNVACCINATED"));
    // HbA1c exactly 58 is not above 58; missing HbA1c is not; smoker without LTC is not
    patients.put("p4", values("age", 50, "cond_dm", 1, "ltc_count", 1, "hba1c", 58.0, "smoking_status", "ex",
        "flu_vaccinated", 1, "tier", 4, "days_since_gp_contact", 10));
    expected.put("p4", Set.of());
    patients.put("p5", values("age", 30, "cond_dm", 1, "ltc_count", 1, "flu_vaccinated", 1, "smoking_status", "current",
        "tier", 4));
    expected.put("p5", Set.of("SMOKER_WITH_LTC"));
    patients.put("p6", values("age", 30, "ltc_count", 0, "smoking_status", "current", "tier", 4,
        "days_since_gp_contact", 1));
    expected.put("p6", Set.of());
    // high risk not seen: tier 2 and 200 days; tier 1 never seen; tier 2 seen 183 days ago (not > 183); tier 3 never seen
    patients.put("p7", values("age", 40, "tier", 2, "days_since_gp_contact", 200));
    expected.put("p7", Set.of("HIGH_RISK_NOT_SEEN_6M"));
    patients.put("p8", values("age", 40, "tier", 1, "days_since_gp_contact", null));
    expected.put("p8", Set.of("HIGH_RISK_NOT_SEEN_6M"));
    patients.put("p9", values("age", 40, "tier", 2, "days_since_gp_contact", 183));
    expected.put("p9", Set.of());
    patients.put("p10", values("age", 40, "tier", 3, "days_since_gp_contact", null));
    expected.put("p10", Set.of());
    // pregnant, unvaccinated
    patients.put("p11", values("age", 28, "cond_preg", 1, "tier", 4, "days_since_gp_contact", 5));
    expected.put("p11", Set.of("FLU_ELIGIBLE_UNVACCINATED"));

    Dataset<Row> risk = TestRows.patients(SharedSpark.get(), SCHEMA, patients);
    List<Row> out = Cohorts.withMembership(risk, CONFIG.cohorts()).select("patient_id", Cohorts.COHORTS_COLUMN).collectAsList();
    assertEquals(patients.size(), out.size());
    for (Row r : out) {
      Set<String> got = Set.copyOf(r.getList(1));
      assertEquals(expected.get(r.getString(0)), got, r.getString(0));
    }
    // members(): one row per cohort x patient
    long pairs = expected.values().stream().mapToLong(Set::size).sum();
    assertEquals(pairs, Cohorts.members(Cohorts.withMembership(risk, CONFIG.cohorts())).count());
  }

  @Test
  void defaultsCoverTheRequiredCohorts() {
    assertEquals(List.of("FRAIL_65_2PLUS_EA", "DIABETES_HBA1C_GT58", "SMOKER_WITH_LTC", "FLU_ELIGIBLE_UNVACCINATED",
        "HIGH_RISK_NOT_SEEN_6M"), CONFIG.cohorts().stream().map(CohortDefinition::id).toList());
  }

  static List<CohortDefinition> parse(String yaml) {
    return CohortCatalogue.parse(ConfigNode.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)),
        "test-cohorts.yaml"), SCHEMA);
  }

  static String error(String yaml) {
    return assertThrows(ConfigException.class, () -> parse(yaml)).getMessage();
  }

  @Test
  void validationErrorsNameTheFieldAndCohort() {
    String m = error("cohorts:\n  - {id: BAD_ONE, name: x, criteria: {all: [{field: hba1cc, op: gt, value: 58}]}}\n");
    assertTrue(m.contains("test-cohorts.yaml") && m.contains("BAD_ONE") && m.contains("hba1cc"), m);
    m = error("cohorts:\n  - {id: OPS, name: x, criteria: [{field: age, op: between, value: 5}]}\n");
    assertTrue(m.contains("OPS") && m.contains("between"), m);
    m = error("cohorts:\n  - {id: IN_LIST, name: x, criteria: [{field: age, op: in, value: 5}]}\n");
    assertTrue(m.contains("IN_LIST") && m.contains("list"), m);
    m = error("cohorts:\n  - {id: TYPE, name: x, criteria: [{field: age, op: ge, value: old}]}\n");
    assertTrue(m.contains("TYPE") && m.contains("numeric"), m);
    m = error("cohorts:\n  - {id: NOVAL, name: x, criteria: [{field: age, op: ge}]}\n");
    assertTrue(m.contains("value") && m.contains("required"), m);
    m = error("cohorts:\n  - {id: NULLV, name: x, criteria: [{field: hba1c, op: is_null, value: 3}]}\n");
    assertTrue(m.contains("NULLV") && m.contains("takes no value"), m);
    m = error("cohorts:\n  - {id: BOTH, name: x, criteria: {all: [{field: age, op: ge, value: 1}], any: []}}\n");
    assertTrue(m.contains("BOTH") && m.contains("exactly one key"), m);
    m = error("cohorts:\n  - {id: DUP, name: x, criteria: [{field: age, op: ge, value: 1}]}\n"
        + "  - {id: DUP, name: y, criteria: [{field: age, op: ge, value: 2}]}\n");
    assertTrue(m.contains("DUP") && m.contains("twice"), m);
    m = error("cohorts:\n  - {id: TYPO, name: x, critera: [{field: age, op: ge, value: 1}]}\n");
    assertTrue(m.contains("critera"), m);
  }

  @Test
  void nestedGroupsAndAllOps() {
    List<CohortDefinition> c = parse("""
        cohorts:
          - id: MIX
            name: mix
            criteria:
              any:
                - all:
                    - {field: sex, op: ne, value: M}
                    - {field: age, op: lt, value: 18}
                - {field: smoking_status, op: in, value: [current, ex]}
                - {field: bmi, op: not_null}
        """);
    assertEquals(1, c.size());
    Dataset<Row> risk = SharedSpark.get().createDataFrame(List.of(
        row(SCHEMA, values("patient_id", "girl", "sex", "F", "age", 10)),
        row(SCHEMA, values("patient_id", "boy", "sex", "M", "age", 10)),
        row(SCHEMA, values("patient_id", "ex", "sex", "M", "age", 50, "smoking_status", "ex")),
        row(SCHEMA, values("patient_id", "bmi", "sex", "M", "age", 50, "bmi", 22.0)),
        row(SCHEMA, values("patient_id", "none", "age", 50))), SCHEMA);
    List<String> in = Cohorts.members(Cohorts.withMembership(risk, c)).select("patient_id").orderBy("patient_id")
        .collectAsList().stream().map(r -> r.getString(0)).toList();
    assertEquals(List.of("bmi", "ex", "girl"), in);
  }
}
