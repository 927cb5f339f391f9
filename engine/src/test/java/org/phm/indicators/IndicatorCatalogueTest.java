package org.phm.indicators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.MonthDay;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.phm.config.ConfigException;
import org.phm.stats.Polarity;

class IndicatorCatalogueTest {
  static final String HEAD = """
      catalogue_version: 3
      age_bands:
        - {label: young, min: 0, max: 64}
        - {label: old, min: 65}
      code_lists:
        acsc: [J45, J46]
      features:
        - {name: hyp, kind: ever, codes: ['condition:HYP']}
      indicators:
      """;

  static final String GOOD = """
        - id: AE_4HR
          name: A&E 4 hours
          domain: UEC
          definition: test
          unit: '%'
          method: proportion
          multiplier: 100
          polarity: HIGHER_IS_BETTER
          target: 95
          rag: {rule: target, amber_within: 5}
          levels: [ICS, PROVIDER]
          frequency: monthly
          period: latest_month
          source: ae
          numerator: {dataset: ae, filter: 'minutes_in_department <= 240'}
          denominator: {dataset: ae}
      """;

  static String indicator(String replaceFrom, String replaceTo) {
    return HEAD + GOOD.replace(replaceFrom, replaceTo);
  }

  static String error(String yaml) {
    return assertThrows(ConfigException.class, () -> IndicatorCatalogue.parse(yaml, "test.yaml")).getMessage();
  }

  @Test
  void defaultCatalogueLoadsWithAtLeast35IndicatorsAndTheIprStandards() {
    IndicatorCatalogue c = IndicatorCatalogue.defaults();
    assertTrue(c.indicators().size() >= 35, "indicators: " + c.indicators().size());
    Map<String, Double> targets = c.indicators().stream().filter(d -> d.target() != null)
        .collect(Collectors.toMap(IndicatorDefinition::id, IndicatorDefinition::target));
    assertEquals(95.0, targets.get("AE_4HR"));
    assertEquals(0.0, targets.get("AE_12HR_TROLLEY"));
    assertEquals(92.0, targets.get("RTT_18WK"));
    assertEquals(1.0, targets.get("DIAG_6WK"));
    assertEquals(93.0, targets.get("CANCER_2WW"));
    assertEquals(93.0, targets.get("CANCER_BREAST_2WW"));
    assertEquals(96.0, targets.get("CANCER_31D"));
    assertEquals(85.0, targets.get("CANCER_62D_GP"));
    assertEquals(4.75, targets.get("IAPT_ACCESS"));
    assertEquals(75.0, targets.get("IAPT_6WK"));
    assertEquals(95.0, targets.get("IAPT_18WK"));
    assertEquals(50.0, targets.get("IAPT_RECOVERY"));
    assertEquals(66.7, targets.get("DEMENTIA_DIAGNOSIS_RATE"));
    Set<String> methods = c.indicators().stream().map(IndicatorDefinition::method).collect(Collectors.toSet());
    assertTrue(methods.containsAll(List.of("count", "proportion", "crude_rate", "dsr", "isr", "ratio", "mean", "median",
        "percentile")), methods.toString());
    assertEquals(Polarity.LOWER_IS_BETTER, c.indicator("DIAG_6WK").polarity());
    // placeholders expanded from code_lists
    assertTrue(c.indicator("ACSC_ADMISSIONS_DSR").numerator().filter().contains("'J45', 'J46'"));
  }

  @Test
  void goodMinimalCatalogueParses() {
    IndicatorCatalogue c = IndicatorCatalogue.parse(HEAD + GOOD, "test.yaml");
    assertEquals(3, c.version());
    assertEquals(1, c.indicators().size());
    assertEquals("rows", c.indicators().get(0).numerator().count());
  }

  @Test
  void unknownFieldNamesIndicatorAndField() {
    String m = error(indicator("unit: '%'", "unit: '%'\n    colour: red"));
    assertTrue(m.contains("test.yaml") && m.contains("AE_4HR") && m.contains("'colour'"), m);
    m = error(indicator("numerator: {dataset: ae,", "numerator: {datset: ae, dataset: ae,"));
    assertTrue(m.contains("AE_4HR: numerator") && m.contains("'datset'"), m);
  }

