package org.phm.stats;

/**
 * A statistic with its 95% and 99.8% confidence limits, as published by Fingertips/OHID.
 *
 * @param value    point estimate (already multiplied by the multiplier), NaN if not computable
 * @param lower95  lower 95% limit, NaN if not computable
 * @param upper95  upper 95% limit, NaN if not computable
 * @param lower998 lower 99.8% limit, NaN if not computable
 * @param upper998 upper 99.8% limit, NaN if not computable
 * @param method   how the limits were computed ("Wilson", "Byars", "Exact", "Dobson", "t", ...) or why they
 *                 are missing ("NA: total count &lt; 10", "NA: denominator &lt;= 0", ...)
 */
public record Estimate(double value, double lower95, double upper95, double lower998, double upper998, String method) {

    /** An estimate with every number missing, the reason given in {@code method} (starts with "NA: "). */
    public static Estimate notAvailable(String reason) {
        return new Estimate(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, "NA: " + reason);
    }

    /** True when the point estimate is a number. */
    public boolean hasValue() {
        return !Double.isNaN(value);
    }

    /** Lower limit at the given confidence (0.95 or 0.998). */
    public double lower(double confidence) {
        return Confidence.is998(confidence) ? lower998 : lower95;
    }

    /** Upper limit at the given confidence (0.95 or 0.998). */
    public double upper(double confidence) {
        return Confidence.is998(confidence) ? upper998 : upper95;
    }
}
