package org.phm.indicators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.phm.linkage.LinkedModel;
import org.phm.pack.PackTable;
import org.phm.config.ConfigException;
import org.phm.spark.SharedSpark;
import org.phm.stats.DirectStandardisation;
import org.phm.stats.Estimate;
import org.phm.stats.IndirectStandardisation;
import org.phm.stats.Proportions;

class IndicatorStageTest {
  static SparkSession spark;
  static IndicatorTestModel data;
  static LinkedModel model;
  static List<PackTable> tables;
  static Map<String, Row> values = new HashMap<>();
  static long runMillis;

  @BeforeAll
  static void runCatalogue() {
    spark = SharedSpark.get();
    data = new IndicatorTestModel(2000, 42);
    model = data.toModel(spark);
    long t0 = System.currentTimeMillis();
    long cpu0 = processCpuMillis();
    tables = IndicatorStage.run(spark, model, IndicatorTestModel.RUN_DATE, IndicatorCatalogue.defaults());
    for (Row r : table("indicator_values").collectAsList()) {
      values.put(key(r.getAs("indicator_id"), r.getAs("period_end").toString(), r.getAs("level"), r.getAs("area_code"),
          r.getAs("breakdown"), r.getAs("breakdown_value")), r);
    }
    runMillis = System.currentTimeMillis() - t0;
    System.out.println("indicator stage on 2,000 patients: " + runMillis + " ms wall, " + (processCpuMillis() - cpu0)
        + " ms process CPU, " + values.size() + " value rows");
  }

