package org.phm.stats;

/**
 * Proportions with Wilson score confidence limits, as {@code phe_proportion} in PHEindicatormethods
 * (R/Proportions.R, R/utils.R {@code wilson_lower/wilson_upper}).
 *
 * <p>Method: value = x/n × multiplier; with z = qnorm(1 − (1−c)/2),
 * limits = (2x + z² ∓ z·√(z² + 4x(1 − x/n))) / (2(n + z²)) × multiplier.
 * References: Wilson EB (1927) J Am Stat Assoc 22:209–212; Newcombe RG, Altman DG (2000) in
 * Statistics with confidence, 2nd edn, pp 46–48.
 *
 * <p>Edges: x = 0 gives value 0 and lower limit exactly 0; x = n gives upper limit exactly 1 × multiplier;
 * non-integer x is allowed (e.g. 0.445 of 1). Where PHEindicatormethods stops with an error
 * (x &lt; 0, n ≤ 0, x &gt; n) or an input is NaN, this returns {@link Estimate#notAvailable} with the reason,
 * so one bad group cannot stop a batch.
 */
public final class Proportions {
    private Proportions() {}

    /** Proportion x/n × multiplier with Wilson 95% and 99.8% limits (see class notes for edges). */
    public static Estimate wilson(double numerator, double denominator, double multiplier) {
        if (Double.isNaN(numerator) || Double.isNaN(denominator) || Double.isNaN(multiplier)) {
            return Estimate.notAvailable("missing numerator or denominator");
        }
        if (denominator <= 0) return Estimate.notAvailable("denominator <= 0");
        if (numerator < 0) return Estimate.notAvailable("numerator < 0");
        if (numerator > denominator) return Estimate.notAvailable("numerator > denominator");
        double z95 = Confidence.z(Confidence.C95);
        double z998 = Confidence.z(Confidence.C998);
        return new Estimate(numerator / denominator * multiplier,
                wilsonLowerZ(numerator, denominator, z95) * multiplier,
                wilsonUpperZ(numerator, denominator, z95) * multiplier,
                wilsonLowerZ(numerator, denominator, z998) * multiplier,
                wilsonUpperZ(numerator, denominator, z998) * multiplier,
                "Wilson");
    }

    /** Wilson lower limit (as a fraction) for x of n at the given confidence (e.g. 0.95). */
    public static double wilsonLower(double x, double n, double confidence) {
        return wilsonLowerZ(x, n, Confidence.z(confidence));
    }

    /** Wilson upper limit (as a fraction) for x of n at the given confidence (e.g. 0.95). */
    public static double wilsonUpper(double x, double n, double confidence) {
        return wilsonUpperZ(x, n, Confidence.z(confidence));
    }

    private static double wilsonLowerZ(double x, double n, double z) {
        return (2 * x + z * z - z * Math.sqrt(z * z + 4 * x * (1 - x / n))) / 2 / (n + z * z);
    }

    private static double wilsonUpperZ(double x, double n, double z) {
        return (2 * x + z * z + z * Math.sqrt(z * z + 4 * x * (1 - x / n))) / 2 / (n + z * z);
    }
}