  @Test
  void unknownDatasetOrColumn() {
    String m = error(indicator("numerator: {dataset: ae,", "numerator: {dataset: emergency,"));
    assertTrue(m.contains("AE_4HR: numerator.dataset") && m.contains("emergency"), m);
    m = error(indicator("minutes_in_department <= 240", "minutes_in_dept <= 240"));
    assertTrue(m.contains("AE_4HR: numerator.filter") && m.contains("minutes_in_dept"), m);
    m = error(indicator("denominator: {dataset: ae}", "denominator: {dataset: ae, date: arrival}"));
    assertTrue(m.contains("AE_4HR: denominator.date") && m.contains("arrival"), m);
  }

  @Test
  void invalidSqlIsReported() {
    String m = error(indicator("minutes_in_department <= 240", "minutes_in_department <= AND 240"));
    assertTrue(m.contains("AE_4HR: numerator.filter") && m.contains("not a valid Spark SQL expression"), m);
  }

  @Test
  void badMethodLevelPolarityAndShapes() {
    assertTrue(error(indicator("method: proportion", "method: percentage")).contains("method: 'percentage'"));
    assertTrue(error(indicator("levels: [ICS, PROVIDER]", "levels: [ICS, CCG]")).contains("levels: 'CCG'"));
    assertTrue(error(indicator("polarity: HIGHER_IS_BETTER", "polarity: UP")).contains("AE_4HR"));
    assertTrue(error(indicator("  denominator: {dataset: ae}\n", "")).contains("denominator: required"));
    // provider level needs provider_code in every part
    String m = error(indicator("denominator: {dataset: ae}", "denominator: {dataset: patients, period: at_period_end}"));
    assertTrue(m.contains("PROVIDER") && m.contains("patients"), m);
    // features only exist on the registered population
    m = error(indicator("minutes_in_department <= 240", "hyp"));
    assertTrue(m.contains("unknown column 'hyp'"), m);
    // rule target without a target
    assertTrue(error(indicator("    target: 95\n", "")).contains("rule target needs a target"));
    // unknown code list placeholder
    m = error(indicator("minutes_in_department <= 240", "department_type IN (@{nosuch})"));
    assertTrue(m.contains("@{nosuch}"), m);
  }

  @Test
  void featureAndAgeBandValidation() {
    String m = error(HEAD.replace("codes: ['condition:HYP']", "codes: ['condition:NOPE']") + GOOD);
    assertTrue(m.contains("feature hyp") && m.contains("condition:NOPE"), m);
    m = error(HEAD.replace("kind: ever", "kind: sometimes") + GOOD);
    assertTrue(m.contains("feature hyp: kind"), m);
    m = error(HEAD.replace("{label: old, min: 65}", "{label: old, min: 70}") + GOOD);
    assertTrue(m.contains("age_bands"), m);
  }

  @Test
  void fluSeasonIsReadAndValidated() {
    assertEquals(Periods.FluSeason.DEFAULT, IndicatorCatalogue.parse(HEAD + GOOD, "test.yaml").fluSeason(),
        "absent: 1 September to the end of February");
    String season = "flu_season: {start: '10-01', end: '03-31'}\n";
    IndicatorCatalogue c = IndicatorCatalogue.parse(season + HEAD + GOOD, "test.yaml");
    assertEquals(new Periods.FluSeason(MonthDay.of(10, 1), MonthDay.of(3, 31)), c.fluSeason());
    assertEquals(new Periods.FluSeason(MonthDay.of(9, 1), MonthDay.of(2, 29)), IndicatorCatalogue.defaults().fluSeason());
    String m = error(season.replace("10-01", "10-32") + HEAD + GOOD);
    assertTrue(m.contains("test.yaml: flu_season.start") && m.contains("'10-32'"), m);
    m = error("flu_season: {start: '09-01'}\n" + HEAD + GOOD);
    assertTrue(m.contains("flu_season.end: required"), m);
    m = error("flu_season: {start: '09-01', end: '02-29', length: 6}\n" + HEAD + GOOD);
    assertTrue(m.contains("flu_season") && m.contains("'length'"), m);
  }

  @Test
  void duplicateIdsRejected() {
    String m = error(HEAD + GOOD + GOOD);
    assertTrue(m.contains("AE_4HR: id: defined twice"), m);
  }
}
