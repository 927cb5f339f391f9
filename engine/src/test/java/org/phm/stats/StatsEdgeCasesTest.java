package org.phm.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.apache.commons.math3.distribution.PoissonDistribution;
import org.junit.jupiter.api.Test;

/** Edge behaviour and hand-worked / independently recomputed checks for the statistics (no Spark). */
class StatsEdgeCasesTest {

    private static final double Z95 = 1.959963984540054;
    private static final double Z998 = 3.090232306167813;

    private static void close(double expected, double got, double rel, String what) {
        assertTrue(Math.abs(got - expected) <= rel * Math.abs(expected) + 1e-300,
                what + ": expected " + expected + " got " + got);
    }

    // ------------------------------------------------------------ proportions

    @Test
    void wilsonZeroAndAllAndFractional() {
        Estimate zero = Proportions.wilson(0, 50, 100);
        assertEquals(0.0, zero.value());
        assertEquals(0.0, zero.lower95());
        assertEquals(0.0, zero.lower998());
        // upper for x = 0 is z²/(n+z²)
        close(Z95 * Z95 / (50 + Z95 * Z95) * 100, zero.upper95(), 1e-12, "upper95 of 0/50");

        Estimate all = Proportions.wilson(50, 50, 100);
        assertEquals(100.0, all.value());
        close(100.0, all.upper95(), 1e-14, "upper95 of 50/50");
        close(50 / (50 + Z95 * Z95) * 100, all.lower95(), 1e-12, "lower95 of 50/50");

        // fractional numerator, independent recomputation of the score interval as the roots of
        // (p̂ - p)² = z² p(1-p)/n
        double x = 0.445;
        double n = 1;
        double ph = x / n;
        double a = 1 + Z95 * Z95 / n;
        double b = -(2 * ph + Z95 * Z95 / n);
        double c = ph * ph;
        double disc = Math.sqrt(b * b - 4 * a * c);
        Estimate f = Proportions.wilson(x, n, 1);
        close((-b - disc) / (2 * a), f.lower95(), 1e-12, "fractional lower");
        close((-b + disc) / (2 * a), f.upper95(), 1e-12, "fractional upper");
        assertEquals("Wilson", f.method());
    }

    @Test
    void wilsonInvalidInputsAreNotAvailable() {
        assertTrue(Proportions.wilson(5, 0, 100).method().startsWith("NA"));
        assertTrue(Double.isNaN(Proportions.wilson(6, 5, 100).value()));
        assertTrue(Double.isNaN(Proportions.wilson(-1, 5, 100).upper95()));
        assertTrue(Double.isNaN(Proportions.wilson(Double.NaN, 5, 100).lower998()));
    }

    // ------------------------------------------------------------ rates

    @Test
    void exactLimitsForZeroAndOneMatchTheExponentialClosedForm() {
        // chi-square with 2 df is exponential with mean 2, so qchisq(p, 2)/2 = -ln(1-p)
        Estimate zero = Rates.crude(0, 1000, 1000);
        assertEquals(0.0, zero.value());
        assertEquals(0.0, zero.lower95());
        assertEquals(0.0, zero.lower998());
        close(-Math.log(0.025), zero.upper95(), 1e-12, "upper95 for 0 events");
        close(-Math.log(0.001), zero.upper998(), 1e-12, "upper998 for 0 events");
        assertEquals("Exact", zero.method());
        Estimate one = Rates.crude(1, 1000, 1000);
        close(-Math.log(0.975), one.lower95(), 1e-12, "lower95 for 1 event");
        close(-Math.log(0.999), one.lower998(), 1e-12, "lower998 for 1 event");
    }

