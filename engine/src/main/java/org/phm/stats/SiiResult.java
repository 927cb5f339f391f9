package org.phm.stats;

/**
 * Slope and relative index of inequality with 95% simulation-based confidence limits. NaN where not computable.
 *
 * @param sii        slope index of inequality (fitted value at the least deprived end minus the most deprived end)
 * @param rii        relative index of inequality (intercept + sii) / intercept
 * @param siiLower95 lower 95% limit of the SII (2.5th percentile of the simulated SIIs)
 * @param siiUpper95 upper 95% limit of the SII (97.5th percentile)
 * @param riiLower95 lower 95% limit of the RII
 * @param riiUpper95 upper 95% limit of the RII
 */
public record SiiResult(double sii, double rii, double siiLower95, double siiUpper95, double riiLower95, double riiUpper95) {

    /** A result with every number missing. */
    public static SiiResult notAvailable() {
        return new SiiResult(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
}
