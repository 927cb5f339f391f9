package org.phm.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.phm.stats.ConformanceCsv.Row;

/**
 * Data-driven conformance with PHEindicatormethods: one dynamic test per row of every CSV in
 * ${phm.shared.dir}/reference/conformance (see its README for columns and tolerances). A blank expected cell means
 * NA, so the result must be NaN. Failures name the file, row, case and column.
 */
class PheConformanceTest {

    /** Files with one test per row, mapped to the checker of a row. Input files are read by their checker. */
    private static final Map<String, Function<Row, Runnable>> CASE_FILES = new LinkedHashMap<>();
    /** Input files: every case in them must be checked through an expected file. */
    private static final Map<String, String> INPUT_FILES = Map.of(
            "dsr_inputs.csv", "dsr_expected.csv",
            "isr_inputs.csv", "isr_expected.csv",
            "mean_t_inputs.csv", "mean_t_expected.csv",
            "sii_inputs.csv", "sii_expected.csv",
            "life_expectancy_inputs.csv", "life_expectancy_expected.csv");

    static {
        CASE_FILES.put("esp2013_weights.csv", row -> () -> checkEsp(row));
        CASE_FILES.put("proportion_wilson.csv", row -> () -> checkProportion(row));
        CASE_FILES.put("rate_byars.csv", row -> () -> checkRate(row));
        CASE_FILES.put("byars_function.csv", row -> () -> checkByars(row));
        CASE_FILES.put("dsr_expected.csv", row -> () -> checkDsr(row));
        CASE_FILES.put("isr_expected.csv", row -> () -> checkIsr(row));
        CASE_FILES.put("mean_t_expected.csv", row -> () -> checkMean(row));
        CASE_FILES.put("sii_expected.csv", row -> () -> checkSii(row));
        CASE_FILES.put("life_expectancy_expected.csv", row -> () -> checkLifeExpectancy(row));
        CASE_FILES.put("funnel_proportion.csv", row -> () -> checkFunnelProportion(row));
        CASE_FILES.put("funnel_ratio.csv", row -> () -> checkFunnelRatio(row));
        CASE_FILES.put("funnel_rate.csv", row -> () -> checkFunnelRate(row));
    }

