package org.phm.stats;

/**
 * Comparison of an estimate with a benchmark (e.g. England, ICS or ICP value) from its confidence interval, as
 * Fingertips does: the benchmark lies below the whole interval → {@link Significance#HIGHER}; above the whole
 * interval → {@link Significance#LOWER}; inside it (limits inclusive) → {@link Significance#SIMILAR}; any limit or
 * the benchmark missing (NaN) → {@link Significance#NOT_COMPARED}. Pass the 95% or 99.8% limits as required.
 */
public final class Comparison {
    private Comparison() {}

    /** Significance of the interval [lower, upper] against the benchmark value. */
    public static Significance compare(double lower, double upper, double benchmark) {
        if (Double.isNaN(lower) || Double.isNaN(upper) || Double.isNaN(benchmark)) return Significance.NOT_COMPARED;
        if (lower > benchmark) return Significance.HIGHER;
        if (upper < benchmark) return Significance.LOWER;
        return Significance.SIMILAR;
    }

    /** Significance of an estimate's limits at the given confidence (0.95 or 0.998) against the benchmark. */
    public static Significance compare(Estimate estimate, double confidence, double benchmark) {
        return compare(estimate.lower(confidence), estimate.upper(confidence), benchmark);
    }

    /**
     * Judgement for a significance under a polarity: "BETTER", "WORSE", "SIMILAR" or "NOT_COMPARED".
     * For {@link Polarity#NO_JUDGEMENT} a significant difference is reported as "HIGHER" or "LOWER"
     * (Fingertips' blue "higher/lower" colouring), never as better or worse.
     */
    public static String judgement(Significance s, Polarity p) {
        if (s == null || s == Significance.NOT_COMPARED) return "NOT_COMPARED";
        if (s == Significance.SIMILAR) return "SIMILAR";
        if (p == null || p == Polarity.NO_JUDGEMENT) return s.name();
        boolean higher = s == Significance.HIGHER;
        return higher == (p == Polarity.HIGHER_IS_BETTER) ? "BETTER" : "WORSE";
    }
}
