package org.phm.stats;

import java.util.SplittableRandom;

/**
 * Slope index of inequality (SII) and relative index of inequality (RII) across deprivation quantiles, as
 * {@code phe_sii} in PHEindicatormethods (R/SII_function.R, R/utils.R {@code FindXValues, SimulationFunc}).
 *
 * <p>Method (Low &amp; Low 2004, J Public Health 26:388–395): quantiles ordered most → least deprived; a_k is
 * the population share of quantile k, b_k the mid-point of its cumulative population share. Weighted least
 * squares of √a·y on [√a, b√a] with no intercept term gives coefficients (intercept, sii); the SII is the fitted
 * difference between b = 1 and b = 0, and RII = (intercept + sii)/intercept.
 *
 * <p>Confidence limits: by Monte Carlo simulation as the package does. Each quantile's standard error is
 * (upper95 − lower95)/(2·1.959964) (on the log scale for rates, logit scale for proportions: see
 * {@link ValueType}); each repetition draws a value per quantile from Normal(value, se), back-transforms it,
 * and refits the regression (a fixed linear map of the draws, so it is cheap). The limits are the sorted
 * simulated SIIs (and RIIs) at positions round(R·0.025) and round(R·0.975) (1-based), R = repetitions, found by
 * selection rather than a full sort. The draws come from {@link SplittableRandom#nextGaussian()} (JDK 17:
 * McFarland's modified ziggurat) seeded with {@code seed}, so results are exactly reproducible for the same inputs,
 * seed, repetitions and Java version (they differ from R's, which uses R's own generator). About 15 times faster
 * than Commons Math's Box–Muller generator, which matters when thousands of areas need an SII.
 *
 * <p>Edges: fewer than 2 or more than 100 quantiles, any population ≤ 0 or NaN, any value or limit NaN give an
 * all-NaN result (R stops or drops the area). A quantile with zero width (lower = upper) simply has no
 * sampling variation. The intercept being 0 makes the RII NaN/infinite.
 */
public final class Inequality {
    /** Default number of simulation repetitions for {@link #sii(double[], double[], double[], double[], long)}. */
    public static final int DEFAULT_REPETITIONS = 10_000;

    /** Indicator type: decides the scale on which sampling is normal (PHEindicatormethods value_type 0, 1, 2). */
    public enum ValueType {
        /** Normal on the natural scale (value_type 0, e.g. life expectancy). */
        NORMAL,
        /** Rates: normal on the log scale (value_type 1). */
        RATE,
        /** Proportions (as fractions 0..1): normal on the logit scale (value_type 2). */
        PROPORTION
    }

    private Inequality() {}

    /** SII/RII for quantiles ordered most → least deprived, with {@value #DEFAULT_REPETITIONS} seeded simulations. */
    public static SiiResult sii(double[] populations, double[] values, double[] lower95, double[] upper95, long seed) {
        return sii(populations, values, lower95, upper95, ValueType.NORMAL, DEFAULT_REPETITIONS, seed);
    }

    /** SII/RII with a chosen indicator type and number of repetitions (≥ 1). */
    public static SiiResult sii(double[] populations, double[] values, double[] lower95, double[] upper95,
                                ValueType type, int repetitions, long seed) {
        int k = populations.length;
        if (values.length != k || lower95.length != k || upper95.length != k) {
            throw new IllegalArgumentException("populations, values, lower95 and upper95 must have the same length");
        }
        if (repetitions < 1) throw new IllegalArgumentException("repetitions must be >= 1");
        if (k < 2 || k > 100) return SiiResult.notAvailable();
        for (int i = 0; i < k; i++) {
            if (!(populations[i] > 0) || Double.isNaN(values[i]) || Double.isNaN(lower95[i]) || Double.isNaN(upper95[i])) {
                return SiiResult.notAvailable();
            }
        }
        Design d = design(populations);
        double intercept = 0;
        double sii = 0;
        for (int i = 0; i < k; i++) {
            intercept += d.interceptWeights[i] * values[i];
            sii += d.siiWeights[i] * values[i];
        }
        double rii = (intercept + sii) / intercept;

        // simulation on the transformed scale
        double z = Confidence.z(Confidence.C95);
        double[] mean = new double[k];
        double[] se = new double[k];
        for (int i = 0; i < k; i++) {
            mean[i] = transform(values[i], type);
            se[i] = (transform(upper95[i], type) - transform(lower95[i], type)) / z / 2;
            if (Double.isNaN(mean[i]) || Double.isNaN(se[i]) || Double.isInfinite(se[i])) return SiiResult.notAvailable();
        }
        SplittableRandom rng = new SplittableRandom(seed);
        double[] siis = new double[repetitions];
        double[] riis = new double[repetitions];
        for (int r = 0; r < repetitions; r++) {
            double a = 0;
            double s = 0;
            for (int i = 0; i < k; i++) {
                double y = untransform(mean[i] + se[i] * rng.nextGaussian(), type);
                a += d.interceptWeights[i] * y;
                s += d.siiWeights[i] * y;
            }
            siis[r] = s;
            double ri = (a + s) / a;
            riis[r] = Double.isNaN(ri) ? Double.POSITIVE_INFINITY : ri;
        }
        int lo = position(repetitions, 0.025);
        int hi = position(repetitions, 0.975);
        double siiLo = select(siis, 0, repetitions, lo);
        double siiHi = select(siis, lo + 1 <= hi ? lo + 1 : lo, repetitions, hi);
        double riiLo = select(riis, 0, repetitions, lo);
        double riiHi = select(riis, lo + 1 <= hi ? lo + 1 : lo, repetitions, hi);
        return new SiiResult(sii, rii, siiLo, siiHi, riiLo, riiHi);
    }

