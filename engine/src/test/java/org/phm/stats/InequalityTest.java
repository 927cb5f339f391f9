package org.phm.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.math3.stat.regression.OLSMultipleLinearRegression;
import org.junit.jupiter.api.Test;

/** SII/RII: point estimates against an independent regression, and the seeded simulation's behaviour. */
class InequalityTest {

    private static final double[] POPS = {7291, 7997, 6105, 7666, 5790, 6934, 5918, 5974, 7147, 7534};
    private static final double[] LE = {75.9, 78.3, 83.8, 83.6, 80.5, 81.1, 81.7, 84.2, 80.6, 86.3};
    private static final double[] LOWER = {72.7, 75.3, 80.9, 80.2, 77.1, 78, 79, 81.4, 75.8, 83.2};
    private static final double[] UPPER = {79.1, 81.4, 86.8, 87.1, 83.8, 84.2, 84.4, 86.9, 85.4, 89.4};

    @Test
    void pointEstimateMatchesIndependentWeightedRegression() {
        double total = 0;
        for (double p : POPS) total += p;
        double[][] x = new double[POPS.length][2];
        double[] y = new double[POPS.length];
        double cum = 0;
        for (int i = 0; i < POPS.length; i++) {
            double a = POPS[i] / total;
            double b = cum + a / 2;
            cum += a;
            x[i][0] = Math.sqrt(a);
            x[i][1] = b * Math.sqrt(a);
            y[i] = Math.sqrt(a) * LE[i];
        }
        OLSMultipleLinearRegression ols = new OLSMultipleLinearRegression();
        ols.setNoIntercept(true);
        ols.newSampleData(y, x);
        double[] beta = ols.estimateRegressionParameters();
        SiiResult r = Inequality.sii(POPS, LE, LOWER, UPPER, 42L);
        assertEquals(beta[1], r.sii(), 1e-10);
        assertEquals((beta[0] + beta[1]) / beta[0], r.rii(), 1e-12);
    }

    @Test
    void simulationIsSeededReproducibleAndContainsThePoint() {
        SiiResult a = Inequality.sii(POPS, LE, LOWER, UPPER, 2026L);
        SiiResult b = Inequality.sii(POPS, LE, LOWER, UPPER, 2026L);
        SiiResult c = Inequality.sii(POPS, LE, LOWER, UPPER, 7L);
        assertEquals(a, b);
        assertNotEquals(a.siiLower95(), c.siiLower95());
        assertTrue(a.siiLower95() < a.sii() && a.sii() < a.siiUpper95(), a.toString());
        assertTrue(a.riiLower95() < a.rii() && a.rii() < a.riiUpper95(), a.toString());
        // two seeds agree to within simulation error
        assertEquals(a.siiLower95(), c.siiLower95(), 0.05 * (a.siiUpper95() - a.siiLower95()));
    }

    @Test
    void simulatedLimitsMatchTheAnalyticNormalLimits() {
        // for value_type 0 the SII is linear in the quantile values, so it is exactly normal with
        // sd = sqrt(Σ w_k² se_k²); the simulated 2.5%/97.5% points must approach sii ∓ 1.96 sd
        double z = 1.959963984540054;
        double[] unit = new double[POPS.length];
        double var = 0;
        for (int k = 0; k < POPS.length; k++) {
            java.util.Arrays.fill(unit, 0);
            unit[k] = 1;
            double w = Inequality.coefficients(POPS, unit)[1];
            double se = (UPPER[k] - LOWER[k]) / z / 2;
            var += w * w * se * se;
        }
        double sd = Math.sqrt(var);
        SiiResult r = Inequality.sii(POPS, LE, LOWER, UPPER, Inequality.ValueType.NORMAL, 100_000, 99L);
        assertEquals(r.sii() - z * sd, r.siiLower95(), 0.02 * sd);
        assertEquals(r.sii() + z * sd, r.siiUpper95(), 0.02 * sd);
    }

    @Test
    void limitsNarrowWithLargerPopulations() {
        double[] rates = {900, 820, 760, 700, 650};
        double[] pops = {20_000, 21_000, 19_000, 22_000, 20_500};
        double previous = Double.POSITIVE_INFINITY;
        for (double scale : new double[] {1, 10, 100}) {
            double[] p = new double[5];
            double[] v = new double[5];
            double[] lo = new double[5];
            double[] hi = new double[5];
            for (int k = 0; k < 5; k++) {
                p[k] = pops[k] * scale;
                Estimate e = Rates.crude(Math.round(rates[k] * p[k] / 1e5), p[k], 1e5);
                v[k] = e.value();
                lo[k] = e.lower95();
                hi[k] = e.upper95();
            }
            SiiResult r = Inequality.sii(p, v, lo, hi, Inequality.ValueType.RATE, 10_000, 5L);
            double width = r.siiUpper95() - r.siiLower95();
            assertTrue(r.siiLower95() < r.sii() && r.sii() < r.siiUpper95(), r.toString());
            assertTrue(r.sii() < 0, "rates fall with less deprivation: " + r);
            assertTrue(width < previous / 2.5, "width " + width + " should shrink ~sqrt(10)x from " + previous);
            previous = width;
        }
    }

    @Test
    void proportionsUseTheLogitScale() {
        double[] p = {0.30, 0.28, 0.25, 0.22, 0.20};
        double[] n = {5000, 5200, 4800, 5100, 4900};
        double[] lo = new double[5];
        double[] hi = new double[5];
        for (int k = 0; k < 5; k++) {
            Estimate e = Proportions.wilson(p[k] * n[k], n[k], 1);
            lo[k] = e.lower95();
            hi[k] = e.upper95();
        }
        SiiResult r = Inequality.sii(n, p, lo, hi, Inequality.ValueType.PROPORTION, 5_000, 11L);
        assertTrue(r.siiLower95() < r.sii() && r.sii() < r.siiUpper95(), r.toString());
        assertTrue(r.rii() < 1);
    }

    @Test
    void selectionAgreesWithSorting() {
        java.util.Random r = new java.util.Random(3);
        for (int n : new int[] {1, 2, 3, 10, 1000, 10_000}) {
            double[] a = new double[n];
            for (int i = 0; i < n; i++) a[i] = r.nextInt(50) / 7.0; // many ties
            double[] sorted = a.clone();
            java.util.Arrays.sort(sorted);
            int lo = Inequality.position(n, 0.025);
            int hi = Inequality.position(n, 0.975);
            double[] work = a.clone();
            assertEquals(sorted[lo], Inequality.select(work, 0, n, lo), "n=" + n);
            assertEquals(sorted[hi], Inequality.select(work, Math.min(lo + 1, hi), n, hi), "n=" + n);
        }
    }

    @Test
    void edgesGiveNaN() {
        double[] pops = POPS.clone();
        pops[3] = 0;
        assertTrue(Double.isNaN(Inequality.sii(pops, LE, LOWER, UPPER, 1L).sii()));
        double[] lower = LOWER.clone();
        lower[0] = Double.NaN;
        assertTrue(Double.isNaN(Inequality.sii(POPS, LE, lower, UPPER, 1L).siiUpper95()));
        assertTrue(Double.isNaN(Inequality.sii(new double[] {1}, new double[] {1}, new double[] {1}, new double[] {1}, 1L).sii()));
        // R's percentile positions: round(R * 0.025) and round(R * 0.975), 1-based
        assertEquals(2499, Inequality.position(100_000, 0.025));
        assertEquals(97499, Inequality.position(100_000, 0.975));
        assertEquals(0, Inequality.position(10, 0.025));
    }
}
