package org.phm.stats;

/**
 * Crude rates with Byar's or exact Poisson confidence limits, as {@code phe_rate} in PHEindicatormethods
 * (R/Rates.R, R/utils.R {@code byars_lower/byars_upper}).
 *
 * <p>Method: value = x/n × multiplier. If x &lt; 10 the exact Poisson limits
 * lower = qchisq((1−c)/2, 2x)/2, upper = qchisq(1−(1−c)/2, 2x+2)/2 are used (method "Exact"); otherwise Byar's
 * approximation lower = x(1 − 1/(9x) − z/(3√x))³, upper = (x+1)(1 − 1/(9(x+1)) + z/(3√(x+1)))³ (method "Byars");
 * both are divided by n and multiplied by the multiplier.
 * References: Breslow NE, Day NE (1987) Statistical methods in cancer research vol II, IARC;
 * Armitage P, Berry G (2002) Statistical methods in medical research, 4th edn.
 *
 * <p>Edges: x = 0 gives value 0, lower limit 0 and upper limit qchisq(1−(1−c)/2, 2)/2/n; non-integer x uses the
 * chi-square with fractional degrees of freedom, as R does; x &gt; n is allowed (rates are not proportions);
 * x &lt; 0, n ≤ 0 or NaN inputs (an error in R) give {@link Estimate#notAvailable} with the reason.
 */
public final class Rates {
    /** Counts below this use exact Poisson limits rather than Byar's. */
    public static final double EXACT_BELOW = 10;

    /** Exact limits for the integer counts 0..9, computed once (the quantile solver is the costly step). */
    private static final CountLimits[] EXACT_TABLE = new CountLimits[(int) EXACT_BELOW];

    static {
        for (int x = 0; x < EXACT_TABLE.length; x++) {
            EXACT_TABLE[x] = new CountLimits(exactLower(x, Confidence.C95), exactUpper(x, Confidence.C95),
                    exactLower(x, Confidence.C998), exactUpper(x, Confidence.C998), "Exact");
        }
    }

    private Rates() {}

    /** Crude rate x/n × multiplier with 95% and 99.8% limits: exact if count &lt; 10, else Byar's. */
    public static Estimate crude(double count, double population, double multiplier) {
        if (Double.isNaN(count) || Double.isNaN(population) || Double.isNaN(multiplier)) {
            return Estimate.notAvailable("missing count or population");
        }
        if (population <= 0) return Estimate.notAvailable("denominator <= 0");
        if (count < 0) return Estimate.notAvailable("count < 0");
        return countLimits(count).scaled(count / population * multiplier, multiplier / population);
    }

    /**
     * Limits for an observed count: exact Poisson (chi-square) when count &lt; 10, otherwise Byar's.
     * This is the rule shared by crude rates and indirectly standardised ratios.
     */
    public static CountLimits countLimits(double count) {
        if (count == Math.rint(count) && count >= 0 && count < EXACT_BELOW) return EXACT_TABLE[(int) count];
        if (count < EXACT_BELOW) {
            return new CountLimits(exactLower(count, Confidence.C95), exactUpper(count, Confidence.C95),
                    exactLower(count, Confidence.C998), exactUpper(count, Confidence.C998), "Exact");
        }
        return new CountLimits(byarsLower(count, Confidence.C95), byarsUpper(count, Confidence.C95),
                byarsLower(count, Confidence.C998), byarsUpper(count, Confidence.C998), "Byars");
    }

    /** Exact Poisson lower limit for a count: qchisq((1−c)/2, 2x)/2 (0 when x = 0). */
    public static double exactLower(double x, double confidence) {
        return Confidence.qchisq((1 - confidence) / 2, 2 * x) / 2;
    }

    /** Exact Poisson upper limit for a count: qchisq(c + (1−c)/2, 2x+2)/2. */
    public static double exactUpper(double x, double confidence) {
        return Confidence.qchisq(confidence + (1 - confidence) / 2, 2 * x + 2) / 2;
    }

    /**
     * Byar's lower limit for a count, with no exact switch (PHEindicatormethods {@code byars_lower}):
     * x(1 − 1/(9x) − z/(3√x))³. A negative result (tiny x or very high confidence) is returned as NaN, as R
     * returns NA; x = 0 gives NaN; x &lt; 0 gives NaN (an error in R).
     */
    public static double byarsLower(double x, double confidence) {
        if (!(x >= 0)) return Double.NaN;
        double z = Confidence.z(confidence);
        double b = 1 - 1 / (9 * x) - z / (3 * Math.sqrt(x));
        double lower = x * b * b * b;
        return lower < 0 || Double.isNaN(lower) ? Double.NaN : lower;
    }

    /** Byar's upper limit for a count (PHEindicatormethods {@code byars_upper}): (x+1)(1 − 1/(9(x+1)) + z/(3√(x+1)))³. */
    public static double byarsUpper(double x, double confidence) {
        if (!(x >= 0)) return Double.NaN;
        double z = Confidence.z(confidence);
        double x1 = x + 1;
        double b = 1 - 1 / (9 * x1) + z / (3 * Math.sqrt(x1));
        return x1 * b * b * b;
    }
}
