package org.phm.indicators;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.util.List;
import org.apache.commons.math3.distribution.TDistribution;
import org.junit.jupiter.api.Test;
import org.phm.indicators.IndicatorDefinition.Rag;
import org.phm.stats.Estimate;
import org.phm.stats.Polarity;

class IndicatorMathTest {
  static IndicatorDefinition def(Polarity p, Double target, Rag rag, Double national) {
    return new IndicatorDefinition("X", "x", "d", "def", "%", "proportion", 100, p, target, national, null, rag,
        List.of("ICS"), "monthly", "latest_month", "src", null, null, null, false,
        new IndicatorDefinition.Part("ae", null, null, null, "rows", null, null), null);
  }

  static Estimate est(double v, double lo, double hi) {
    return new Estimate(v, lo, hi, lo - 1, hi + 1, "test");
  }

  @Test
  void ragByTarget() {
    IndicatorDefinition higher = def(Polarity.HIGHER_IS_BETTER, 95.0, new Rag("target", 5.0, null), null);
    assertEquals("GREEN", IndicatorMath.rag(higher, est(95, 94, 96), Double.NaN));
    assertEquals("AMBER", IndicatorMath.rag(higher, est(90, 89, 91), Double.NaN));
    assertEquals("RED", IndicatorMath.rag(higher, est(89.9, 89, 91), Double.NaN));
    assertEquals("NONE", IndicatorMath.rag(higher, Estimate.notAvailable("x"), Double.NaN));
    IndicatorDefinition lower = def(Polarity.LOWER_IS_BETTER, 1.0, new Rag("target", 0.5, null), null);
    assertEquals("GREEN", IndicatorMath.rag(lower, est(0.9, 0.5, 1.3), Double.NaN));
    assertEquals("AMBER", IndicatorMath.rag(lower, est(1.5, 1, 2), Double.NaN));
    assertEquals("RED", IndicatorMath.rag(lower, est(1.6, 1, 2), Double.NaN));
    IndicatorDefinition zero = def(Polarity.LOWER_IS_BETTER, 0.0, new Rag("target", 0.0, null), null);
    assertEquals("GREEN", IndicatorMath.rag(zero, est(0, 0, 3.7), Double.NaN));
    assertEquals("RED", IndicatorMath.rag(zero, est(1, 0.02, 5.6), Double.NaN));
    assertEquals("NONE", IndicatorMath.rag(def(Polarity.HIGHER_IS_BETTER, 95.0, null, null), est(99, 98, 100), 1));
  }

  @Test
  void ragBySignificance() {
    IndicatorDefinition ics = def(Polarity.LOWER_IS_BETTER, null, new Rag("significance", null, "ics"), null);
    assertEquals("GREEN", IndicatorMath.rag(ics, est(10, 8, 12), 13));
    assertEquals("RED", IndicatorMath.rag(ics, est(10, 8, 12), 7));
    assertEquals("AMBER", IndicatorMath.rag(ics, est(10, 8, 12), 12));
    assertEquals("NONE", IndicatorMath.rag(ics, est(10, 8, 12), Double.NaN));
    IndicatorDefinition nat = def(Polarity.HIGHER_IS_BETTER, null, new Rag("significance", null, "national"), 50.0);
    assertEquals("GREEN", IndicatorMath.rag(nat, est(55, 51, 59), 99));
    assertEquals("RED", IndicatorMath.rag(nat, est(45, 41, 49), 1));
  }

  @Test
  void trendNeedsFivePoints() {
    double n = Double.NaN;
    assertEquals("NOT_ENOUGH_DATA", IndicatorMath.trend(new double[] {n, n, 1, 2, 3, 4, n}, Polarity.HIGHER_IS_BETTER));
    assertEquals("NO_SIGNIFICANT_CHANGE", IndicatorMath.trend(new double[] {5, 5, 5, 5, 5}, Polarity.HIGHER_IS_BETTER));
  }

  @Test
  void aSeriesThatDiffersOnlyByRoundingHasNoTrend() {
    // the same ratio every period, its expected-prevalence denominator summed in different orders: the values differ
    // in their last bits, here as a perfect line, which a regression alone calls highly significant
    double v = 73.82265591854056;
    double[] rounding = new double[13];
    for (int i = 0; i < rounding.length; i++) {
      rounding[i] = v + i * Math.ulp(v);
    }
    assertEquals("NO_SIGNIFICANT_CHANGE", IndicatorMath.trend(rounding, Polarity.HIGHER_IS_BETTER));
    // a real change, however small, is still tested: a relative drift of 10^-9 is far above rounding
    double[] drift = new double[13];
    for (int i = 0; i < drift.length; i++) {
      drift[i] = v * (1 + i * 1e-9);
    }
    assertEquals("IMPROVING", IndicatorMath.trend(drift, Polarity.HIGHER_IS_BETTER));
  }

