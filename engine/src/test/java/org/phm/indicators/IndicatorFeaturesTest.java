package org.phm.indicators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.phm.indicators.IndicatorCatalogue.Feature;
import org.phm.spark.SharedSpark;

/**
 * Every coded patient feature of the default catalogue, at every period end, against a plain-Java evaluation of
 * its definition (docs/indicators.md "Features"), including same-day ties.
 */
class IndicatorFeaturesTest {
  static IndicatorTestModel data;
  static Periods periods;
  static List<Feature> features;
  /** feature name → its code → group, resolved once. */
  static Map<String, Map<String, String>> codesByFeature = new HashMap<>();
  /** patient_id|k → registered-population row. */
  static Map<String, Row> rows = new HashMap<>();
  static Map<String, List<IndicatorTestModel.Event>> events = new HashMap<>();
  static IndicatorSources sources;

  @BeforeAll
  static void evaluate() {
    data = new IndicatorTestModel(400, 11);
    LocalDate d = LocalDate.of(2026, 10, 31); // the current period end: later random events fall outside it
    // same-day ties: three systolic readings, smoking current and never, alcohol high (the higher value) and units
    String tied = data.patients.stream().filter(p -> p.registeredAt(d) && p.ageAt(d) >= 18)
        .findFirst().orElseThrow().id();
    data.events.add(new IndicatorTestModel.Event(tied, d, "OBSERVATION", "271649006", 150.0));
    data.events.add(new IndicatorTestModel.Event(tied, d, "OBSERVATION", "271649006", 170.0));
    data.events.add(new IndicatorTestModel.Event(tied, d, "OBSERVATION", "271649006", 120.0));
    data.events.add(new IndicatorTestModel.Event(tied, d, "OBSERVATION", "77176002", null));
    data.events.add(new IndicatorTestModel.Event(tied, d, "OBSERVATION", "266919005", null));
    data.events.add(new IndicatorTestModel.Event(tied, d, "OBSERVATION", "86933000", 50.0));
    data.events.add(new IndicatorTestModel.Event(tied, d, "OBSERVATION", "1082641000000106", 40.0));
    data.events.forEach(e -> events.computeIfAbsent(e.patient(), x -> new ArrayList<>()).add(e));
    IndicatorCatalogue catalogue = IndicatorCatalogue.defaults();
    periods = Periods.forRunDate(IndicatorTestModel.RUN_DATE, catalogue.fluSeason());
    features = catalogue.features().stream().filter(f -> !f.kind().equals("expression")).toList();
    features.forEach(f -> codesByFeature.put(f.name(), IndicatorCatalogue.resolveCodes(f)));
    sources = new IndicatorSources(SharedSpark.get(), data.toModel(SharedSpark.get()), periods, catalogue);
    for (Row r : sources.registeredPopulation().collectAsList()) {
      rows.put(r.getAs("patient_id") + "|" + r.getAs("_k"), r);
    }
  }

  @Test
  void everyCodedFeatureAtEveryPeriodEndMatchesPlainJava() {
    int compared = 0;
    Map<String, Integer> nonEmpty = new HashMap<>();
    for (Map.Entry<String, Row> e : rows.entrySet()) {
      Row r = e.getValue();
      String patient = r.getAs("patient_id");
      int k = r.getAs("_k");
      for (Feature f : features) {
        Object expected = expected(f, patient, k);
        Object actual = r.getAs(f.name());
        if (actual instanceof Number n && !(actual instanceof Double)) {
          actual = n.intValue();
        }
        assertEquals(expected, actual, f.name() + " of " + patient.substring(56) + " at period " + k);
        compared++;
        if (expected != null && !Boolean.FALSE.equals(expected) && !Integer.valueOf(0).equals(expected)) {
          nonEmpty.merge(f.name(), 1, Integer::sum);
        }
      }
    }
    assertTrue(rows.size() > 3000, "registered patient-periods: " + rows.size());
    // the test model codes only some conditions, but every kind must be exercised
    for (String kind : List.of("ever", "distinct_groups", "latest_value", "latest_group", "in_window")) {
      for (Feature f : features) {
        if (f.kind().equals(kind) && nonEmpty.getOrDefault(f.name(), 0) > 20) {
          kind = null;
          break;
        }
      }
      assertEquals(null, kind, "no feature of this kind is set often enough for a strong comparison");
    }
    System.out.println("features compared: " + compared);
  }

