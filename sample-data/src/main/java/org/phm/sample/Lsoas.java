package org.phm.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * Synthetic LSOAs (fake codes E019xxxxx) with a synthetic IMD 2019 stand-in, and each practice's catchment.
 *
 * <p>Each LSOA gets a national deprivation percentile (0 = most deprived) drawn from a Beta distribution
 * specific to its CCG (Nottingham City heavily deprived, Rushcliffe affluent), correlated within a practice
 * through a Gaussian copula. Rank, decile and score follow from the percentile: rank = ceil(p * 32,844),
 * decile = ceil(p * 10), score by piecewise-linear interpolation of approximate IMD 2019 score deciles.
 */
final class Lsoas {
  static final int ENGLISH_LSOAS = 32_844;
  /** Approximate IMD 2019 score at national percentiles 0, 0.1, ..., 1.0 (most to least deprived). */
  private static final double[] SCORE_KNOTS = {92.7, 45.0, 34.2, 27.3, 21.9, 17.6, 13.9, 10.9, 8.2, 5.6, 0.5};
  /** Target population per synthetic LSOA (real LSOAs hold roughly 1,000-3,000 residents). */
  private static final int PEOPLE_PER_LSOA = 1_570;

  /** One synthetic LSOA. dep is the deprivation covariate in [-1, 1] (1 = most deprived). */
  record Lsoa(int index, String code, byte[] codeBytes, String name, String localAuthority, double percentile,
              double score, int rank, int decile, double dep) {}

  final List<Lsoa> lsoas = new ArrayList<>();
  /** Per practice: LSOA indices of its catchment and cumulative selection weights. */
  final int[][] catchment;
  final double[][] catchmentCum;

  Lsoas(Hierarchy h, long seed) {
    SplittableRandom rng = new SplittableRandom(seed ^ 0x5DEECE66DL);
    NormalDistribution std = new NormalDistribution(null, 0, 1);
    List<Hierarchy.Practice> ps = h.practices();
    int[][] own = new int[ps.size()][];
    java.util.Map<String, Integer> laCounter = new java.util.HashMap<>();
    for (Hierarchy.Practice p : ps) {
      int k = Math.max(2, (int) Math.round(p.publishedSize() / (double) PEOPLE_PER_LSOA));
      double[] ab = betaParams(p);
      BetaDistribution beta = new BetaDistribution(null, ab[0], ab[1]);
      double zPractice = rng.nextGaussian();
      own[p.index()] = new int[k];
      for (int j = 0; j < k; j++) {
        double z = 0.6 * zPractice + 0.8 * rng.nextGaussian();
        double u = std.cumulativeProbability(z);
        u = Math.min(1 - 1e-9, Math.max(1e-9, u));
        double pct = beta.inverseCumulativeProbability(u);
        int idx = lsoas.size();
        String la = localAuthority(p, j);
        int laSeq = laCounter.merge(la, 1, Integer::sum);
        String code = "E019" + String.format("%05d", idx + 1);
        int rank = (int) Math.max(1, Math.min(ENGLISH_LSOAS, Math.ceil(pct * ENGLISH_LSOAS)));
        int decile = Math.max(1, Math.min(10, (int) Math.ceil(rank * 10.0 / ENGLISH_LSOAS)));
        double score = Math.round(score(pct) * 1000) / 1000.0;
        String name = la + " " + String.format("%03d", (laSeq + 25) / 26) + (char) ('A' + (laSeq - 1) % 26);
        lsoas.add(new Lsoa(idx, code, code.getBytes(java.nio.charset.StandardCharsets.US_ASCII), name, la, pct,
            score, rank, decile, 1 - 2 * pct));
        own[p.index()][j] = idx;
      }
    }
    catchment = new int[ps.size()][];
    catchmentCum = new double[ps.size()][];
    for (Hierarchy.Practice p : ps) {
      // 85% of patients live in the practice's own LSOAs, 15% in those of neighbouring practices of the same PCN
      List<Integer> idx = new ArrayList<>();
      List<Double> w = new ArrayList<>();
      int[] mine = own[p.index()];
      for (int l : mine) { idx.add(l); w.add(0.85 / mine.length); }
      List<int[]> nb = new ArrayList<>();
      for (int d : new int[] {-1, 1}) {
        int q = p.index() + d;
        if (q >= 0 && q < ps.size() && ps.get(q).pcnCode().equals(p.pcnCode())) nb.add(own[q]);
      }
      if (nb.isEmpty()) { for (int i = 0; i < w.size(); i++) w.set(i, 1.0 / mine.length); }
      for (int[] o : nb) for (int l : o) { idx.add(l); w.add(0.15 / nb.size() / o.length); }
      int[] ci = new int[idx.size()];
      double[] cw = new double[idx.size()];
      double acc = 0;
      for (int i = 0; i < ci.length; i++) { ci[i] = idx.get(i); acc += w.get(i); cw[i] = acc; }
      for (int i = 0; i < cw.length; i++) cw[i] /= acc;
      catchment[p.index()] = ci;
      catchmentCum[p.index()] = cw;
    }
  }

  /** Picks an LSOA of the practice's catchment. */
  Lsoa pick(int practice, double u) {
    double[] cw = catchmentCum[practice];
    int i = 0;
    while (i < cw.length - 1 && u > cw[i]) i++;
    return lsoas.get(catchment[practice][i]);
  }

  static double score(double pct) {
    double x = Math.max(0, Math.min(1, pct)) * 10;
    int i = Math.min(9, (int) x);
    double f = x - i;
    return SCORE_KNOTS[i] + f * (SCORE_KNOTS[i + 1] - SCORE_KNOTS[i]);
  }

  /** Beta(a, b) parameters of the national deprivation percentile by CCG. */
  static double[] betaParams(Hierarchy.Practice p) {
    return switch (p.ccgName()) {
      case "Nottingham City" -> new double[] {0.85, 3.0};
      case "Mansfield & Ashfield" -> new double[] {1.3, 2.6};
      case "Newark & Sherwood" -> new double[] {2.0, 2.4};
      case "Nottingham North & East" -> new double[] {2.4, 2.2};
      case "Nottingham West" -> new double[] {2.6, 2.0};
      case "Rushcliffe" -> new double[] {4.0, 1.3};
      default -> new double[] {2.0, 2.0};
    };
  }

  static String localAuthority(Hierarchy.Practice p, int j) {
    return switch (p.ccgName()) {
      case "Nottingham City" -> "Nottingham";
      case "Mansfield & Ashfield" -> p.pcnName().endsWith("1") || p.pcnName().endsWith("2") ? "Mansfield" : "Ashfield";
      case "Newark & Sherwood" -> "Newark and Sherwood";
      case "Nottingham North & East" -> "Gedling";
      case "Nottingham West" -> "Broxtowe";
      case "Rushcliffe" -> "Rushcliffe";
      default -> "Nottinghamshire";
    };
  }
}