  @Test
  void trendDirectionFollowsPolarity() {
    double[] rising = {10, 10.4, 11.1, 11.3, 12.2, 12.4, 13.1};
    double[] falling = {13, 12.6, 11.9, 11.7, 10.8, 10.6, 9.9};
    assertEquals("IMPROVING", IndicatorMath.trend(rising, Polarity.HIGHER_IS_BETTER));
    assertEquals("WORSENING", IndicatorMath.trend(rising, Polarity.LOWER_IS_BETTER));
    assertEquals("INCREASING", IndicatorMath.trend(rising, Polarity.NO_JUDGEMENT));
    assertEquals("IMPROVING", IndicatorMath.trend(falling, Polarity.LOWER_IS_BETTER));
    assertEquals("DECREASING", IndicatorMath.trend(falling, Polarity.NO_JUDGEMENT));
    // noisy zig-zag with no drift
    assertEquals("NO_SIGNIFICANT_CHANGE",
        IndicatorMath.trend(new double[] {10, 12, 9, 11, 10, 12, 9, 11}, Polarity.HIGHER_IS_BETTER));
  }

  @Test
  void trendTestMatchesHandWorkedSlopeTTest() {
    // y = 1, 3, 2, 5, 4 at x = 0..4: slope b = Sxy/Sxx = 8/10 = 0.8; residual SS = Syy - b*Sxy = 10 - 6.4 = 3.6;
    // se(b) = sqrt(3.6/3 / 10) = 0.34641; t = 2.3094 on 3 df → two-sided p = 0.1041 > 0.05.
    double[] y = {1, 3, 2, 5, 4};
    double p = 2 * (1 - new TDistribution(3).cumulativeProbability(0.8 / Math.sqrt(3.6 / 3 / 10)));
    assertEquals(0.1041, p, 5e-4);
    assertEquals("NO_SIGNIFICANT_CHANGE", IndicatorMath.trend(y, Polarity.HIGHER_IS_BETTER));
    // y = 1, 2, 2.9, 4.2, 5 → slope 1.02, residual SS = 0.076, t = 20.3 → p < 0.001
    assertEquals("IMPROVING", IndicatorMath.trend(new double[] {1, 2, 2.9, 4.2, 5}, Polarity.HIGHER_IS_BETTER));
  }

  @Test
  void periodsWindowsAndLabels() {
    Periods p = Periods.forRunDate(LocalDate.of(2026, 11, 25), Periods.FluSeason.DEFAULT);
    assertEquals(LocalDate.of(2026, 10, 31), p.end(0));
    assertEquals(LocalDate.of(2025, 10, 31), p.end(12));
    assertEquals(LocalDate.of(2025, 11, 1), p.start("rolling_12_months", 0));
    assertEquals(LocalDate.of(2026, 8, 1), p.start("quarter", 0));
    assertEquals(LocalDate.of(2026, 10, 1), p.start("latest_month", 0));
    assertEquals(LocalDate.of(2026, 9, 1), p.start("season", 0));
    assertEquals(LocalDate.of(2026, 10, 31), p.windowEnd("season", 0));
    // April 2026 (k = 6): the 2025/26 season, ended in February
    assertEquals(LocalDate.of(2025, 9, 1), p.start("season", 6));
    assertEquals(LocalDate.of(2026, 2, 28), p.windowEnd("season", 6));
    assertEquals("2025/26 flu season to 2026-02", p.label("season", 6));
    assertEquals("12 months to 2026-10", p.label("rolling_12_months", 0));
  }

  @Test
  void fluSeasonFromTheCatalogue() {
    // a season of 1 October to 31 March (the catalogue's flu_season), run in May 2028
    Periods p = Periods.forRunDate(LocalDate.of(2028, 5, 3),
        new Periods.FluSeason(java.time.MonthDay.of(10, 1), java.time.MonthDay.of(3, 31)));
    assertEquals(LocalDate.of(2028, 4, 30), p.end(0));
    assertEquals(LocalDate.of(2027, 10, 1), p.start("season", 0));
    assertEquals(LocalDate.of(2028, 3, 31), p.windowEnd("season", 0));
    assertEquals("2027/28 flu season to 2028-03", p.label("season", 0));
    // September 2027 (k = 7) is before that season: the 2026/27 one, ended 31 March 2027
    assertEquals(LocalDate.of(2026, 10, 1), p.start("season", 7));
    assertEquals(LocalDate.of(2027, 3, 31), p.windowEnd("season", 7));
    // the default season's last day is the last day of February, 29 in a leap year
    Periods leap = Periods.forRunDate(LocalDate.of(2028, 5, 3), Periods.FluSeason.DEFAULT);
    assertEquals(LocalDate.of(2027, 9, 1), leap.start("season", 0));
    assertEquals(LocalDate.of(2028, 2, 29), leap.windowEnd("season", 0));
    // a season inside one calendar year is labelled with that year
    Periods spring = Periods.forRunDate(LocalDate.of(2026, 7, 10),
        new Periods.FluSeason(java.time.MonthDay.of(3, 1), java.time.MonthDay.of(5, 31)));
    assertEquals(LocalDate.of(2026, 3, 1), spring.start("season", 0));
    assertEquals(LocalDate.of(2026, 5, 31), spring.windowEnd("season", 0));
    assertEquals("2026 flu season to 2026-05", spring.label("season", 0));
    assertEquals(LocalDate.of(2026, 2, 28), spring.end(4));
    assertEquals(LocalDate.of(2025, 3, 1), spring.start("season", 4));
    assertEquals(LocalDate.of(2025, 5, 31), spring.windowEnd("season", 4));
  }
}
