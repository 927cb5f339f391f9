package org.phm.stats;

import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.special.Gamma;

/**
 * Distribution quantiles shared by the statistics (Commons Math 3), with the conventions of R's
 * {@code qnorm/qchisq/qt} at the edges (e.g. {@code qchisq(p, 0) = 0}). Inverse-CDF accuracy is set far
 * tighter than the Commons Math default (1e-9) so results agree with R to about 1e-12 relative.
 */
public final class Confidence {
    /** The two confidence levels Fingertips publishes. */
    public static final double C95 = 0.95;
    public static final double C998 = 0.998;
    /** Solver absolute accuracy used for inverse CDFs. */
    static final double INVERSE_ACCURACY = 1e-15;

    private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0, 1, INVERSE_ACCURACY);
    private static final double Z95 = STANDARD_NORMAL.inverseCumulativeProbability(0.975);
    private static final double Z998 = STANDARD_NORMAL.inverseCumulativeProbability(0.999);

    private Confidence() {}

    static boolean is998(double confidence) {
        return Math.abs(confidence - C998) < 1e-12;
    }

    /** Two-sided standard normal critical value: {@code qnorm(c + (1-c)/2)}. */
    public static double z(double confidence) {
        if (confidence == C95) return Z95;
        if (confidence == C998) return Z998;
        return STANDARD_NORMAL.inverseCumulativeProbability(confidence + (1 - confidence) / 2);
    }

    /** Standard normal quantile {@code qnorm(p)}. */
    public static double qnorm(double p) {
        return STANDARD_NORMAL.inverseCumulativeProbability(p);
    }

    /** Chi-square quantile {@code qchisq(p, df)}; df may be fractional; df = 0 gives 0 (point mass), as in R. */
    public static double qchisq(double p, double df) {
        if (Double.isNaN(p) || Double.isNaN(df) || df < 0) return Double.NaN;
        if (df == 0) return 0.0;
        if (p <= 0) return 0.0;
        if (p >= 1) return Double.POSITIVE_INFINITY;
        ChiSquaredDistribution d = new ChiSquaredDistribution(null, df, INVERSE_ACCURACY);
        double x = d.inverseCumulativeProbability(p);
        // The solver's absolute accuracy cannot resolve tiny lower-tail quantiles (small or fractional df, e.g.
        // fractional counts): start from the small-x expansion F(x) ≈ (x/2)^k / Γ(k+1), k = df/2, and polish by
        // Newton steps on log x, which converge to full relative precision.
        double k = df / 2;
        if (!(x > 1e-3)) {
            double start = 2 * Math.exp((Math.log(p) + Gamma.logGamma(k + 1)) / k);
            if (start > 0 && Double.isFinite(start)) x = Math.min(start, 1e-3);
        }
        for (int i = 0; i < 100 && x > 0 && Double.isFinite(x); i++) {
            double f = d.density(x);
            if (!(f > 0) || !Double.isFinite(f)) break;
            double du = (d.cumulativeProbability(x) - p) / (f * x);
            du = Math.max(-1, Math.min(1, du));
            x *= Math.exp(-du);
            if (Math.abs(du) < 1e-15) break;
        }
        return x;
    }

    /** Student t quantile {@code qt(p, df)}; NaN when df is not positive. */
    public static double qt(double p, double df) {
        if (Double.isNaN(p) || Double.isNaN(df) || df <= 0) return Double.NaN;
        return new TDistribution(null, df, INVERSE_ACCURACY).inverseCumulativeProbability(p);
    }

    private static final int T_CACHE = 2048;
    private static final double[] T95 = new double[T_CACHE];
    private static final double[] T998 = new double[T_CACHE];

    /**
     * Two-sided t critical value |qt((1−c)/2, df)| for integer df ≥ 1, cached for the two published confidence
     * levels (the means of many small groups would otherwise re-solve the same quantile).
     */
    public static double tCritical(double confidence, long df) {
        if (df <= 0) return Double.NaN;
        double[] cache = confidence == C95 ? T95 : confidence == C998 ? T998 : null;
        if (cache == null || df >= T_CACHE) return Math.abs(qt((1 - confidence) / 2, df));
        double v = cache[(int) df];
        if (v == 0) {
            v = Math.abs(qt((1 - confidence) / 2, df));
            cache[(int) df] = v;
        }
        return v;
    }
}
