package org.phm.stats;

/**
 * Means with Student's t confidence limits, as {@code phe_mean} in PHEindicatormethods (R/Means.R).
 *
 * <p>Method: mean ± |qt((1−c)/2, n−1)| × sd/√n with the sample standard deviation (divisor n−1).
 * The main entry point takes aggregates (n, Σx, Σx²) so Spark can aggregate first; the standard deviation is
 * then √((Σx² − (Σx)²/n)/(n−1)). Because that difference cancels catastrophically when every value is (nearly)
 * equal, a sum of squared deviations below 2·n·ε·Σx² (the rounding noise of the sums, ε = 2⁻⁵²) is taken as 0,
 * so a no-variance group gives limits equal to the mean exactly, as R does. {@link #mean(double[])} uses the
 * two-pass formula about R's refined mean, as R's {@code sd} does.
 *
 * <p>Edges: n = 0 or NaN sums give {@link Estimate#notAvailable}; n = 1 gives the value with NaN limits
 * (R's sd is NA for one value); zero variance gives limits equal to the mean.
 */
public final class Means {
    /** Method label, as PHEindicatormethods reports it. */
    public static final String METHOD = "Student's t-distribution";

    private Means() {}

    /** Mean with t-based limits from aggregates: count n, Σx and Σx². */
    public static Estimate mean(long n, double sum, double sumOfSquares) {
        if (n <= 0) return Estimate.notAvailable("n = 0");
        if (Double.isNaN(sum) || Double.isNaN(sumOfSquares)) return Estimate.notAvailable("missing sum");
        double mean = sum / n;
        if (n == 1) return withSd(1, mean, Double.NaN);
        double ss = sumOfSquares - sum * (sum / n);
        if (ss <= 2.0 * n * Math.ulp(1.0) * Math.abs(sumOfSquares)) ss = 0;
        return withSd(n, mean, Math.sqrt(ss / (n - 1)));
    }

    /** Mean with t-based limits from individual values (two-pass standard deviation, as R's sd). */
    public static Estimate mean(double[] values) {
        int n = values.length;
        if (n == 0) return Estimate.notAvailable("n = 0");
        double sum = 0;
        for (double v : values) sum += v;
        if (Double.isNaN(sum)) return Estimate.notAvailable("missing value");
        double mean = sum / n;
        if (n == 1) return withSd(1, mean, Double.NaN);
        // deviations about R's refined mean (mean + Σ(v − mean)/n), as R's sd() does, so equal values give sd 0
        double refined = mean;
        double corr = 0;
        for (double v : values) corr += v - mean;
        refined += corr / n;
        double ss = 0;
        for (double v : values) ss += (v - refined) * (v - refined);
        return withSd(n, mean, Math.sqrt(ss / (n - 1)));
    }

    /** Mean with t-based limits from the count, mean and sample standard deviation (e.g. Spark's stddev_samp). */
    public static Estimate withSd(long n, double mean, double sd) {
        if (n <= 0 || Double.isNaN(mean)) return Estimate.notAvailable("n = 0");
        double se = sd / Math.sqrt(n);
        double t95 = Confidence.tCritical(Confidence.C95, n - 1);
        double t998 = Confidence.tCritical(Confidence.C998, n - 1);
        return new Estimate(mean, mean - t95 * se, mean + t95 * se, mean - t998 * se, mean + t998 * se, METHOD);
    }
}