  static long processCpuMillis() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime() / 1_000_000;
  }

  static Dataset<Row> table(String name) {
    return tables.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow().data();
  }

  static String key(Object... parts) {
    StringBuilder sb = new StringBuilder();
    for (Object p : parts) {
      sb.append(p).append('|');
    }
    return sb.toString();
  }

  static final String ICS = "QT1";
  static final LocalDate END0 = LocalDate.of(2026, 10, 31);

  static Row get(String id, LocalDate periodEnd, String level, String area, String b, String v) {
    Row r = values.get(key(id, periodEnd.toString(), level, area, b, v));
    assertNotNull(r, "no row " + id + " " + periodEnd + " " + level + " " + area + " " + b + " " + v);
    return r;
  }

  static double dbl(Row r, String c) {
    Object o = r.getAs(c);
    return o == null ? Double.NaN : ((Number) o).doubleValue();
  }

  static void assertEstimate(Row r, double num, double den, Estimate e) {
    assertEquals(num, dbl(r, "numerator"), 1e-9, "numerator");
    if (!Double.isNaN(den)) {
      assertEquals(den, dbl(r, "denominator"), 1e-9, "denominator");
    }
    assertEquals(e.value(), dbl(r, "value"), 1e-9 * Math.max(1, Math.abs(e.value())), "value");
    assertEquals(e.lower95(), dbl(r, "lower95"), 1e-9 * Math.max(1, Math.abs(e.value())), "lower95");
    assertEquals(e.upper998(), dbl(r, "upper998"), 1e-9 * Math.max(1, Math.abs(e.value())), "upper998");
  }

  static boolean linked(String patientId) {
    return data.byId().containsKey(patientId);
  }

  static boolean in(LocalDate d, LocalDate from, LocalDate to) {
    return d != null && !d.isBefore(from) && !d.isAfter(to);
  }

  @Test
  void ae4HourMatchesPlainJavaAtIcsProviderAndBreakdown() {
    LocalDate from = LocalDate.of(2026, 10, 1);
    double[] ics = new double[2];
    double[] rx1 = new double[2];
    double[] icpAFemale = new double[2];
    for (IndicatorTestModel.Ae a : data.ae) {
      if (!in(a.arrival().toLocalDate(), from, END0) || a.departure() == null) {
        continue;
      }
      boolean ok = a.minutes() <= 240;
      if (a.provider().equals("RX1")) {
        rx1[1]++;
        rx1[0] += ok ? 1 : 0;
      }
      if (linked(a.patient())) {
        ics[1]++;
        ics[0] += ok ? 1 : 0;
        IndicatorTestModel.Patient p = data.patient(a.patient());
        if (p.sex().equals("F") && p.practice().icp().equals("ICP_A")) {
          icpAFemale[1]++;
          icpAFemale[0] += ok ? 1 : 0;
        }
      }
    }
    assertTrue(ics[1] > 50);
    assertEstimate(get("AE_4HR", END0, "ICS", ICS, "ALL", "ALL"), ics[0], ics[1], Proportions.wilson(ics[0], ics[1], 100));
    assertEstimate(get("AE_4HR", END0, "PROVIDER", "RX1", "ALL", "ALL"), rx1[0], rx1[1],
        Proportions.wilson(rx1[0], rx1[1], 100));
    assertEstimate(get("AE_4HR", END0, "ICP", "ICP_A", "SEX", "F"), icpAFemale[0], icpAFemale[1],
        Proportions.wilson(icpAFemale[0], icpAFemale[1], 100));
    Row r = get("AE_4HR", END0, "ICS", ICS, "ALL", "ALL");
    assertEquals(dbl(r, "value") >= 95 ? "GREEN" : dbl(r, "value") >= 90 ? "AMBER" : "RED", r.getAs("rag"));
    assertEquals(95.0, dbl(r, "target"));
  }

  static int band(int age) {
    return Math.min(age / 5, 18);
  }

  @Test
  void emergencyAdmissionsDsrAndIsrMatchPlainJava() {
    LocalDate from = LocalDate.of(2025, 11, 1);
    double[] count = new double[19];
    double[] pcnCount = new double[19];
    for (IndicatorTestModel.Spell s : data.spells) {
      if (!s.method().startsWith("2") || !in(s.admission(), from, END0) || !linked(s.patient())) {
        continue;
      }
      IndicatorTestModel.Patient p = data.patient(s.patient());
      if (s.admission().isBefore(p.birth())) {
        continue; // no valid age: excluded from standardised rates
      }
      int age = p.ageAt(s.admission());
      count[band(age)]++;
      if (p.practice().pcn().equals("U00001")) {
        pcnCount[band(age)]++;
      }
    }
    double[] pop = new double[19];
    double[] pcnPop = new double[19];
    for (IndicatorTestModel.Patient p : data.patients) {
      if (p.registeredAt(END0)) {
        pop[band(p.ageAt(END0))]++;
        if (p.practice().pcn().equals("U00001")) {
          pcnPop[band(p.ageAt(END0))]++;
        }
      }
    }
    Estimate dsr = DirectStandardisation.dsr(count, pop, DirectStandardisation.esp2013(), 100000);
    assertEstimate(get("EMERGENCY_ADMISSIONS_DSR", END0, "ICS", ICS, "ALL", "ALL"), sum(count), sum(pop), dsr);
    double expected = 0;
    for (int i = 0; i < 19; i++) {
      expected += pop[i] > 0 ? pcnPop[i] * count[i] / pop[i] : 0;
    }
    Estimate isr = IndirectStandardisation.ratio(sum(pcnCount), expected, 100);
    assertEstimate(get("EMERGENCY_ADMISSIONS_ISR", END0, "PCN", "U00001", "ALL", "ALL"), sum(pcnCount), sum(pcnPop), isr);
    // the ICS is its own reference: ratio exactly 100
    assertEquals(100.0, dbl(get("EMERGENCY_ADMISSIONS_ISR", END0, "ICS", ICS, "ALL", "ALL"), "value"), 1e-9);
  }

  static double sum(double[] a) {
    double t = 0;
    for (double x : a) {
      t += x;
    }
    return t;
  }

  /** Latest value (latest date, then highest value) of a code within (end - 12 months, end]. */
  static Double latest(Map<String, List<IndicatorTestModel.Event>> byPatient, String patient, String code,
      LocalDate end) {
    IndicatorTestModel.Event best = null;
    for (IndicatorTestModel.Event e : byPatient.getOrDefault(patient, List.of())) {
      if (e.code().equals(code) && !e.date().isAfter(end) && e.date().isAfter(end.minusMonths(12))) {
        if (best == null || e.date().isAfter(best.date())
            || (e.date().equals(best.date()) && e.value() > best.value())) {
          best = e;
        }
      }
    }
    return best == null ? null : best.value();
  }

  static boolean coded(Map<String, List<IndicatorTestModel.Event>> byPatient, String patient, List<String> codes,
      LocalDate from, LocalDate to) {
    return byPatient.getOrDefault(patient, List.of()).stream()
        .anyMatch(e -> codes.contains(e.code()) && !e.date().isAfter(to) && (from == null || !e.date().isBefore(from)));
  }

  static Map<String, List<IndicatorTestModel.Event>> eventsByPatient() {
    Map<String, List<IndicatorTestModel.Event>> m = new HashMap<>();
    data.events.forEach(e -> m.computeIfAbsent(e.patient(), x -> new java.util.ArrayList<>()).add(e));
    return m;
  }

  @Test
  void hypertensionControlledMatchesPlainJavaForEveryPcnAndTwoPeriods() {
    Map<String, List<IndicatorTestModel.Event>> ev = eventsByPatient();
    for (LocalDate end : List.of(END0, LocalDate.of(2026, 6, 30))) {
      for (String pcn : List.of("U00001", "U00002", "U00003", "U00004")) {
        double num = 0;
        double den = 0;
        for (IndicatorTestModel.Patient p : data.patients) {
          if (!p.registeredAt(end) || !p.practice().pcn().equals(pcn)
              || !coded(ev, p.id(), List.of("38341003", "59621000"), null, end)) {
            continue;
          }
          den++;
          Double sbp = latest(ev, p.id(), "271649006", end);
          Double dbp = latest(ev, p.id(), "271650006", end);
          int age = p.ageAt(end);
          if (sbp != null && dbp != null && ((age <= 79 && sbp <= 140 && dbp <= 90) || (age >= 80 && sbp <= 150 && dbp <= 90))) {
            num++;
          }
        }
        assertTrue(den > 20);
        assertEstimate(get("HYPERTENSION_CONTROLLED", end, "PCN", pcn, "ALL", "ALL"), num, den,
            Proportions.wilson(num, den, 100));
      }
    }
  }

  @Test
  void fluUptakeMatchesPlainJavaInAndOutOfSeason() {
    Map<String, List<IndicatorTestModel.Event>> ev = eventsByPatient();
    LocalDate[][] windows = {
        {END0, LocalDate.of(2026, 9, 1), END0},
        {LocalDate.of(2026, 4, 30), LocalDate.of(2025, 9, 1), LocalDate.of(2026, 2, 28)}};
    for (LocalDate[] w : windows) {
      double num = 0;
      double den = 0;
      for (IndicatorTestModel.Patient p : data.patients) {
        if (p.registeredAt(w[0]) && p.practice().code().equals("C80001") && p.ageAt(w[0]) >= 65) {
          den++;
          num += coded(ev, p.id(), List.of("86198006"), w[1], w[2]) ? 1 : 0;
        }
      }
      assertTrue(num > 0 && den > 10);
      assertEstimate(get("FLU_65_PLUS", w[0], "PRACTICE", "C80001", "ALL", "ALL"), num, den,
          Proportions.wilson(num, den, 100));
    }
  }

  @Test
  void dementiaDiagnosisRatioMatchesPlainJava() {
    Map<String, List<IndicatorTestModel.Event>> ev = eventsByPatient();
    double observed = 0;
    double expected = 0;
    for (IndicatorTestModel.Patient p : data.patients) {
      if (!p.registeredAt(END0) || !p.practice().icp().equals("ICP_B")) {
        continue;
      }
      int a = p.ageAt(END0);
      expected += a >= 90 ? 0.299 : a >= 85 ? 0.183 : a >= 80 ? 0.111 : a >= 75 ? 0.060 : a >= 70 ? 0.030 : a >= 65 ? 0.017 : 0;
      if (a >= 65 && coded(ev, p.id(), List.of("52448006"), null, END0)) {
        observed++;
      }
    }
    assertEstimate(get("DEMENTIA_DIAGNOSIS_RATE", END0, "ICP", "ICP_B", "ALL", "ALL"), observed, expected,
        IndirectStandardisation.ratio(observed, expected, 100));
  }

  @Test
  void iaptWaitsAndPrematureMortalityMatchPlainJava() {
    double num = 0;
    double den = 0;
    for (IndicatorTestModel.Iapt i : data.iapt) {
      if (linked(i.patient()) && in(i.end(), LocalDate.of(2026, 8, 1), END0) && i.sessions() != null
          && i.sessions() >= 2 && i.firstTreatment() != null) {
        den++;
        num += i.firstTreatment().toEpochDay() - i.referral().toEpochDay() <= 42 ? 1 : 0;
      }
    }
    assertEstimate(get("IAPT_6WK", END0, "ICS", ICS, "ALL", "ALL"), num, den, Proportions.wilson(num, den, 100));
    double deaths = 0;
    for (IndicatorTestModel.Patient p : data.patients) {
      if (in(p.death(), LocalDate.of(2025, 11, 1), END0) && p.ageAt(p.death()) < 75) {
        deaths++;
      }
    }
    assertEquals(deaths, dbl(get("PREMATURE_MORTALITY_DSR", END0, "ICS", ICS, "ALL", "ALL"), "numerator"));
  }

  @Test
  void rttPercentilesAreTheValuesAtRankCeilPnInEveryCell() {
    Map<String, IndicatorTestModel.Patient> listed = new HashMap<>();
    data.patients.forEach(p -> listed.put(p.id(), p));
    Map<String, List<Integer>> byCell = new HashMap<>();
    for (IndicatorTestModel.Waiter w : data.rtt) {
      if (!w.snapshot().equals(END0)) {
        continue;
      }
      byCell.computeIfAbsent("PROVIDER|" + w.provider(), x -> new ArrayList<>()).add(w.weeks());
      IndicatorTestModel.Patient p = listed.get(w.patient());
      if (p != null) {
        byCell.computeIfAbsent("PCN|" + p.practice().pcn(), x -> new ArrayList<>()).add(w.weeks());
        byCell.computeIfAbsent("ICS|" + ICS, x -> new ArrayList<>()).add(w.weeks());
      }
    }
    assertTrue(byCell.size() >= 4, byCell.keySet().toString());
    for (Map.Entry<String, List<Integer>> e : byCell.entrySet()) {
      List<Integer> sorted = e.getValue().stream().sorted().toList();
      String[] cell = e.getKey().split("\\|");
      for (Map.Entry<String, Double> pct : Map.of("RTT_MEDIAN_WAIT", 0.5, "RTT_92ND_PERCENTILE", 0.92).entrySet()) {
        Row r = get(pct.getKey(), END0, cell[0], cell[1], "ALL", "ALL");
        double exact = sorted.get((int) Math.ceil(pct.getValue() * sorted.size()) - 1);
        assertEquals(exact, dbl(r, "value"), pct.getKey() + " " + e.getKey());
        assertEquals(sorted.size(), dbl(r, "denominator"), pct.getKey() + " " + e.getKey());
      }
    }
  }

  @Test
  void smokingBySexMatchesPlainJava() {
    Map<String, List<IndicatorTestModel.Event>> ev = eventsByPatient();
    Map<String, String> status = Map.of("77176002", "current", "8517006", "ex", "266919005", "never");
    double num = 0;
    double den = 0;
    for (IndicatorTestModel.Patient p : data.patients) {
      if (!p.registeredAt(END0) || !p.sex().equals("M") || p.ageAt(END0) < 18) {
        continue;
      }
      IndicatorTestModel.Event last = null;
      for (IndicatorTestModel.Event e : ev.getOrDefault(p.id(), List.of())) {
        if (status.containsKey(e.code()) && !e.date().isAfter(END0)
            && (last == null || e.date().isAfter(last.date()))) {
          last = e;
        }
      }
      if (last != null) {
        den++;
        num += status.get(last.code()).equals("current") ? 1 : 0;
      }
    }
    assertEstimate(get("SMOKING_PREVALENCE", END0, "ICS", ICS, "SEX", "M"), num, den, Proportions.wilson(num, den, 100));
  }

  @Test
  void everyIndicatorHasValuesForEveryDeclaredLevelAndPeriod() {
    Map<String, Integer> areas = Map.of("ICS", 1, "ICP", 2, "PCN", 4, "PRACTICE", 8);
    IndicatorCatalogue c = IndicatorCatalogue.defaults();
    Map<String, java.util.Set<String>> seenAreas = new HashMap<>();
    Map<String, Integer> withValue = new HashMap<>();
    Map<String, Integer> periodsSeen = new HashMap<>();
    for (Row r : values.values()) {
      if (!"ALL".equals(r.getAs("breakdown"))) {
        continue;
      }
      String k = r.getAs("indicator_id") + "|" + r.getAs("level");
      seenAreas.computeIfAbsent(k, x -> new java.util.HashSet<>()).add(r.getAs("area_code"));
      periodsSeen.merge(k + "|" + r.getAs("area_code"), 1, Integer::sum);
      if (r.getAs("value") != null) {
        withValue.merge(k, 1, Integer::sum);
      }
    }
    for (IndicatorDefinition d : c.indicators()) {
      for (String level : d.levels()) {
        String k = d.id() + "|" + level;
        assertTrue(seenAreas.containsKey(k), "no rows for " + k);
        if (areas.containsKey(level)) {
          assertEquals(areas.get(level), seenAreas.get(k).size(), k);
        } else {
          assertTrue(seenAreas.get(k).size() >= 1, k);
        }
        assertTrue(withValue.getOrDefault(k, 0) > 0, "no value at all for " + k);
        for (String area : seenAreas.get(k)) {
          assertEquals(13, periodsSeen.get(k + "|" + area), k + " " + area + " periods");
        }
      }
      for (String level : IndicatorCatalogue.LEVELS) {
        if (!d.levels().contains(level)) {
          assertFalse(seenAreas.containsKey(d.id() + "|" + level), d.id() + " has undeclared level " + level);
        }
      }
    }
    // trend only on the current period's ALL rows, and breakdown rows only in the current period
    for (Row r : values.values()) {
      boolean current = r.getAs("period_end").toString().compareTo("2026-10-01") >= 0
          || "season".equals(r.getAs("period_type"));
      if (!"ALL".equals(r.getAs("breakdown"))) {
        assertTrue(current, "breakdown outside current period");
        assertEquals(null, (Object) r.getAs("trend"));
      }
    }
  }

  @Test
  void summaryCountsKpisMeetingTheirStandard() {
    Map<String, int[]> expected = new HashMap<>();
    IndicatorCatalogue c = IndicatorCatalogue.defaults();
    Periods periods = Periods.forRunDate(IndicatorTestModel.RUN_DATE, c.fluSeason());
    for (IndicatorDefinition d : c.indicators()) {
      if (!d.levels().contains("ICS")) {
        continue;
      }
      String currentEnd = periods.windowEnd(IndicatorCatalogue.periodOf(d, d.numerator()), 0).toString();
      Row r = values.get(key(d.id(), currentEnd, "ICS", ICS, "ALL", "ALL"));
      if (r != null && r.getAs("value") != null && d.target() != null) {
        int[] e = expected.computeIfAbsent(d.domain(), x -> new int[2]);
        e[0]++;
        e[1] += d.meetsTarget(dbl(r, "value")) ? 1 : 0;
      }
    }
    List<Row> summary = table("indicator_summary").filter("level = 'ICS'").collectAsList();
    assertFalse(summary.isEmpty());
    for (Row s : summary) {
      int[] e = expected.getOrDefault((String) s.getAs("domain"), new int[2]);
      assertEquals(e[0], (int) s.getAs("kpis_with_standard"), (String) s.getAs("domain"));
      assertEquals(e[1], (int) s.getAs("kpis_meeting_standard"), (String) s.getAs("domain"));
    }
    assertTrue(expected.get("Cancer")[0] >= 5);
  }

  @Test
  void inequalityRowsForFlaggedIndicators() {
    List<Row> rows = table("indicator_inequality").collectAsList();
    long flagged = IndicatorCatalogue.defaults().indicators().stream().filter(IndicatorDefinition::inequality).count();
    long icsRows = rows.stream().filter(r -> "ICS".equals(r.getAs("level"))).count();
    assertEquals(flagged, icsRows);
    long withSii = rows.stream().filter(r -> r.getAs("sii") != null).count();
    assertTrue(withSii > flagged, "SII computed for " + withSii + " rows");
    for (Row r : rows) {
      if (r.getAs("sii") != null) {
        assertTrue(dbl(r, "sii_lower95") <= dbl(r, "sii") + 1e-9 && dbl(r, "sii") <= dbl(r, "sii_upper95") + 1e-9);
      }
    }
  }

  @Test
  void tablesMatchTheDataDictionary() throws Exception {
    com.fasterxml.jackson.databind.ObjectMapper yaml =
        new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
    com.fasterxml.jackson.databind.JsonNode dict;
    try (var in = getClass().getClassLoader().getResourceAsStream("dictionary/indicators.yaml")) {
      dict = yaml.readTree(in);
    }
    assertEquals(4, tables.size());
    for (PackTable t : tables) {
      com.fasterxml.jackson.databind.JsonNode entry = null;
      for (com.fasterxml.jackson.databind.JsonNode n : dict.get("tables")) {
        if (n.get("name").asText().equals(t.name())) {
          entry = n;
        }
      }
      assertNotNull(entry, "dictionary has no table " + t.name());
      assertEquals(entry.get("sensitivity").asText(), t.sensitivity().name());
      List<String> cols = new java.util.ArrayList<>();
      entry.get("columns").forEach(c -> cols.add(c.get("name").asText()));
      assertEquals(cols, List.of(t.data().columns()), t.name());
      for (String p : t.partitionBy()) {
        assertTrue(cols.contains(p));
      }
    }
    List<String> counts = new java.util.ArrayList<>();
    for (com.fasterxml.jackson.databind.JsonNode n : dict.get("tables")) {
      if (n.get("name").asText().equals("indicator_values")) {
        n.get("columns").forEach(c -> {
          if (c.has("role") && c.get("role").asText().equals("count")) {
            counts.add(c.get("name").asText());
          }
        });
      }
    }
    assertEquals(List.of("numerator", "denominator"), counts);
    // and the pack's own dictionary loader reads the same entries
    org.phm.pack.DataDictionary.Table t = org.phm.pack.DataDictionary.load().table("indicator_values").orElseThrow();
    assertEquals(List.of("numerator", "denominator"), t.columnsWithRole("count"));
    assertTrue(t.columnsWithRole("derived").containsAll(List.of("value", "lower95", "upper95", "lower998", "upper998")));
  }

  @Test
  void frailtyIsTheEfiAtEachPeriodEnd() {
    // expected at two period ends from the risk stage's own eFI as of each (an independent implementation)
    List<LocalDate> ends = List.of(END0, LocalDate.of(2026, 4, 30));
    List<Dataset<Row>> asOf = org.phm.risk.PatientFeatures.build(model, ends, org.phm.risk.RiskConfig.defaults());
    for (int i = 0; i < ends.size(); i++) {
      double num = 0;
      double den = 0;
      for (Row p : asOf.get(i).select("age", "efi_category").collectAsList()) {
        if (p.getInt(0) >= 65) {
          den++;
          num += List.of("moderate", "severe").contains(p.getString(1)) ? 1 : 0;
        }
      }
      Row r = get("FRAILTY_MODERATE_SEVERE_65", ends.get(i), "ICS", ICS, "ALL", "ALL");
      assertEquals(num, dbl(r, "numerator"), "frail 65+ at " + ends.get(i));
      assertEquals(den, dbl(r, "denominator"), "65+ at " + ends.get(i));
      assertTrue(num > 0, "no frail patient at " + ends.get(i));
    }
  }

  @Test
  void badSqlIsReportedWithTheIndicator() {
    IndicatorCatalogue bad = IndicatorCatalogue.parse("""
        catalogue_version: 1
        age_bands: [{label: all, min: 0}]
        indicators:
          - id: FRAIL
            name: frail
            domain: LTC
            definition: d
            unit: '%'
            method: proportion
            multiplier: 100
            polarity: NO_JUDGEMENT
            levels: [ICS]
            frequency: monthly
            period: at_period_end
            source: s
            numerator: {dataset: patients, filter: "nosuchfunction(age) >= 65"}
            denominator: {dataset: patients}
        """, "frail.yaml");
    ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
        () -> IndicatorStage.run(spark, model, IndicatorTestModel.RUN_DATE, bad));
    assertTrue(e.getMessage().contains("FRAIL") && e.getMessage().contains("numerator"), e.getMessage());
  }

  @Test
  void indicatorsCountingTheSameRowsShareAColumnAndKeepTheirOwnValues() {
    String common = """
            domain: Planned Care
            definition: d
            multiplier: %s
            polarity: NO_JUDGEMENT
            levels: [ICS, PROVIDER]
            frequency: monthly
            period: latest_snapshot
            source: s
        """;
    String yaml = "catalogue_version: 1\nage_bands: [{label: all, min: 0}]\nindicators:\n"
        + indicator("UNDER_18", "proportion", "100", common,
            "{dataset: rtt, filter: 'weeks_waiting < 18'}", "{dataset: rtt}")
        + indicator("OVER_52", "proportion", "100", common,
            "{dataset: rtt, filter: 'weeks_waiting >= 52'}", "{dataset: rtt}")
        + indicator("MEDIAN_A", "median", "1", common, "{dataset: rtt, count: measure, measure: weeks_waiting}", null)
        + indicator("MEDIAN_B", "median", "1", common, "{dataset: rtt, count: measure, measure: weeks_waiting}", null);
    List<PackTable> out = IndicatorStage.run(spark, model, IndicatorTestModel.RUN_DATE,
        IndicatorCatalogue.parse(yaml, "shared.yaml"));
    Map<String, Row> got = new HashMap<>();
    Dataset<Row> shared = out.stream().filter(t -> t.name().equals("indicator_values")).findFirst().orElseThrow().data();
    for (Row r : shared.filter("period_end = DATE'2026-10-31' AND breakdown = 'ALL'").collectAsList()) {
      got.put(key(r.getAs("indicator_id"), r.getAs("level"), r.getAs("area_code")), r);
    }
    for (String provider : List.of("RX1", "RK5")) {
      List<Integer> weeks = data.rtt.stream().filter(w -> w.snapshot().equals(END0) && w.provider().equals(provider))
          .map(IndicatorTestModel.Waiter::weeks).toList();
      Row under = got.get(key("UNDER_18", "PROVIDER", provider));
      assertNotNull(under, provider + " not in " + got.keySet());
      Row over = got.get(key("OVER_52", "PROVIDER", provider));
      assertEquals(weeks.stream().filter(w -> w < 18).count(), dbl(under, "numerator"), provider);
      assertEquals(weeks.stream().filter(w -> w >= 52).count(), dbl(over, "numerator"), provider);
      assertEquals(weeks.size(), dbl(under, "denominator"), provider);
      assertEquals(weeks.size(), dbl(over, "denominator"), provider);
      Row a = got.get(key("MEDIAN_A", "PROVIDER", provider));
      Row b = got.get(key("MEDIAN_B", "PROVIDER", provider));
      assertEquals(dbl(a, "value"), dbl(b, "value"), provider);
      assertEquals(weeks.size(), dbl(b, "denominator"), provider);
    }
    assertEquals(dbl(got.get(key("MEDIAN_A", "ICS", ICS)), "value"), dbl(got.get(key("MEDIAN_B", "ICS", ICS)), "value"));
    // areas count the waiters of patients on a practice list (others count for their provider only)
    java.util.Set<String> listed = new java.util.HashSet<>();
    data.patients.forEach(p -> listed.add(p.id()));
    long icsWaiters = data.rtt.stream().filter(w -> w.snapshot().equals(END0) && listed.contains(w.patient())).count();
    assertEquals(icsWaiters, dbl(got.get(key("MEDIAN_A", "ICS", ICS)), "denominator"));
    assertEquals(icsWaiters, dbl(got.get(key("MEDIAN_B", "ICS", ICS)), "denominator"));
    assertEquals(icsWaiters, dbl(got.get(key("UNDER_18", "ICS", ICS)), "denominator"));
  }

  private static String indicator(String id, String method, String multiplier, String common, String numerator,
      String denominator) {
    return "  - id: " + id + "\n    name: " + id + "\n    method: " + method + "\n    unit: x\n"
        + common.formatted(multiplier) + "    numerator: " + numerator + "\n"
        + (denominator == null ? "" : "    denominator: " + denominator + "\n");
  }
}
