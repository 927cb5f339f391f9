package org.phm.stats;

/**
 * Funnel-plot control limits at 2 and 3 standard deviations (p = 0.975 / 0.999, i.e. 95% / 99.8%), as
 * {@code calculate_funnel_limits} and {@code assign_funnel_significance} in PHEindicatormethods (R/Funnels.R,
 * R/utils.R {@code sigma_adjustment, poisson_funnel}) and the Fingertips technical guidance.
 *
 * <p>Proportions: the closed-form Wilson-type "sigma adjustment" around the baseline proportion for a
 * population n, clipped to [0, multiplier]. Ratios: the expected events E for observed O at which O lies on
 * the limit — lower limits use E = qchisq(1−α, 2O+2)/2, upper limits E = qchisq(α, 2O)/2 with α = 0.025 (2s)
 * or 0.001 (3s) — and the limit is O/E. The package finds these E by bisection on the Poisson distribution
 * (step 1e-7), so its published values differ from these exact chi-square values by up to ~5e-5 relative.
 * Rates: E as for ratios; population for one year = E / (baseline rate / multiplier) / years, limit =
 * events / (population × years) × multiplier.
 *
 * <p>Edges: population ≤ 0 or NaN, baseline outside [0, 1] or NaN give NaN limits. O = 0 gives upper
 * (ratio/rate) limits NaN (no expected count puts 0 on an upper limit) and lower limits 0.
 */
public final class Funnels {
    private Funnels() {}

    /**
     * Limits at one point of a funnel.
     *
     * @param lower2s lower 2-sigma (95%) limit
     * @param upper2s upper 2-sigma (95%) limit
     * @param lower3s lower 3-sigma (99.8%) limit
     * @param upper3s upper 3-sigma (99.8%) limit
     */
    public record Limits(double lower2s, double upper2s, double lower3s, double upper3s) {}

    /** A point on a rate funnel: the one-year population at which the events sit on each limit, and the limits. */
    public record RatePoint(Limits population1Year, Limits limits) {}

    /** Funnel limits for a proportion (baseline as a fraction), scaled by the multiplier (e.g. 100). */
    public static Limits proportion(double population, double baselineProportion, double multiplier) {
        if (!(population > 0) || !(baselineProportion >= 0 && baselineProportion <= 1)) {
            return new Limits(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        return new Limits(
                Math.max(0, sigmaAdjustment(0.975, population, baselineProportion, false, multiplier)),
                Math.min(multiplier, sigmaAdjustment(0.975, population, baselineProportion, true, multiplier)),
                Math.max(0, sigmaAdjustment(0.999, population, baselineProportion, false, multiplier)),
                Math.min(multiplier, sigmaAdjustment(0.999, population, baselineProportion, true, multiplier)));
    }

    /**
     * PHEindicatormethods {@code sigma_adjustment}: the proportion (× multiplier) at which a population n drawn
     * with the average proportion lies on the p control limit, on the low or high side.
     */
    public static double sigmaAdjustment(double p, double population, double average, boolean high, double multiplier) {
        double z2 = Confidence.qnorm(p);
        z2 = z2 * z2;
        double first = average * (population / z2 + 1);
        double inner = Math.pow(-8 * average * (population / z2 + 1), 2)
                - 64 * (1 / z2 + 1 / population) * average
                * (population * (average * (population / z2 + 2) - 1) + z2 * (average - 1));
        double adj = Math.sqrt(inner);
        double last = 1 / z2 + 1 / population;
        double v = high ? (first + adj / 8) / last : (first - adj / 8) / last;
        return v / population * multiplier;
    }

    /** Expected events at which observed events O lie on each ratio funnel limit. */
    public static Limits ratioExpectedEvents(double observed) {
        if (!(observed >= 0)) return new Limits(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        return new Limits(
                Confidence.qchisq(0.975, 2 * observed + 2) / 2,
                Confidence.qchisq(0.025, 2 * observed) / 2,
                Confidence.qchisq(0.999, 2 * observed + 2) / 2,
                Confidence.qchisq(0.001, 2 * observed) / 2);
    }

    /** Ratio funnel limits (observed / expected) for observed events O; multiply by 100 for ISR-style ratios. */
    public static Limits ratio(double observed) {
        Limits e = ratioExpectedEvents(observed);
        return new Limits(div(observed, e.lower2s()), div(observed, e.upper2s()),
                div(observed, e.lower3s()), div(observed, e.upper3s()));
    }

    /** Rate funnel point for a number of events, a baseline rate (per multiplier) and the years of data pooled. */
    public static RatePoint rate(double events, double baselineRate, double multiplier, double yearsOfData) {
        Limits e = ratioExpectedEvents(events);
        double av = baselineRate / multiplier;
        Limits pop = new Limits(e.lower2s() / av / yearsOfData, e.upper2s() / av / yearsOfData,
                e.lower3s() / av / yearsOfData, e.upper3s() / av / yearsOfData);
        Limits lim = new Limits(
                div(events, pop.lower2s() * yearsOfData) * multiplier,
                div(events, pop.upper2s() * yearsOfData) * multiplier,
                div(events, pop.lower3s() * yearsOfData) * multiplier,
                div(events, pop.upper3s() * yearsOfData) * multiplier);
        return new RatePoint(pop, lim);
    }

    /** Funnel significance of a proportion x/n against the average proportion (as assign_funnel_significance). */
    public static String proportionSignificance(double numerator, double denominator, double averageProportion) {
        if (!(denominator > 0) || Double.isNaN(numerator) || Double.isNaN(averageProportion)) return "Not compared";
        double v = numerator / denominator;
        if (v < sigmaAdjustment(0.999, denominator, averageProportion, false, 1)) return "Low (0.001)";
        if (v < sigmaAdjustment(0.975, denominator, averageProportion, false, 1)) return "Low (0.025)";
        if (v > sigmaAdjustment(0.999, denominator, averageProportion, true, 1)) return "High (0.001)";
        if (v > sigmaAdjustment(0.975, denominator, averageProportion, true, 1)) return "High (0.025)";
        return "Not significant";
    }

    /**
     * Funnel significance of observed events against expected events (ratios, or rates via expected =
     * population × average rate), as assign_funnel_significance: the exact (O &lt; 10) or Byar's limits of O/E at
     * 99.8% and 95% compared with 1. "High (0.001)", "High (0.025)", "Low (0.001)", "Low (0.025)" or
     * "Not significant"; "Not compared" when E ≤ 0 or an input is missing.
     */
    public static String ratioSignificance(double observed, double expected) {
        Estimate e = IndirectStandardisation.ratio(observed, expected, 1);
        if (!e.hasValue()) return "Not compared";
        if (e.lower998() > 1) return "High (0.001)";
        if (e.lower95() > 1) return "High (0.025)";
        if (e.upper998() < 1) return "Low (0.001)";
        if (e.upper95() < 1) return "Low (0.025)";
        return "Not significant";
    }

    private static double div(double a, double b) {
        if (a == 0 && b == 0) return Double.NaN;
        return a / b;
    }
}
