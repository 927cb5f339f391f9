package org.phm.stats;

/**
 * Confidence limits for an observed count of events (Poisson), before division by a denominator.
 *
 * @param lower95  lower 95% limit for the count
 * @param upper95  upper 95% limit for the count
 * @param lower998 lower 99.8% limit for the count
 * @param upper998 upper 99.8% limit for the count
 * @param method   "Exact" (chi-square, count &lt; 10) or "Byars" (count ≥ 10)
 */
public record CountLimits(double lower95, double upper95, double lower998, double upper998, String method) {

    /** Limits scaled by a factor (e.g. multiplier / denominator), keeping the method. */
    public Estimate scaled(double value, double factor) {
        return new Estimate(value, lower95 * factor, upper95 * factor, lower998 * factor, upper998 * factor, method);
    }
}