    /** Regression coefficients (intercept, sii) without simulation; NaN if not computable. */
    public static double[] coefficients(double[] populations, double[] values) {
        for (double p : populations) if (!(p > 0)) return new double[] {Double.NaN, Double.NaN};
        Design d = design(populations);
        double intercept = 0;
        double sii = 0;
        for (int i = 0; i < populations.length; i++) {
            intercept += d.interceptWeights[i] * values[i];
            sii += d.siiWeights[i] * values[i];
        }
        return new double[] {intercept, sii};
    }

    /** Mid-points of the cumulative population share of each quantile (PHEindicatormethods FindXValues). */
    public static double[] relativeRanks(double[] populations) {
        double total = 0;
        for (double p : populations) total += p;
        double[] b = new double[populations.length];
        double cum = 0;
        for (int i = 0; i < populations.length; i++) {
            double prop = populations[i] / total;
            b[i] = cum + prop / 2;
            cum += prop;
        }
        return b;
    }

    /**
     * The k-th smallest element (0-based) of a[from, to), partially reordering the array in place (quickselect):
     * afterwards everything in [from, k) is ≤ a[k] and everything in (k, to) is ≥ a[k].
     */
    static double select(double[] a, int from, int to, int k) {
        int lo = from;
        int hi = to - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            // median of three as pivot
            if (a[mid] < a[lo]) swap(a, mid, lo);
            if (a[hi] < a[lo]) swap(a, hi, lo);
            if (a[hi] < a[mid]) swap(a, hi, mid);
            double pivot = a[mid];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < pivot) i++;
                while (a[j] > pivot) j--;
                if (i <= j) {
                    swap(a, i, j);
                    i++;
                    j--;
                }
            }
            if (k <= j) {
                hi = j;
            } else if (k >= i) {
                lo = i;
            } else {
                return a[k];
            }
        }
        return a[k];
    }

    private static void swap(double[] a, int i, int j) {
        double t = a[i];
        a[i] = a[j];
        a[j] = t;
    }

    /** 0-based index of R's {@code round(R * p)} (1-based, half to even), clamped to the array. */
    static int position(int repetitions, double p) {
        long pos = (long) Math.rint(repetitions * p);
        return (int) Math.max(0, Math.min(repetitions - 1, pos - 1));
    }

    private static double transform(double v, ValueType t) {
        return switch (t) {
            case NORMAL -> v;
            case RATE -> Math.log(v);
            case PROPORTION -> Math.log(v / (1 - v));
        };
    }

    private static double untransform(double v, ValueType t) {
        return switch (t) {
            case NORMAL -> v;
            case RATE -> Math.exp(v);
            case PROPORTION -> Math.exp(v) / (1 + Math.exp(v));
        };
    }

    /**
     * The least-squares fit is linear in the values: intercept = Σ u_k y_k and sii = Σ v_k y_k with weights
     * from the normal equations of √a·y on [√a, b√a].
     */
    private record Design(double[] interceptWeights, double[] siiWeights) {}

    private static Design design(double[] populations) {
        int k = populations.length;
        double total = 0;
        for (double p : populations) total += p;
        double[] b = relativeRanks(populations);
        double s11 = 0;
        double s12 = 0;
        double s22 = 0;
        double[] a = new double[k];
        for (int i = 0; i < k; i++) {
            a[i] = populations[i] / total;
            s11 += a[i];
            s12 += a[i] * b[i];
            s22 += a[i] * b[i] * b[i];
        }
        double det = s11 * s22 - s12 * s12;
        double[] u = new double[k];
        double[] v = new double[k];
        for (int i = 0; i < k; i++) {
            // X'y components for value y_i: sqrt(a)*sqrt(a)*y = a*y and a*b*y
            u[i] = (s22 * a[i] - s12 * a[i] * b[i]) / det;
            v[i] = (s11 * a[i] * b[i] - s12 * a[i]) / det;
        }
        return new Design(u, v);
    }
}
