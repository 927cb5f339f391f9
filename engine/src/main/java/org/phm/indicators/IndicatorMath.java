package org.phm.indicators;

import org.apache.commons.math3.stat.regression.SimpleRegression;
import org.phm.stats.Comparison;
import org.phm.stats.CountLimits;
import org.phm.stats.Estimate;
import org.phm.stats.Polarity;
import org.phm.stats.Rates;
import org.phm.stats.Significance;

/**
 * Pure judgement rules applied to indicator values on the driver: RAG status and trend. No Spark.
 */
public final class IndicatorMath {
  /** Fewest points a trend is assessed on. */
  public static final int MIN_TREND_POINTS = 5;
  /** Significance level of the trend test. */
  public static final double TREND_ALPHA = 0.05;
  /**
   * Largest spread of a series, relative to its largest magnitude, that is floating-point rounding rather than
   * variation: sums of fractional values (e.g. expected prevalences) differ in their last bits with the order Spark
   * adds them in, and a regression on such noise alone has a meaningless, often tiny, p-value.
   */
  static final double ROUNDING_SPREAD = 1e-12;

  private IndicatorMath() {}

  /** A count with Poisson limits (exact below 10, Byar's otherwise), for method count. */
  public static Estimate count(double n) {
    if (Double.isNaN(n) || n < 0) {
      return Estimate.notAvailable("missing count");
    }
    CountLimits l = Rates.countLimits(n);
    return new Estimate(n, l.lower95(), l.upper95(), l.lower998(), l.upper998(), l.method());
  }

  /**
   * RAG status: NONE when there is no rule or no value. Rule target: GREEN when the target is met, AMBER when
   * missed by no more than amber_within, RED otherwise. Rule significance: the 95% interval compared with the
   * benchmark (ICS value, national value or target): BETTER → GREEN, SIMILAR → AMBER, WORSE → RED.
   */
  public static String rag(IndicatorDefinition d, Estimate e, double icsValue) {
    if (d.rag() == null || e == null || !e.hasValue()) {
      return "NONE";
    }
    if (d.rag().rule().equals("target")) {
      if (d.meetsTarget(e.value())) {
        return "GREEN";
      }
      double within = d.rag().amberWithin() == null ? 0 : d.rag().amberWithin();
      return Math.abs(e.value() - d.target()) <= within + 1e-12 ? "AMBER" : "RED";
    }
    double benchmark = switch (d.rag().against()) {
      case "national" -> d.nationalValue() == null ? Double.NaN : d.nationalValue();
      case "target" -> d.target() == null ? Double.NaN : d.target();
      default -> icsValue;
    };
    Significance s = Comparison.compare(e.lower95(), e.upper95(), benchmark);
    return switch (Comparison.judgement(s, d.polarity())) {
      case "BETTER" -> "GREEN";
      case "SIMILAR" -> "AMBER";
      case "WORSE" -> "RED";
      default -> "NONE";
    };
  }

  /**
   * Trend of a series in time order (oldest first; NaN = missing): ordinary least-squares slope of value on
   * period index (Commons Math SimpleRegression) over the available points, tested with its t statistic.
   * Fewer than {@value #MIN_TREND_POINTS} points → NOT_ENOUGH_DATA; p ≥ 0.05, or no variation beyond
   * floating-point rounding ({@link #ROUNDING_SPREAD}), →
   * NO_SIGNIFICANT_CHANGE; otherwise IMPROVING / WORSENING by polarity, or INCREASING / DECREASING when the
   * polarity makes no judgement.
   */
  public static String trend(double[] oldestFirst, Polarity polarity) {
    SimpleRegression r = new SimpleRegression();
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < oldestFirst.length; i++) {
      if (!Double.isNaN(oldestFirst[i]) && !Double.isInfinite(oldestFirst[i])) {
        r.addData(i, oldestFirst[i]);
        lo = Math.min(lo, oldestFirst[i]);
        hi = Math.max(hi, oldestFirst[i]);
      }
    }
    if (r.getN() < MIN_TREND_POINTS) {
      return "NOT_ENOUGH_DATA";
    }
    if (hi - lo <= ROUNDING_SPREAD * Math.max(Math.abs(lo), Math.abs(hi))) {
      return "NO_SIGNIFICANT_CHANGE";
    }
    double slope = r.getSlope();
    double p = r.getSignificance();
    if (Double.isNaN(p) || slope == 0 || p >= TREND_ALPHA) {
      return "NO_SIGNIFICANT_CHANGE";
    }
    boolean up = slope > 0;
    if (polarity == Polarity.NO_JUDGEMENT) {
      return up ? "INCREASING" : "DECREASING";
    }
    return up == (polarity == Polarity.HIGHER_IS_BETTER) ? "IMPROVING" : "WORSENING";
  }
}
