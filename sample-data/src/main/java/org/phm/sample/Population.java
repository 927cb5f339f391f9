package org.phm.sample;

import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * Demographic and long-term-condition model of the synthetic population: age pyramids by area type,
 * condition prevalence as logistic functions of age, sex, deprivation and a shared latent multimorbidity
 * factor, with intercepts calibrated at start-up (bisection) so that the expected prevalence over an
 * England-like population (ONS mid-2019 pyramid, uniform national deprivation) equals the published
 * QOF-order target. Shared by every chunk; immutable after construction.
 */
final class Population {
  /** England mid-2019 population share (%) by 5-year band 0-4 .. 95+ (ONS mid-year estimates, rounded). */
  static final double[] ENGLAND_BAND = {5.8, 6.2, 5.9, 5.4, 6.1, 6.8, 6.8, 6.6, 6.1, 6.7, 6.9, 6.4, 5.5, 5.0, 5.1, 3.6,
      2.6, 1.6, 0.7, 0.2};
  /** Female share by band (ONS mid-2019, rounded). */
  static final double[] FEMALE_SHARE = {0.488, 0.488, 0.488, 0.487, 0.49, 0.5, 0.5, 0.505, 0.505, 0.507, 0.507, 0.508,
      0.51, 0.515, 0.525, 0.54, 0.57, 0.62, 0.69, 0.78};
  static final int MAX_AGE = 104;

  /** Condition ids in model order (ids of codelists/conditions.csv). */
  static final String[] COND = {"HYP", "DM", "AST", "CHD", "AF", "COPD", "CKD", "DEP", "DEM", "MH", "LD", "CAN", "STIA",
      "HF", "OB", "EP", "OST", "PAD", "RA", "PALL", "PHYS"};
  static final int HYP = 0, DM = 1, AST = 2, CHD = 3, AF = 4, COPD = 5, CKD = 6, DEP = 7, DEM = 8, MH = 9, LD = 10,
      CAN = 11, STIA = 12, HF = 13, OB = 14, EP = 15, OST = 16, PAD = 17, RA = 18, PALL = 19, PHYS = 20;
  /** Target prevalence among ages >= DENOM_MIN (QOF England orders of magnitude, 2018/19-2022/23). */
  static final double[] TARGET = {0.14, 0.075, 0.065, 0.03, 0.02, 0.02, 0.04, 0.13, 0.007, 0.01, 0.005, 0.035, 0.018,
      0.01, 0.10, 0.008, 0.01, 0.006, 0.008, 0.004, 0.02};
  static final int[] DENOM_MIN = {0, 17, 0, 0, 0, 0, 18, 18, 0, 0, 0, 0, 0, 0, 18, 18, 50, 0, 16, 0, 0};
  static final int[] ONSET_MIN = {18, 17, 5, 30, 30, 35, 18, 18, 50, 16, 0, 18, 30, 30, 18, 5, 50, 40, 16, 18, 0};
  /** Log-odds per decade of age (centred at 60). */
  static final double[] B_AGE = {0.85, 0.6, -0.08, 0.85, 1.0, 0.6, 1.2, -0.1, 1.5, 0.0, -0.15, 0.8, 0.9, 1.05, 0.1, 0.0,
      0.9, 0.9, 0.4, 1.2, 0.35};
  /** Log-odds for male (centred: +b/2 male, -b/2 female). */
  static final double[] B_MALE = {0.15, 0.3, -0.1, 0.6, 0.35, 0.1, -0.2, -0.45, -0.1, 0.1, 0.3, 0.0, 0.2, 0.3, 0.0, 0.1,
      -1.4, 0.5, -0.7, 0.0, 0.0};
  /** Log-odds per unit of deprivation covariate dep in [-1, 1] (1 = most deprived). */
  static final double[] B_DEP = {0.15, 0.35, 0.15, 0.35, 0.0, 0.7, 0.15, 0.35, 0.1, 0.5, 0.3, 0.0, 0.25, 0.3, 0.35, 0.25,
      0.0, 0.4, 0.1, 0.1, 0.4};
  /** Loading on the latent multimorbidity factor z ~ N(0,1). */
  static final double[] B_Z = {0.5, 0.5, 0.3, 0.5, 0.4, 0.5, 0.5, 0.4, 0.4, 0.3, 0.2, 0.3, 0.5, 0.6, 0.3, 0.2, 0.3, 0.5,
      0.3, 0.7, 0.4};
  /** Mean years since diagnosis for prevalent cases (exponential, capped at age - onset age). */
  static final double[] YEARS_SINCE_DX = {8, 7, 15, 8, 5, 6, 5, 6, 3, 10, 40, 5, 6, 4, 4, 12, 4, 6, 8, 0.4, 10};

  final double[] alpha = new double[COND.length];

  Population() {
    NormalDistribution std = new NormalDistribution(null, 0, 1);
    int nz = 17;
    double[] zs = new double[nz], zw = new double[nz];
    double zsum = 0;
    for (int i = 0; i < nz; i++) {
      zs[i] = -4 + 8.0 * i / (nz - 1);
      zw[i] = std.density(zs[i]);
      zsum += zw[i];
    }
    for (int i = 0; i < nz; i++) zw[i] /= zsum;
    double[] ageW = new double[MAX_AGE + 1];
    for (int a = 0; a <= MAX_AGE; a++) ageW[a] = singleYearWeight(ENGLAND_BAND, a);
    double[] deps = {-0.8, -0.4, 0.0, 0.4, 0.8};
    for (int c = 0; c < COND.length; c++) {
      double lo = -20, hi = 10;
      for (int it = 0; it < 36; it++) {
        double mid = (lo + hi) / 2;
        double num = 0, den = 0;
        for (int a = 0; a <= MAX_AGE; a++) {
          if (a < DENOM_MIN[c] || ageW[a] == 0) continue;
          double fem = FEMALE_SHARE[Math.min(19, a / 5)];
          for (int s = 0; s < 2; s++) {
            double ws = ageW[a] * (s == 1 ? 1 - fem : fem);
            den += ws;
            if (a < ONSET_MIN[c]) continue;
            for (double d : deps) {
              for (int i = 0; i < nz; i++) {
                num += ws * 0.2 * zw[i] * logistic(mid + linear(c, a, s == 1, d, zs[i]));
              }
            }
          }
        }
        if (num / den > TARGET[c]) hi = mid; else lo = mid;
      }
      alpha[c] = (lo + hi) / 2;
    }
  }

  static double linear(int c, double age, boolean male, double dep, double z) {
    return B_AGE[c] * (age - 60) / 10 + B_MALE[c] * (male ? 0.5 : -0.5) + B_DEP[c] * dep + B_Z[c] * z;
  }

  /** Probability that a person has condition c at the run date. */
  double prevalence(int c, double age, boolean male, double dep, double z) {
    if (age < ONSET_MIN[c]) return 0;
    return logistic(alpha[c] + linear(c, age, male, dep, z));
  }

  static double logistic(double x) { return 1 / (1 + Math.exp(-x)); }

  /** Weight of single year of age a from 5-year band shares (95+ spread over 95..104, declining). */
  static double singleYearWeight(double[] bands, int a) {
    if (a < 95) return bands[a / 5] / 5;
    double[] tail = {0.3, 0.22, 0.16, 0.11, 0.08, 0.055, 0.035, 0.02, 0.012, 0.008};
    return bands[19] * tail[a - 95];
  }
}
