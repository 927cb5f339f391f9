package org.phm.risk;

import org.phm.codelists.CodeLists;
import org.phm.config.ConfigException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading and validating risk.yaml. */
class RiskConfigTest {
  @TempDir Path dir;

  static String defaultText() throws IOException {
    try (InputStream in = RiskConfigTest.class.getClassLoader().getResourceAsStream(RiskConfig.DEFAULT_RESOURCE)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  String loadError(String yaml) throws IOException {
    Path f = dir.resolve("user-risk.yaml");
    Files.writeString(f, yaml);
    return assertThrows(ConfigException.class, () -> RiskConfig.load(f)).getMessage();
  }

  @Test
  void defaultsLoad() {
    RiskConfig c = RiskConfig.defaults();
    assertEquals(4, c.tiers().size());
    assertEquals(0.8, c.tiers().get(3).share(), 1e-12);
    assertEquals("HEALTHY", c.segments().get(c.segments().size() - 1).id());
    assertEquals(8, c.segments().size());
    assertEquals(java.util.List.of("0-17", "18-44", "45-64", "65-74", "75-84", "85+"), c.ageBandLabels());
    assertEquals(36, CodeLists.load().deficitCount());
  }

  @Test
  void userFileLoadsWithOwnCohorts() throws IOException {
    Files.writeString(dir.resolve("my-cohorts.yaml"),
        "cohorts:\n  - {id: OLD, name: Old, criteria: [{field: age, op: ge, value: 90}]}\n");
    Path f = dir.resolve("risk.yaml");
    Files.writeString(f, defaultText() + "\ncohorts_file: my-cohorts.yaml\n");
    RiskConfig c = RiskConfig.load(f);
    assertEquals(1, c.cohorts().size());
    assertEquals("OLD", c.cohorts().get(0).id());
  }

  @Test
  void latestValueOfAnObservationWithoutPlausibleRangeIsRefused() throws IOException {
    String m = loadError(defaultText().replace("{observation_id: BMI, column: bmi,",
        "{observation_id: SMOK_CURRENT, column: bmi,"));
    assertTrue(m.contains("user-risk.yaml") && m.contains("SMOK_CURRENT") && m.contains("value_min"), m);
  }

  @Test
  void unknownColumnInSegmentRuleIsNamed() throws IOException {
    String m = loadError(defaultText().replace("rule: \"ltc_count >= 1\"", "rule: \"ltc_cnt >= 1\""));
    assertTrue(m.contains("user-risk.yaml") && m.contains("STABLE_CHRONIC") && m.contains("'ltc_cnt'"), m);
  }

  @Test
  void lastSegmentMustBeCatchAll() throws IOException {
    String m = loadError(defaultText().replace("rule: \"true\"", "rule: \"age > 0\""));
    assertTrue(m.contains("catch-all") && m.contains("HEALTHY"), m);
  }

  @Test
  void invalidSqlIsReported() throws IOException {
    String m = loadError(defaultText().replace("rule: \"ltc_count >= 1\"", "rule: \"ltc_count >=\""));
    assertTrue(m.contains("not a valid Spark SQL expression") && m.contains("STABLE_CHRONIC"), m);
  }

  @Test
  void tierSharesAreChecked() throws IOException {
    String m = loadError(defaultText().replace("share: 0.15", "share: 0.96"));
    assertTrue(m.contains("tiers[2].share"), m);
    m = loadError(defaultText().replace("share: remainder", "share: 0.8"));
    assertTrue(m.contains("tiers[3].share") && m.contains("remainder"), m);
  }

  @Test
  void efiCutoffsAndUnknownKeys() throws IOException {
    String m = loadError(defaultText().replace("moderate_above: 0.24", "moderate_above: 0.5"));
    assertTrue(m.contains("efi") && m.contains("increase"), m);
    m = loadError(defaultText().replace("seed: 20261125", "seed: 20261125\nsed: 1"));
    assertTrue(m.contains("sed") && m.contains("unknown field"), m);
    m = loadError(defaultText().replace("{observation_id: HBA1C,", "{observation_id: HBA1X,"));
    assertTrue(m.contains("HBA1X") && m.contains("features.latest_values[3].observation_id"), m);
  }

  @Test
  void modelFeaturesMustExist() throws IOException {
    String m = loadError(defaultText().replace("numeric_features: [age,", "numeric_features: [agee,"));
    assertTrue(m.contains("agee") && m.contains("model.numeric_features"), m);
  }
}