  @Test
  void theCataloguesEfiIsTheRiskStagesEfiAtEachPeriodEnd() {
    // two definitions in two files (catalogue features, risk.yaml + code lists): the shipped ones must agree
    int[] ks = {0, 5, 12};
    List<LocalDate> ends = java.util.Arrays.stream(ks).mapToObj(periods::end).toList();
    List<org.apache.spark.sql.Dataset<Row>> asOf = org.phm.risk.PatientFeatures.build(
        data.toModel(SharedSpark.get()), ends, org.phm.risk.RiskConfig.defaults());
    int compared = 0;
    int frail = 0;
    for (int i = 0; i < ks.length; i++) {
      int k = ks[i];
      LocalDate end = ends.get(i);
      Map<String, Row> risk = new HashMap<>();
      for (Row r : asOf.get(i).select("patient_id", "efi", "efi_category").collectAsList()) {
        risk.put(r.getString(0), r);
      }
      for (Map.Entry<String, Row> e : rows.entrySet()) {
        Row r = e.getValue();
        if ((int) r.getAs("_k") != k) {
          continue;
        }
        String patient = r.getAs("patient_id");
        Row expected = risk.get(patient);
        assertTrue(expected != null, "registered at " + end + " for the indicators but not for risk: " + patient);
        String where = patient.substring(56) + " at " + end;
        assertEquals(expected.getDouble(1), ((Number) r.getAs("efi")).doubleValue(), 1e-12, "efi of " + where);
        assertEquals(expected.getString(2).toUpperCase(java.util.Locale.ROOT), r.getAs("efi_band"), "band of " + where);
        frail += expected.getString(2).equals("fit") ? 0 : 1;
        compared++;
      }
    }
    assertTrue(compared > 1000 && frail > 20, compared + " patient-periods compared, " + frail + " not fit");
  }

  @Test
  void sameDayTiesTakeTheHighestValueOrTheGroupNamedLast() {
    String tied = data.events.get(data.events.size() - 1).patient();
    Row r = rows.get(tied + "|0");
    assertEquals(170.0, (Double) r.getAs("sbp"));
    assertEquals("never", r.getAs("smoking_status")); // current and never on one day: "never" sorts last
    assertEquals("units", r.getAs("alcohol_record")); // high (50) and units (40) on one day: the name, not the value
    assertEquals(40.0, (Double) r.getAs("alcohol_units"));
  }

  @Test
  void featuresNeedNoEventListsOrLambdas() {
    String plan = sources.registeredPopulation().queryExecution().executedPlan().toString();
    assertTrue(plan.contains("HashAggregate") && plan.contains("max_by"), plan);
    for (String slow : List.of("collect_list", "lambda", "flatten")) {
      assertFalse(plan.contains(slow), slow + " in " + plan);
    }
  }

  @Test
  void theEventsShuffleByPatientKeepsTheRunsPartitions() {
    // merged by Spark into a few large partitions, the three per-patient aggregations overflowed their hash maps
    // and spilled 6.7 GB at 1.09M patients (docs/performance.md, eighteenth session)
    String partitions = SharedSpark.get().conf().get("spark.sql.shuffle.partitions");
    String plan = sources.registeredPopulation().queryExecution().executedPlan().toString();
    assertTrue(plan.contains("hashpartitioning(_ek1") && plan.matches("(?s).*hashpartitioning\\(_ek1#\\d+L, "
        + partitions + "\\), REPARTITION_BY_NUM.*"), plan);
  }

  /** The definition of each kind, evaluated on the events in plain Java. */
  static Object expected(Feature f, String patient, int k) {
    Map<String, String> codes = codesByFeature.get(f.name());
    LocalDate end = periods.end(k);
    LocalDate end0 = periods.end(0);
    int months = f.lookbackMonths() == null ? 0 : f.lookbackMonths();
    List<IndicatorTestModel.Event> mine = events.getOrDefault(patient, List.of()).stream()
        .filter(e -> codes.containsKey(e.code()) && !e.date().isAfter(end0)).toList();
    switch (f.kind()) {
      case "ever":
        return mine.stream().anyMatch(e -> !e.date().isAfter(end));
      case "distinct_groups":
        return (int) mine.stream().filter(e -> !e.date().isAfter(end)).map(e -> codes.get(e.code())).distinct().count();
      case "in_window":
        return mine.stream().anyMatch(e -> !e.date().isBefore(periods.start(f.period(), k))
            && !e.date().isAfter(periods.windowEnd(f.period(), k)));
      case "latest_value":
      case "latest_group":
        IndicatorTestModel.Event best = null;
        for (IndicatorTestModel.Event e : mine) {
          if (e.date().isAfter(end) || (months > 0 && !e.date().isAfter(end.minusMonths(months)))) {
            continue;
          }
          if (best == null || e.date().isAfter(best.date())
              || (e.date().equals(best.date()) && later(f, e, best, codes))) {
            best = e;
          }
        }
        if (best == null) {
          return null;
        }
        return f.kind().equals("latest_value") ? best.value() : codes.get(best.code());
      default:
        throw new IllegalArgumentException(f.kind());
    }
  }

  /** Same-day order: a latest value the higher value (none is lowest), a latest group the group named last. */
  static boolean later(Feature f, IndicatorTestModel.Event e, IndicatorTestModel.Event best,
      Map<String, String> codes) {
    if (f.kind().equals("latest_group")) {
      return codes.get(e.code()).compareTo(codes.get(best.code())) > 0;
    }
    return !Objects.equals(e.value(), best.value())
        && e.value() != null && (best.value() == null || e.value() > best.value());
  }
}
