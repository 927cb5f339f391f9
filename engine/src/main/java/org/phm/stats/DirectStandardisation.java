package org.phm.stats;

/**
 * Directly standardised rates with Dobson confidence limits, as {@code calculate_dsr} in PHEindicatormethods
 * (R/DSR.R, {@code dsr_inner}).
 *
 * <p>Method: with counts x_i, populations n_i and standard population weights w_i per band,
 * DSR = Σ(x_i w_i / n_i) / Σw_i × multiplier and var = Σ x_i (w_i/n_i)² / (Σw_i)². With O = Σx_i, Dobson's
 * limits are DSR + √(var/O) × (Byars_L/U(O) − O) × multiplier, using Byar's limits for O
 * ({@link Rates#byarsLower}/{@link Rates#byarsUpper}, never the exact switch).
 * For non-independent events ({@link #dsrNonIndependent}) the input is the number of persons with f events;
 * events_i = Σ_f f·persons_{f,i}, var = Σ_f f²·var(persons_f), then Dobson as above.
 * References: Dobson A et al. (1991) Stat Med 10:457–62; Breslow NE, Day NE (1987);
 * OHID Fingertips technical guidance (DSR chapter) for non-independent events.
 *
 * <p>Edges: when O &lt; 10 (including O = 0) the value and limits are NA with method "NA: total count &lt; 10",
 * as published practice; a NaN count counts as 0 (R's na.zero). R stops on a population ≤ 0; here a band with
 * population 0 and count 0 contributes nothing (useful for small areas with empty bands — an extension), a band
 * with population ≤ 0 and a positive count, or a negative/NaN population, gives "NA: population &lt;= 0 with events".
 * Arrays must all be in the same band order (e.g. ESP2013 order 0-4 … 85-89, 90+) — mismatched lengths throw.
 */
public final class DirectStandardisation {
    /** Totals below this are not published. */
    public static final double MIN_TOTAL_COUNT = 10;
    /** Method label when the total count is below 10. */
    public static final String NA_SMALL = "NA: total count < 10";

    private DirectStandardisation() {}

    /** ESP2013 weights in band order 0-4 … 85-89, 90+ (a fresh copy). */
    public static double[] esp2013() {
        return StandardPopulation.esp2013().weightsCopy();
    }

    /** DSR per multiplier with Dobson 95% and 99.8% limits; NA when the total count is below 10. */
    public static Estimate dsr(double[] counts, double[] populations, double[] standardPopulation, double multiplier) {
        checkLengths(counts.length, populations, standardPopulation);
        double sumW = 0;
        double weighted = 0;
        double sq = 0;
        double total = 0;
        for (int i = 0; i < counts.length; i++) {
            double x = IndirectStandardisation.naZero(counts[i]);
            double n = populations[i];
            double w = standardPopulation[i];
            sumW += w;
            total += x;
            if (!(n > 0)) {
                if (n == 0 && x == 0) continue;
                return Estimate.notAvailable("population <= 0 with events");
            }
            weighted += x * w / n;
            sq += x * (w / n) * (w / n);
        }
        if (total < 0) return Estimate.notAvailable("count < 0");
        return dobson(weighted / sumW * multiplier, sq / (sumW * sumW), total, multiplier, "Dobson");
    }

    /** DSR against a named standard population (e.g. {@link StandardPopulation#esp1976()}); arrays in its band order. */
    public static Estimate dsr(double[] counts, double[] populations, StandardPopulation standard, double multiplier) {
        return dsr(counts, populations, standard.weights(), multiplier);
    }

    /**
     * DSR for non-independent events (a person can have several events).
     *
     * @param persons      persons[f][i]: number of persons with {@code frequencies[f]} events in band i
     * @param frequencies  event frequency of each row of {@code persons} (e.g. 1, 2, 3)
     */
    public static Estimate dsrNonIndependent(double[][] persons, double[] frequencies, double[] populations,
                                             double[] standardPopulation, double multiplier) {
        if (persons.length != frequencies.length) {
            throw new IllegalArgumentException("persons has " + persons.length + " rows but frequencies has "
                    + frequencies.length);
        }
        int bands = populations.length;
        double sumW = 0;
        for (double w : standardPopulation) sumW += w;
        double[] events = new double[bands];
        double var = 0;
        for (int f = 0; f < persons.length; f++) {
            checkLengths(persons[f].length, populations, standardPopulation);
            double sq = 0;
            for (int i = 0; i < bands; i++) {
                double x = IndirectStandardisation.naZero(persons[f][i]);
                double n = populations[i];
                events[i] += frequencies[f] * x;
                if (!(n > 0)) {
                    if (n == 0 && x == 0) continue;
                    return Estimate.notAvailable("population <= 0 with events");
                }
                double r = standardPopulation[i] / n;
                sq += x * r * r;
            }
            var += frequencies[f] * frequencies[f] * sq / (sumW * sumW);
        }
        double weighted = 0;
        double total = 0;
        for (int i = 0; i < bands; i++) {
            total += events[i];
            if (populations[i] > 0) weighted += events[i] * standardPopulation[i] / populations[i];
        }
        return dobson(weighted / sumW * multiplier, var, total, multiplier,
                "Dobson, with confidence adjusted for non-independent events");
    }

    /** Dobson limits around a DSR from its variance and the total count O (NA if O &lt; 10). */
    static Estimate dobson(double value, double var, double total, double multiplier, String method) {
        if (Double.isNaN(total) || total < MIN_TOTAL_COUNT) return Estimate.notAvailable("total count < 10");
        double s = Math.sqrt(var / total) * multiplier;
        return new Estimate(value,
                value + s * (Rates.byarsLower(total, Confidence.C95) - total),
                value + s * (Rates.byarsUpper(total, Confidence.C95) - total),
                value + s * (Rates.byarsLower(total, Confidence.C998) - total),
                value + s * (Rates.byarsUpper(total, Confidence.C998) - total),
                method);
    }

    private static void checkLengths(int n, double[] populations, double[] standardPopulation) {
        if (populations.length != n || standardPopulation.length != n) {
            throw new IllegalArgumentException("counts, populations and standard population must have the same length: "
                    + n + ", " + populations.length + ", " + standardPopulation.length);
        }
    }
}