    @Test
    void exactLimitsAreThePoissonMeansThatPutTheCountInTheTail() {
        for (int x = 1; x < 10; x++) {
            CountLimits l = Rates.countLimits(x);
            // P(X >= x | mu = lower) = alpha/2 and P(X <= x | mu = upper) = alpha/2
            close(0.025, 1 - new PoissonDistribution(l.lower95()).cumulativeProbability(x - 1), 1e-9, "lower95 x=" + x);
            close(0.025, new PoissonDistribution(l.upper95()).cumulativeProbability(x), 1e-9, "upper95 x=" + x);
            close(0.001, 1 - new PoissonDistribution(l.lower998()).cumulativeProbability(x - 1), 1e-9, "lower998 x=" + x);
            close(0.001, new PoissonDistribution(l.upper998()).cumulativeProbability(x), 1e-9, "upper998 x=" + x);
            // the cached table equals a direct computation
            close(Rates.exactUpper(x, 0.95), l.upper95(), 1e-15, "cache x=" + x);
        }
    }

    @Test
    void tinyChiSquareQuantilesKeepRelativePrecision() {
        // fractional small counts give tiny lower limits (1e-30 and below); check F(q) = p to 1e-12 relative
        for (double df : new double[] {0.02, 0.2, 0.89, 3, 19}) {
            for (double p : new double[] {0.001, 0.025, 0.975, 0.999}) {
                double q = Confidence.qchisq(p, df);
                assertTrue(q > 0, "df " + df + " p " + p);
                double back = org.apache.commons.math3.special.Gamma.regularizedGammaP(df / 2, q / 2);
                close(p, back, 1e-12, "F(qchisq(" + p + ", " + df + "))");
            }
        }
        // closed form for df = 2 far in the lower tail: -2 ln(1-p)
        close(-2 * Math.log1p(-1e-6), Confidence.qchisq(1e-6, 2), 1e-12, "qchisq(1e-6, 2)");
        Estimate tenth = Rates.crude(0.1, 1, 1);
        assertTrue(tenth.lower998() > 0 && tenth.lower998() < 1e-20, "lower998 for 0.1 events: " + tenth.lower998());
    }

    @Test
    void switchFromExactToByarsAtTen() {
        assertEquals("Exact", Rates.crude(9, 100, 1).method());
        assertEquals("Exact", Rates.crude(9.99, 100, 1).method());
        assertEquals("Byars", Rates.crude(10, 100, 1).method());
        Estimate ten = Rates.crude(10, 100, 1);
        double b = 1 - 1 / 90.0 - Z95 / (3 * Math.sqrt(10));
        close(10 * b * b * b / 100, ten.lower95(), 1e-12, "Byars lower 10");
        // rates may exceed 1 (count > population) and fractional small counts use fractional df
        assertEquals(2.5, Rates.crude(250, 100, 1).value());
        assertTrue(Rates.crude(0.5, 100, 1).upper95() > Rates.crude(0, 100, 1).upper95());
        assertTrue(Rates.crude(10, 0, 1).method().startsWith("NA"));
        assertTrue(Rates.crude(-1, 10, 1).method().startsWith("NA"));
    }

    @Test
    void byarsLowerNegativeOrZeroIsNaN() {
        assertTrue(Double.isNaN(Rates.byarsLower(0, 0.95)));
        assertTrue(Double.isNaN(Rates.byarsLower(1, 0.998)));
        assertFalse(Double.isNaN(Rates.byarsUpper(0, 0.95)));
    }

    // ------------------------------------------------------------ DSR

    @Test
    void dsrHandWorkedTwoBands() {
        // bands: 20 events / 1000 people (w 600), 30 events / 500 people (w 400)
        double[] x = {20, 30};
        double[] n = {1000, 500};
        double[] w = {600, 400};
        double dsr = (20 * 600 / 1000.0 + 30 * 400 / 500.0) / 1000 * 1e5; // (12 + 24)/1000 = 0.036
        double var = (20 * Math.pow(0.6, 2) + 30 * Math.pow(0.8, 2)) / 1e6;
        double o = 50;
        double bl = o * Math.pow(1 - 1 / (9 * o) - Z95 / (3 * Math.sqrt(o)), 3);
        Estimate e = DirectStandardisation.dsr(x, n, w, 1e5);
        close(dsr, e.value(), 1e-12, "dsr");
        close(dsr + Math.sqrt(var / o) * (bl - o) * 1e5, e.lower95(), 1e-12, "dobson lower");
        assertEquals("Dobson", e.method());
    }

