package org.phm.stats;

/**
 * Indirectly standardised ratios (e.g. SMR, standardised admission ratio) and indirectly standardised rates,
 * as {@code calculate_ISRatio} and {@code calculate_ISRate} in PHEindicatormethods (R/ISRatio.R, R/ISRate.R).
 *
 * <p>Method: expected E = Σ pop_i × refcount_i / refpop_i over standardisation bands; observed O = Σ count_i.
 * Ratio = O/E × refValue (refValue 1 or 100). The indirectly standardised rate is the same formula with
 * refValue = the overall reference rate Σrefcount/Σrefpop × multiplier. Limits: the count limits of O
 * ({@link Rates#countLimits}: exact chi-square if O &lt; 10, else Byar's) divided by E, times refValue.
 * References: Breslow NE, Day NE (1987) vol II; Armitage P, Berry G (2002).
 *
 * <p>Edges: O = 0 gives ratio 0, lower limit 0 and an exact upper limit; E ≤ 0 or NaN, O &lt; 0 or NaN gives
 * {@link Estimate#notAvailable}. In {@link #expected} a missing (NaN) reference count or population counts as 0
 * (R's {@code na.zero}); a band with reference population ≤ 0 makes E NaN (in R it is Inf/NaN too).
 */
public final class IndirectStandardisation {
    private IndirectStandardisation() {}

    /** Indirectly standardised ratio O/E × refValue with 95% and 99.8% limits (exact if O &lt; 10, else Byar's). */
    public static Estimate ratio(double observed, double expected, double refValue) {
        if (Double.isNaN(observed) || Double.isNaN(expected) || Double.isNaN(refValue)) {
            return Estimate.notAvailable("missing observed or expected");
        }
        if (expected <= 0) return Estimate.notAvailable("expected <= 0");
        if (observed < 0) return Estimate.notAvailable("observed < 0");
        return Rates.countLimits(observed).scaled(observed / expected * refValue, refValue / expected);
    }

    /**
     * Indirectly standardised rate: O/E × reference rate, where the reference rate is
     * Σ refCounts / Σ refPopulations × multiplier. Limits as for {@link #ratio}.
     */
    public static Estimate rate(double[] counts, double[] populations, double[] refCounts, double[] refPopulations,
                                double multiplier) {
        double refRate = referenceRate(refCounts, refPopulations, multiplier);
        return ratio(sumNaZero(counts), expected(populations, refCounts, refPopulations), refRate);
    }

    /** Expected events E = Σ pop_i × refcount_i / refpop_i (NaN pop or refcount treated as 0, as R's na.zero). */
    public static double expected(double[] populations, double[] refCounts, double[] refPopulations) {
        if (populations.length != refCounts.length || populations.length != refPopulations.length) {
            throw new IllegalArgumentException("populations, refCounts and refPopulations must have the same length: "
                    + populations.length + ", " + refCounts.length + ", " + refPopulations.length);
        }
        double e = 0;
        for (int i = 0; i < populations.length; i++) {
            e += naZero(refCounts[i]) / refPopulations[i] * naZero(populations[i]);
        }
        return e;
    }

    /** Overall reference rate Σ refCounts / Σ refPopulations × multiplier. */
    public static double referenceRate(double[] refCounts, double[] refPopulations, double multiplier) {
        return sumNaZero(refCounts) / sumNaZero(refPopulations) * multiplier;
    }

    static double sumNaZero(double[] xs) {
        double s = 0;
        for (double x : xs) s += naZero(x);
        return s;
    }

    static double naZero(double x) {
        return Double.isNaN(x) ? 0 : x;
    }
}
