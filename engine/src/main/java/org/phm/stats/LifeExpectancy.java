package org.phm.stats;

/**
 * Life expectancy at each age band from an abridged life table (Chiang II) with Silcocks et al. variance, as
 * {@code phe_life_expectancy}/{@code calculate_LE} in PHEindicatormethods (R/LifeExpectancy.R) and the OHID
 * life expectancy calculator.
 *
 * <p>Bands start at ages 0, 1, 5, 10, …, 85, 90 (20 bands, final band 90+). With M = deaths/population,
 * n the band width (final band 2/M), a = 0.1 for age 0 and 0.5 otherwise: q = Mn/(1 + Mn(1−a)) (1 if deaths
 * exceed population/n/a), l₀ = 100,000, l_{i+1} = l_i(1 − q_i), d = l_i − l_{i+1}, L = n(l_{i+1} + a·d)
 * (final band l/M), T = Σ_{j≥i} L_j, e = T/l. Variance (Silcocks): sp = q²(1−q)/D (0 when d = 0), final band
 * 4/(D·M²); W = sp·l²((1−a)n + e_{i+1})² (final band (l/2)²·sp); SE = √(Σ_{j≥i}W_j / l²); limits e ∓ z·SE.
 * References: Chiang CL (1968); Silcocks PBS et al. (2001) JECH 55:38–43; Eayres DP, Williams ES (2004) JECH 58:243–9.
 *
 * <p>Edges: the value (not the limits) is suppressed to NaN when 1.959964·SE &gt; 10 (95% interval wider than 20
 * years), flagged in {@link Result#valueSuppressed}. The whole table is NA (method says why) when the number of
 * bands is not 20, any population ≤ 0 or NaN, any deaths &lt; 0 or NaN, deaths &gt; population in a band, or the
 * total population ≤ 5,000. No deaths in the 90+ band gives an infinite expectation, returned as NaN.
 */
public final class LifeExpectancy {
    /** Start ages of the 20 bands. */
    public static final int[] START_AGES = {0, 1, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90};
    /** Method label. */
    public static final String METHOD = "Chiang, using Silcocks et al for confidence limits";
    /** Minimum total population (exclusive). */
    public static final double MIN_TOTAL_POPULATION = 5000;

    /**
     * Life expectancy at each band start age.
     *
     * @param startAges       {@link #START_AGES}
     * @param byAge           estimate per band (value NaN when suppressed; limits kept)
     * @param valueSuppressed true where the value was suppressed because the 95% interval is wider than 20 years
     * @param standardErrors  standard error per band
     */
    public record Result(int[] startAges, Estimate[] byAge, boolean[] valueSuppressed, double[] standardErrors) {
        /** Estimate at a start age (0, 1, 5, …, 90). */
        public Estimate at(int startAge) {
            for (int i = 0; i < startAges.length; i++) if (startAges[i] == startAge) return byAge[i];
            throw new IllegalArgumentException("no band starts at age " + startAge);
        }
    }

    private LifeExpectancy() {}

    /** Life table for populations and deaths in {@link #START_AGES} order (0, 1–4, 5–9, …, 85–89, 90+). */
    public static Result calculate(double[] populations, double[] deaths) {
        int k = START_AGES.length;
        if (populations.length != k || deaths.length != k) return allNa("NA: number of age bands is not 20");
        double totalPop = 0;
        for (int i = 0; i < k; i++) {
            if (!(deaths[i] >= 0)) return allNa("NA: deaths < 0 or missing");
            if (!(populations[i] > 0)) return allNa("NA: population <= 0 or missing");
            if (deaths[i] > populations[i]) return allNa("NA: deaths > population");
            totalPop += populations[i];
        }
        if (totalPop <= MIN_TOTAL_POPULATION) return allNa("NA: total population <= 5000");

        double[] m = new double[k];
        double[] n = new double[k];
        double[] a = new double[k];
        double[] q = new double[k];
        for (int i = 0; i < k; i++) {
            m[i] = deaths[i] / populations[i];
            n[i] = i < k - 1 ? START_AGES[i + 1] - START_AGES[i] : 2 / m[i];
            a[i] = START_AGES[i] == 0 ? 0.1 : 0.5;
            q[i] = deaths[i] <= populations[i] / n[i] / a[i] ? m[i] * n[i] / (1 + m[i] * n[i] * (1 - a[i])) : 1;
        }
        double[] l = new double[k];
        l[0] = 1e5;
        for (int i = 1; i < k; i++) l[i] = l[i - 1] * (1 - q[i - 1]);
        double[] d = new double[k];
        double[] big = new double[k];
        for (int i = 0; i < k; i++) {
            double next = i < k - 1 ? l[i + 1] : 0;
            d[i] = l[i] - next;
            big[i] = i < k - 1 ? n[i] * (next + a[i] * d[i]) : l[i] / m[i];
        }
        double[] e = new double[k];
        double t = 0;
        for (int i = k - 1; i >= 0; i--) {
            t += big[i];
            e[i] = l[i] == 0 ? 0 : t / l[i];
        }
        double[] se = new double[k];
        double st = 0;
        for (int i = k - 1; i >= 0; i--) {
            double w;
            if (i == k - 1) {
                double sp = 4 / (deaths[i] * m[i] * m[i]);
                w = (l[i] / 2) * (l[i] / 2) * sp;
            } else {
                double sp = d[i] == 0 ? 0 : q[i] * q[i] * (1 - q[i]) / deaths[i];
                double f = (1 - a[i]) * n[i] + e[i + 1];
                w = sp * l[i] * l[i] * f * f;
            }
            st += w;
            se[i] = Math.sqrt(st / (l[i] * l[i]));
        }
        double z95 = Confidence.z(Confidence.C95);
        double z998 = Confidence.z(Confidence.C998);
        Estimate[] out = new Estimate[k];
        boolean[] suppressed = new boolean[k];
        for (int i = 0; i < k; i++) {
            suppressed[i] = z95 * se[i] > 10;
            double value = suppressed[i] || Double.isInfinite(e[i]) ? Double.NaN : e[i];
            out[i] = new Estimate(value, e[i] - z95 * se[i], e[i] + z95 * se[i], e[i] - z998 * se[i], e[i] + z998 * se[i],
                    METHOD);
        }
        return new Result(START_AGES.clone(), out, suppressed, se);
    }

    private static Result allNa(String reason) {
        int k = START_AGES.length;
        Estimate[] out = new Estimate[k];
        double[] se = new double[k];
        for (int i = 0; i < k; i++) {
            out[i] = new Estimate(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, reason);
            se[i] = Double.NaN;
        }
        return new Result(START_AGES.clone(), out, new boolean[k], se);
    }
}