    @Test
    void dsrSuppressedBelowTenAndZeroPopulationBands() {
        double[] w = DirectStandardisation.esp2013();
        double[] n = new double[19];
        java.util.Arrays.fill(n, 1000);
        double[] x = new double[19];
        x[18] = 9;
        Estimate nine = DirectStandardisation.dsr(x, n, w, 1e5);
        assertEquals(DirectStandardisation.NA_SMALL, nine.method());
        assertTrue(Double.isNaN(nine.value()) && Double.isNaN(nine.upper998()));
        assertEquals(DirectStandardisation.NA_SMALL, DirectStandardisation.dsr(new double[19], n, w, 1e5).method());
        x[18] = 10;
        assertEquals("Dobson", DirectStandardisation.dsr(x, n, w, 1e5).method());
        // an empty band (no people, no events) contributes nothing
        n[0] = 0;
        assertEquals("Dobson", DirectStandardisation.dsr(x, n, w, 1e5).method());
        x[0] = 1;
        assertTrue(DirectStandardisation.dsr(x, n, w, 1e5).method().startsWith("NA: population"));
        // NaN counts count as zero
        double[] withNaN = x.clone();
        withNaN[0] = Double.NaN;
        n[0] = 1000;
        x[0] = 0;
        assertEquals(DirectStandardisation.dsr(x, n, w, 1e5), DirectStandardisation.dsr(withNaN, n, w, 1e5));
        assertThrows(IllegalArgumentException.class, () -> DirectStandardisation.dsr(new double[3], new double[19], w, 1));
    }

    @Test
    void nonIndependentWithSingleEventsEqualsIndependent() {
        double[] w = DirectStandardisation.esp2013();
        Random r = new Random(7);
        double[] n = new double[19];
        double[] x = new double[19];
        for (int i = 0; i < 19; i++) {
            n[i] = 500 + r.nextInt(2000);
            x[i] = r.nextInt(40);
        }
        Estimate ind = DirectStandardisation.dsr(x, n, w, 1e5);
        Estimate non = DirectStandardisation.dsrNonIndependent(new double[][] {x}, new double[] {1}, n, w, 1e5);
        close(ind.value(), non.value(), 1e-12, "value");
        close(ind.lower95(), non.lower95(), 1e-12, "lower95");
        close(ind.upper998(), non.upper998(), 1e-12, "upper998");
        // persons with 2 events each: same events as 2x independent but wider limits
        double[] half = new double[19];
        double[] doubled = new double[19];
        for (int i = 0; i < 19; i++) {
            half[i] = x[i];
            doubled[i] = 2 * x[i];
        }
        Estimate twice = DirectStandardisation.dsrNonIndependent(new double[][] {half}, new double[] {2}, n, w, 1e5);
        Estimate asIndependent = DirectStandardisation.dsr(doubled, n, w, 1e5);
        close(asIndependent.value(), twice.value(), 1e-12, "value with 2 events each");
        assertTrue(twice.upper95() - twice.lower95() > asIndependent.upper95() - asIndependent.lower95());
    }