    @TestFactory
    Stream<DynamicTest> everyConformanceCase() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, Function<Row, Runnable>> e : CASE_FILES.entrySet()) {
            Path p = ConformanceCsv.folder().resolve(e.getKey());
            if (!Files.exists(p)) continue; // a missing file is reported by everyFileIsCovered
            for (Row row : ConformanceCsv.read(p)) {
                Runnable check = e.getValue().apply(row);
                tests.add(DynamicTest.dynamicTest(row.where(), check::run));
            }
        }
        return tests.stream();
    }

    @Test
    void everyFileIsCoveredAndNonEmpty() throws IOException {
        Set<String> present;
        try (Stream<Path> s = Files.list(ConformanceCsv.folder())) {
            present = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".csv"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        Set<String> known = new TreeSet<>(CASE_FILES.keySet());
        known.addAll(INPUT_FILES.keySet());
        Set<String> unknown = new TreeSet<>(present);
        unknown.removeAll(known);
        assertTrue(unknown.isEmpty(), "conformance files without a checker: " + unknown);
        Set<String> missing = new TreeSet<>(known);
        missing.removeAll(present);
        assertTrue(missing.isEmpty(), "expected conformance files missing: " + missing);
        for (String f : present) assertTrue(!ConformanceCsv.read(f).isEmpty(), f + " has no rows");
    }

    @Test
    void everyInputCaseHasExpectedRowsAndViceVersa() {
        for (Map.Entry<String, String> e : INPUT_FILES.entrySet()) {
            Set<String> inputCases = ConformanceCsv.read(e.getKey()).stream().map(r -> r.get("case_id"))
                    .collect(Collectors.toCollection(TreeSet::new));
            Set<String> expectedCases = ConformanceCsv.read(e.getValue()).stream().map(r -> r.get("case_id"))
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(inputCases, expectedCases, e.getKey() + " and " + e.getValue() + " must hold the same cases");
        }
    }

    // ---------------------------------------------------------------- checks per file

    private static void checkEsp(Row row) {
        StandardPopulation esp = StandardPopulation.esp2013();
        int i = (int) row.num("band_index") - 1;
        assertEquals(row.get("ageband"), esp.bands().get(i), row.where() + " column ageband");
        assertEquals((int) row.num("min_age"), esp.minAges()[i], row.where() + " column min_age");
        int max = row.blank("max_age") ? -1 : (int) row.num("max_age");
        assertEquals(max, esp.maxAges()[i], row.where() + " column max_age");
        assertEquals(row.num("esp2013_weight"), esp.weights()[i], 0.0, row.where() + " column esp2013_weight");
        assertEquals(row.num("esp2013_weight"), DirectStandardisation.esp2013()[i], 0.0,
                row.where() + " column esp2013_weight (DirectStandardisation.esp2013)");
    }

    private static void checkProportion(Row row) {
        Estimate e = Proportions.wilson(row.num("numerator"), row.num("denominator"), row.num("multiplier"));
        double c = row.num("confidence");
        near(row, "value", e.value());
        near(row, "lowercl", e.lower(c));
        near(row, "uppercl", e.upper(c));
        if (!row.blank("value")) assertEquals("Wilson", e.method(), row.where() + " method");
    }

    private static void checkRate(Row row) {
        Estimate e = Rates.crude(row.num("numerator"), row.num("denominator"), row.num("multiplier"));
        double c = row.num("confidence");
        near(row, "value", e.value());
        near(row, "lowercl", e.lower(c));
        near(row, "uppercl", e.upper(c));
        if (!row.blank("method")) assertEquals(row.get("method"), e.method(), row.where() + " column method");
    }

    private static void checkByars(Row row) {
        double x = row.num("observed");
        double c = row.num("confidence");
        near(row, "byars_lower", Rates.byarsLower(x, c));
        near(row, "byars_upper", Rates.byarsUpper(x, c));
    }

    private static void checkDsr(Row row) {
        String id = row.get("case_id");
        List<Row> in = inputs("dsr_inputs.csv", id);
        double m = row.num("multiplier");
        boolean nonIndependent = in.stream().anyMatch(r -> !r.blank("eventfreq"));
        Estimate e;
        double totalCount;
        double totalPop;
        if (!nonIndependent) {
            double[] x = in.stream().mapToDouble(r -> r.num("count")).toArray();
            double[] n = in.stream().mapToDouble(r -> r.num("pop")).toArray();
            double[] w = in.stream().mapToDouble(r -> r.num("stdpop")).toArray();
            e = DirectStandardisation.dsr(x, n, w, m);
            totalCount = IndirectStandardisation.sumNaZero(x);
            totalPop = sum(n);
        } else {
            List<String> bands = new ArrayList<>(new LinkedHashSet<>(in.stream().map(r -> r.get("ageband")).toList()));
            List<Double> freqs = new ArrayList<>(new LinkedHashSet<>(in.stream().map(r -> r.num("eventfreq")).toList()));
            double[][] persons = new double[freqs.size()][bands.size()];
            double[] n = new double[bands.size()];
            double[] w = new double[bands.size()];
            totalCount = 0;
            for (Row r : in) {
                int b = bands.indexOf(r.get("ageband"));
                int f = freqs.indexOf(r.num("eventfreq"));
                persons[f][b] += IndirectStandardisation.naZero(r.num("count"));
                n[b] = r.num("pop");
                w[b] = r.num("stdpop");
                totalCount += r.num("eventfreq") * IndirectStandardisation.naZero(r.num("count"));
            }
            e = DirectStandardisation.dsrNonIndependent(persons, freqs.stream().mapToDouble(Double::doubleValue).toArray(),
                    n, w, m);
            totalPop = sum(n);
        }
        double c = row.num("confidence");
        near(row, "total_count", totalCount);
        near(row, "total_pop", totalPop);
        near(row, "value", e.value());
        near(row, "lowercl", e.lower(c));
        near(row, "uppercl", e.upper(c));
        String method = row.get("method");
        if (method.startsWith("NA")) {
            assertEquals(method, e.method(), row.where() + " column method");
        } else {
            assertTrue(e.method().startsWith("Dobson"), row.where() + " column method: expected " + method + " got " + e.method());
            assertEquals(method.contains("non-independent"), e.method().contains("non-independent"),
                    row.where() + " column method: expected " + method + " got " + e.method());
        }
    }

    private static void checkIsr(Row row) {
        List<Row> in = inputs("isr_inputs.csv", row.get("case_id"));
        double[] x = in.stream().mapToDouble(r -> r.num("count")).toArray();
        double[] n = in.stream().mapToDouble(r -> r.num("pop")).toArray();
        double[] rx = in.stream().mapToDouble(r -> r.num("refcount")).toArray();
        double[] rn = in.stream().mapToDouble(r -> r.num("refpop")).toArray();
        double observed = IndirectStandardisation.sumNaZero(x);
        double expected = IndirectStandardisation.expected(n, rx, rn);
        double c = row.num("confidence");
        near(row, "observed", observed);
        near(row, "expected", expected);
        Estimate e = IndirectStandardisation.ratio(observed, expected, row.num("refvalue"));
        near(row, "value", e.value());
        near(row, "lowercl", e.lower(c));
        near(row, "uppercl", e.upper(c));
        if (!row.blank("method")) assertEquals(row.get("method"), e.method(), row.where() + " column method");
        if (row.get("output").equals("rate")) {
            // the reference value of a rate is the overall reference rate × a power-of-ten multiplier
            double m = row.num("refvalue") / IndirectStandardisation.referenceRate(rx, rn, 1);
            double power = Math.rint(Math.log10(m));
            assertEquals(1.0, m / Math.pow(10, power), 1e-9, row.where() + " column refvalue is not reference rate × 10^k");
            Estimate r = IndirectStandardisation.rate(x, n, rx, rn, Math.pow(10, power));
            near(row, "value", r.value());
            near(row, "lowercl", r.lower(c));
            near(row, "uppercl", r.upper(c));
        }
    }

    private static void checkMean(Row row) {
        List<Row> in = inputs("mean_t_inputs.csv", row.get("case_id"));
        double[] v = in.stream().mapToDouble(r -> r.num("value")).toArray();
        double c = row.num("confidence");
        double sumSq = 0;
        for (double d : v) sumSq += d * d;
        near(row, "value_sum", sum(v));
        near(row, "value_count", v.length);
        Estimate fromValues = Means.mean(v);
        Estimate fromAggregates = Means.mean(v.length, sum(v), sumSq);
        double sd = (fromValues.upper95() - fromValues.value()) * Math.sqrt(v.length)
                / Math.abs(Confidence.qt(0.025, v.length - 1));
        near(row, "stdev", sd);
        for (Estimate e : List.of(fromValues, fromAggregates)) {
            near(row, "value", e.value());
            near(row, "lowercl", e.lower(c));
            near(row, "uppercl", e.upper(c));
        }
    }

    private static void checkSii(Row row) {
        List<Row> in = new ArrayList<>(inputs("sii_inputs.csv", row.get("case_id")));
        in.sort((a, b) -> Double.compare(a.num("quantile"), b.num("quantile")));
        double[] pops = in.stream().mapToDouble(r -> r.num("population")).toArray();
        double[] vals = in.stream().mapToDouble(r -> r.num("value")).toArray();
        double[] coef = Inequality.coefficients(pops, vals);
        near(row, "intercept", coef[0]);
        near(row, "sii", coef[1]);
        // the full method gives the same point estimates (limits are seed-dependent and not published)
        SiiResult s = Inequality.sii(pops, vals, vals, vals, 1L);
        near(row, "sii", s.sii());
        near(row, "rii", s.rii());
    }

    private static void checkLifeExpectancy(Row row) {
        List<Row> in = new ArrayList<>(inputs("life_expectancy_inputs.csv", row.get("case_id")));
        in.sort((a, b) -> Double.compare(a.num("startage"), b.num("startage")));
        double[] pops = in.stream().mapToDouble(r -> r.num("pop")).toArray();
        double[] deaths = in.stream().mapToDouble(r -> r.num("deaths")).toArray();
        LifeExpectancy.Result res = LifeExpectancy.calculate(pops, deaths);
        int age = (int) row.num("startage");
        Estimate e = res.at(age);
        double c = row.num("confidence");
        near(row, "value", e.value());
        near(row, "lowercl", e.lower(c));
        near(row, "uppercl", e.upper(c));
        if (!row.blank("value_suppressed")) {
            int i = java.util.Arrays.binarySearch(LifeExpectancy.START_AGES, age);
            assertEquals(Boolean.parseBoolean(row.get("value_suppressed").trim().toLowerCase()), res.valueSuppressed()[i],
                    row.where() + " column value_suppressed");
        }
    }

    private static void checkFunnelProportion(Row row) {
        Funnels.Limits l = Funnels.proportion(row.num("population"), row.num("baseline_proportion"), row.num("multiplier"));
        near(row, "lower_2s_limit", l.lower2s());
        near(row, "upper_2s_limit", l.upper2s());
        near(row, "lower_3s_limit", l.lower3s());
        near(row, "upper_3s_limit", l.upper3s());
    }

    private static void checkFunnelRatio(Row row) {
        double o = row.num("observed");
        Funnels.Limits e = Funnels.ratioExpectedEvents(o);
        Funnels.Limits r = Funnels.ratio(o);
        near(row, "lower_2s_exp_events", e.lower2s());
        near(row, "upper_2s_exp_events", e.upper2s());
        near(row, "lower_3s_exp_events", e.lower3s());
        near(row, "upper_3s_exp_events", e.upper3s());
        near(row, "lower_2s_ratio", r.lower2s());
        near(row, "upper_2s_ratio", r.upper2s());
        near(row, "lower_3s_ratio", r.lower3s());
        near(row, "upper_3s_ratio", r.upper3s());
    }

    private static void checkFunnelRate(Row row) {
        Funnels.RatePoint p = Funnels.rate(row.num("events"), row.num("baseline_rate"), row.num("multiplier"),
                row.num("years_of_data"));
        near(row, "lower_2s_population_1_year", p.population1Year().lower2s());
        near(row, "upper_2s_population_1_year", p.population1Year().upper2s());
        near(row, "lower_3s_population_1_year", p.population1Year().lower3s());
        near(row, "upper_3s_population_1_year", p.population1Year().upper3s());
        near(row, "lower_2s_limit", p.limits().lower2s());
        near(row, "upper_2s_limit", p.limits().upper2s());
        near(row, "lower_3s_limit", p.limits().lower3s());
        near(row, "upper_3s_limit", p.limits().upper3s());
    }

    // ---------------------------------------------------------------- helpers

    private static final Map<String, List<Row>> INPUT_CACHE = new java.util.concurrent.ConcurrentHashMap<>();

    private static List<Row> inputs(String file, String caseId) {
        List<Row> rows = INPUT_CACHE.computeIfAbsent(file, ConformanceCsv::read).stream()
                .filter(r -> r.get("case_id").equals(caseId)).toList();
        if (rows.isEmpty()) fail(file + ": no input rows for case " + caseId);
        return rows;
    }

    /** Asserts got is within the row's tolerance of the expected column (NaN required when the cell is blank). */
    static void near(Row row, String column, double got) {
        double expected = row.num(column);
        if (Double.isNaN(expected)) {
            if (!Double.isNaN(got)) fail(row.where() + " column " + column + ": expected NA but got " + got);
            return;
        }
        double tol;
        if (row.has("abs_tol") && !row.blank("abs_tol")) {
            tol = row.num("abs_tol");
        } else if (row.has("rel_tol") && !row.blank("rel_tol")) {
            tol = row.num("rel_tol") * Math.abs(expected);
        } else {
            tol = 1e-9 * Math.abs(expected);
        }
        if (!(Math.abs(got - expected) <= tol)) {
            fail(String.format("%s column %s: expected %.15g but got %.15g (|diff| %.3g > tolerance %.3g)",
                    row.where(), column, expected, got, Math.abs(got - expected), tol));
        }
    }

    private static double sum(double[] xs) {
        double s = 0;
        for (double x : xs) s += x;
        return s;
    }
}