    @Test
    void standardPopulationsLoadAndValidate() {
        StandardPopulation esp = StandardPopulation.esp2013();
        assertEquals(19, esp.size());
        assertEquals(100_000, java.util.Arrays.stream(esp.weights()).sum());
        assertEquals("90+", esp.bands().get(18));
        assertEquals(18, esp.bandOf(104));
        assertEquals(0, esp.bandOf(0));
        assertEquals(1, esp.bandOf(5));
        assertEquals(-1, esp.bandOf(-1));
        StandardPopulation old = StandardPopulation.esp1976();
        assertEquals(18, old.size());
        double[] x = new double[18];
        double[] n = new double[18];
        java.util.Arrays.fill(x, 5);
        java.util.Arrays.fill(n, 1000);
        // equal rates in every band: the DSR is that rate whatever the standard population
        assertEquals(500.0, DirectStandardisation.dsr(x, n, old, 1e5).value(), 1e-9);
        assertEquals(100_000, java.util.Arrays.stream(old.weights()).sum());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> StandardPopulation.named("nope"));
        assertTrue(missing.getMessage().contains("stats/nope.csv"));
        // callers get a copy
        double[] copy = DirectStandardisation.esp2013();
        copy[0] = -1;
        assertEquals(5000, DirectStandardisation.esp2013()[0]);
    }

    // ------------------------------------------------------------ ISR

    @Test
    void isrZeroObservedAndExpectedEdges() {
        Estimate e = IndirectStandardisation.ratio(0, 4, 100);
        assertEquals(0.0, e.value());
        assertEquals(0.0, e.lower95());
        close(-Math.log(0.025) / 4 * 100, e.upper95(), 1e-12, "upper95 for O = 0");
        assertEquals("Exact", e.method());
        assertTrue(IndirectStandardisation.ratio(5, 0, 1).method().startsWith("NA"));
        // expected with NaN reference count treated as zero
        assertEquals(10 * 0.5, IndirectStandardisation.expected(new double[] {10, 10}, new double[] {5, Double.NaN},
                new double[] {10, 10}), 1e-12);
    }

    // ------------------------------------------------------------ means

    @Test
    void meansEdges() {
        Estimate same = Means.mean(3, 0.1 + 0.1 + 0.1, 0.1 * 0.1 * 3);
        assertEquals(same.value(), same.lower95());
        assertEquals(same.value(), same.upper998());
        Estimate sameValues = Means.mean(new double[] {0.1, 0.1, 0.1});
        assertEquals(sameValues.value(), sameValues.lower95());
        Estimate one = Means.mean(1, 5, 25);
        assertEquals(5.0, one.value());
        assertTrue(Double.isNaN(one.lower95()));
        assertTrue(Means.mean(0, 0, 0).method().startsWith("NA"));
        // aggregates agree with values on random data; independent t quantile for df = 4: 2.776445105
        double[] v = {2, 4, 4, 5, 7};
        double sd = Math.sqrt((1.2 * 1.2 * 0 + Math.pow(2 - 4.4, 2) + 2 * Math.pow(4 - 4.4, 2) + Math.pow(5 - 4.4, 2)
                + Math.pow(7 - 4.4, 2)) / 4);
        Estimate m = Means.mean(5, 22, 4 + 16 + 16 + 25 + 49);
        close(4.4 - 2.776445105197793 * sd / Math.sqrt(5), m.lower95(), 1e-10, "t lower");
        Estimate mv = Means.mean(v);
        close(mv.upper998(), m.upper998(), 1e-12, "aggregate vs values");
    }

    // ------------------------------------------------------------ comparison

    @Test
    void comparisonAndJudgement() {
        assertEquals(Significance.HIGHER, Comparison.compare(11, 12, 10));
        assertEquals(Significance.LOWER, Comparison.compare(8, 9, 10));
        assertEquals(Significance.SIMILAR, Comparison.compare(9, 11, 10));
        assertEquals(Significance.SIMILAR, Comparison.compare(10, 11, 10));
        assertEquals(Significance.NOT_COMPARED, Comparison.compare(Double.NaN, 11, 10));
        assertEquals(Significance.NOT_COMPARED, Comparison.compare(9, 11, Double.NaN));
        assertEquals("BETTER", Comparison.judgement(Significance.HIGHER, Polarity.HIGHER_IS_BETTER));
        assertEquals("WORSE", Comparison.judgement(Significance.HIGHER, Polarity.LOWER_IS_BETTER));
        assertEquals("WORSE", Comparison.judgement(Significance.LOWER, Polarity.HIGHER_IS_BETTER));
        assertEquals("BETTER", Comparison.judgement(Significance.LOWER, Polarity.LOWER_IS_BETTER));
        assertEquals("SIMILAR", Comparison.judgement(Significance.SIMILAR, Polarity.LOWER_IS_BETTER));
        assertEquals("NOT_COMPARED", Comparison.judgement(Significance.NOT_COMPARED, Polarity.HIGHER_IS_BETTER));
        assertEquals("HIGHER", Comparison.judgement(Significance.HIGHER, Polarity.NO_JUDGEMENT));
        assertEquals("LOWER", Comparison.judgement(Significance.LOWER, Polarity.NO_JUDGEMENT));
        Estimate e = Proportions.wilson(60, 100, 100);
        assertEquals(Significance.HIGHER, Comparison.compare(e, 0.95, 45));
        assertEquals(Significance.SIMILAR, Comparison.compare(e, 0.998, 45));
    }

    // ------------------------------------------------------------ quantiles

    @Test
    void quantilesHandWorked() {
        double[] v = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertArrayEquals(new int[] {5, 5, 4, 4, 3, 3, 2, 2, 1, 1}, Quantiles.assign(v, 5, true));
        assertArrayEquals(new int[] {1, 1, 2, 2, 3, 3, 4, 4, 5, 5}, Quantiles.assign(v, 5, false));
        assertArrayEquals(new int[] {10, 9, 8, 7, 6, 5, 4, 3, 2, 1}, Quantiles.assign(v, 10, true));
        // ties share the quantile of the minimum rank; NaN gets none
        double[] t = {5, 5, 5, 1, 2, Double.NaN};
        int[] q = Quantiles.assign(t, 5, false);
        assertEquals(q[0], q[1]);
        assertEquals(q[1], q[2]);
        assertEquals(0, q[5]);
        // N = 5, width 1, rank of the 5s is 3: floor(6 - ceil((6-3)/1)) = 3
        assertArrayEquals(new int[] {3, 3, 3, 1, 2, 0}, q);
        assertArrayEquals(new int[4], Quantiles.assign(new double[] {1, 2, 3, 4}, 5, true));
    }

    // ------------------------------------------------------------ life expectancy

    private static final double[] LE_POPS = {7060, 35059, 46974, 48489, 43219, 38561, 46009, 57208, 61435, 55601, 50209,
            56416, 46411, 39820, 37978, 37039, 33288, 23306, 11936, 11936};
    private static final double[] LE_DEATHS = {17, 9, 4, 8, 20, 15, 24, 33, 50, 71, 100, 163, 263, 304, 536, 872, 1390,
            1605, 1936, 1937};

    @Test
    void lifeExpectancyInvalidInputsGiveNa() {
        assertTrue(LifeExpectancy.calculate(new double[19], new double[19]).at(0).method().contains("20"));
        double[] small = LE_POPS.clone();
        double[] fewDeaths = LE_DEATHS.clone();
        for (int i = 0; i < 20; i++) {
            small[i] = 250;
            fewDeaths[i] = 5;
        }
        assertTrue(LifeExpectancy.calculate(small, fewDeaths).at(0).method().contains("5000"));
        small[0] = 251;
        assertEquals(LifeExpectancy.METHOD, LifeExpectancy.calculate(small, fewDeaths).at(0).method(), "5,001 people is enough");
        double[] zeroPop = LE_POPS.clone();
        zeroPop[3] = 0;
        assertTrue(Double.isNaN(LifeExpectancy.calculate(zeroPop, LE_DEATHS).at(0).value()));
        double[] tooMany = LE_DEATHS.clone();
        tooMany[2] = LE_POPS[2] + 1;
        assertTrue(LifeExpectancy.calculate(LE_POPS, tooMany).at(0).method().contains("deaths > population"));
    }

    @Test
    void lifeExpectancySuppressesValueButKeepsLimitsForWideIntervals() {
        double[] pops = new double[20];
        double[] deaths = new double[20];
        for (int i = 0; i < 20; i++) {
            pops[i] = LE_POPS[i] / 100;
            deaths[i] = LE_DEATHS[i] / 100;
        }
        // one death among 100 people aged 90+: SE of the final band is 1/(M·sqrt(D)) = 100 years
        pops[19] = 100;
        deaths[19] = 1;
        LifeExpectancy.Result r = LifeExpectancy.calculate(pops, deaths);
        int last = 19;
        assertTrue(r.valueSuppressed()[last], "90+ with one death has a wide interval");
        close(100, r.standardErrors()[last], 1e-12, "final band SE");
        assertTrue(Double.isNaN(r.byAge()[last].value()));
        assertFalse(Double.isNaN(r.byAge()[last].lower95()));
        assertTrue(Z95 * r.standardErrors()[last] > 10);
        assertFalse(Double.isNaN(r.byAge()[last].upper95()));
        // same rates at 100x the population give the same expectation (rates drive the table) but wider limits
        double[] p2 = LE_POPS.clone();
        double[] d2 = LE_DEATHS.clone();
        for (int i = 0; i < 20; i++) {
            p2[i] = LE_POPS[i] / 100;
            d2[i] = LE_DEATHS[i] / 100;
        }
        LifeExpectancy.Result scaled = LifeExpectancy.calculate(p2, d2);
        LifeExpectancy.Result full = LifeExpectancy.calculate(LE_POPS, LE_DEATHS);
        close(full.at(0).value(), scaled.at(0).value(), 1e-12, "LE depends on rates");
        close(10 * full.standardErrors()[0], scaled.standardErrors()[0], 1e-9, "SE scales with 1/sqrt(population)");
    }

    // ------------------------------------------------------------ funnels

    @Test
    void funnelEdges() {
        Funnels.Limits zero = Funnels.ratio(0);
        assertEquals(0.0, zero.lower2s());
        assertTrue(Double.isNaN(zero.upper2s()));
        assertTrue(Double.isNaN(Funnels.proportion(0, 0.5, 100).lower2s()));
        Funnels.Limits p = Funnels.proportion(1e6, 0.5, 100);
        assertTrue(p.lower3s() < p.lower2s() && p.lower2s() < 50 && 50 < p.upper2s() && p.upper2s() < p.upper3s());
        // for a large population the limits approach the normal approximation p ± z·sqrt(p(1-p)/n)
        close(50 + Z95 * Math.sqrt(0.25 / 1e6) * 100, p.upper2s(), 1e-5, "normal approx");
        assertEquals("Not significant", Funnels.proportionSignificance(500, 1000, 0.5));
        assertEquals("High (0.001)", Funnels.proportionSignificance(600, 1000, 0.5));
        assertEquals("Low (0.025)", Funnels.proportionSignificance(465, 1000, 0.5));
        // ratios: 30 observed vs 20 expected: Byar's 95% lower 30·(1-1/270-z/(3√30))³/20 > 1, 99.8% lower < 1
        assertEquals("High (0.025)", Funnels.ratioSignificance(30, 20));
        assertEquals("High (0.001)", Funnels.ratioSignificance(60, 20));
        assertEquals("Not significant", Funnels.ratioSignificance(20, 20));
        assertEquals("Low (0.001)", Funnels.ratioSignificance(0, 10), "0 events against 10 expected: exact upper 6.9/10");
        assertEquals("Low (0.025)", Funnels.ratioSignificance(0, 5));
        assertEquals("Not compared", Funnels.ratioSignificance(3, 0));
    }
}
