package org.phm.sample;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clinical and utilisation signal of a 20,000-patient ICS, recomputed here in plain Java from the files:
 * QOF-order prevalence, deprivation and age gradients of emergency admissions, and that a simple score of
 * features observable 12 months before the run date predicts emergency admission in the following year.
 */
class SignalTest {
  static final LocalDate RUN = LocalDate.of(2026, 11, 25);
  static final LocalDate T = RUN.minusYears(1);

  @TempDir static Path dir;

  /** Per patient registered at T: age at T, IMD quintile, features before T, outcome after T. */
  static final class P {
    int ageRun, ageT, quintile, ltcBeforeT, deficitsBeforeT, eaPrior, aePrior, eaNext;
    boolean registeredRun, registeredT;
    Set<String> conditions = new HashSet<>();
  }

  static Map<String, P> people = new HashMap<>();
  static Map<String, String> condOfCode = new HashMap<>();

  @BeforeAll
  static void generate() throws IOException {
    Generator.generate(new GeneratorOptions(20_000, 7L, dir, RUN, 0.0));
    for (String l : Files.readAllLines(Path.of(System.getProperty("phm.repo.dir", "/work/main"),
        "engine/src/main/resources/codelists/conditions.csv")).subList(1, 31)) {
      String[] f = l.split(",");
      condOfCode.put(f[3], f[0]);
    }
    Map<String, Integer> decile = new HashMap<>();
    for (String[] r : rows("imd_lsoa.csv")) decile.put(r[0], Integer.parseInt(r[5]));
    for (String[] r : rows("gp_patients.csv")) {
      P p = new P();
      LocalDate dob = LocalDate.parse(r[1]);
      p.ageRun = Period.between(dob, RUN).getYears();
      p.ageT = Period.between(dob, T).getYears();
      p.quintile = (decile.get(r[5]) + 1) / 2;
      String end = !r[7].isEmpty() ? r[7] : r[8];
      p.registeredRun = end.isEmpty();
      p.registeredT = !dob.isAfter(T) && LocalDate.parse(r[6]).compareTo(T) <= 0 && (end.isEmpty() || end.compareTo(T.toString()) > 0);
      people.put(r[0], p);
    }
    for (String[] r : rows("gp_events.csv")) {
      if (!r[2].equals("DIAGNOSIS")) continue;
      P p = people.get(r[0]);
      String cond = condOfCode.get(r[3]);
      if (cond != null) p.conditions.add(cond);
      if (r[1].compareTo(T.toString()) <= 0) {
        if (cond != null) p.ltcBeforeT++; else p.deficitsBeforeT++; // other diagnosis codes are eFI deficits
      }
    }
    String t0 = T.minusYears(1).toString(), t = T.toString();
    for (String[] r : rows("inpatient_spells.csv")) {
      if (!r[5].startsWith("2")) continue;
      P p = people.get(r[1]);
      if (p == null) continue;
      if (r[3].compareTo(t) > 0) p.eaNext++;
      else if (r[3].compareTo(t0) > 0) p.eaPrior++;
    }
    for (String[] r : rows("ae_attendances.csv")) {
      P p = people.get(r[1]);
      String d = r[4].substring(0, 10);
      if (p != null && d.compareTo(t) <= 0 && d.compareTo(t0) > 0) p.aePrior++;
    }
  }

  static List<String[]> rows(String file) throws IOException {
    List<String[]> out = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(dir.resolve(file))) {
      r.readLine();
      String l;
      while ((l = r.readLine()) != null) out.add(l.split(",", -1));
    }
    return out;
  }

  static double prevalence(String cond, int minAge) {
    int num = 0, den = 0;
    for (P p : people.values()) {
      if (!p.registeredRun || p.ageRun < minAge) continue;
      den++;
      if (p.conditions.contains(cond)) num++;
    }
    return (double) num / den;
  }

  @Test
  void prevalenceAtQofOrdersOfMagnitude() {
    double hyp = prevalence("HYP", 0), dm = prevalence("DM", 17), ast = prevalence("AST", 0), dep = prevalence("DEP", 18);
    double copd = prevalence("COPD", 0), dem = prevalence("DEM", 0);
    assertTrue(hyp > 0.10 && hyp < 0.18, "hypertension " + hyp);
    assertTrue(dm > 0.055 && dm < 0.10, "diabetes 17+ " + dm);
    assertTrue(ast > 0.05 && ast < 0.085, "asthma " + ast);
    assertTrue(dep > 0.09 && dep < 0.18, "depression 18+ " + dep);
    assertTrue(copd > 0.012 && copd < 0.03, "COPD " + copd);
    assertTrue(dem > 0.002 && dem < 0.012, "dementia " + dem);
  }

  @Test
  void emergencyAdmissionsRiseWithDeprivationAndAge() {
    double[] ea = new double[6], n = new double[6];
    double old = 0, nOld = 0, young = 0, nYoung = 0;
    for (P p : people.values()) {
      if (!p.registeredT) continue;
      ea[p.quintile] += p.eaNext;
      n[p.quintile]++;
      if (p.ageT >= 75) { old += p.eaNext; nOld++; } else if (p.ageT < 65) { young += p.eaNext; nYoung++; }
    }
    double q1 = ea[1] / n[1], q5 = ea[5] / n[5];
    assertTrue(q1 > 1.2 * q5, "most deprived quintile " + q1 + " vs least " + q5);
    assertTrue(old / nOld > 3 * young / nYoung, "75+ " + old / nOld + " vs under 65 " + young / nYoung);
    double all = 0, nAll = 0;
    for (int q = 1; q <= 5; q++) { all += ea[q]; nAll += n[q]; }
    assertTrue(all / nAll > 0.06 && all / nAll < 0.13, "emergency admissions per person-year " + all / nAll);
  }

  /**
   * A 7-feature logistic regression (plain gradient descent, fitted on 70%, AUROC on the held-out 30%) of
   * features observable at T = run date - 12 months predicts an emergency admission in (T, run date]. The
   * engine's model has more features, so this is a lower bound for what it can reach.
   */
  @Test
  void featuresAtTMinus12MonthsPredictEmergencyAdmissionInTheNextYear() {
    List<double[]> x = new ArrayList<>();
    List<Integer> y = new ArrayList<>();
    List<String> ids = new ArrayList<>(people.keySet());
    java.util.Collections.sort(ids);
    for (String id : ids) {
      P p = people.get(id);
      if (!p.registeredT) continue;
      double a = p.ageT / 10.0;
      x.add(new double[] {1, a, a * a, p.ltcBeforeT, p.deficitsBeforeT, Math.min(p.eaPrior, 3), Math.min(p.aePrior, 5),
          p.quintile});
      y.add(p.eaNext > 0 ? 1 : 0);
    }
    int d = x.get(0).length;
    double[] mean = new double[d], sd = new double[d];
    for (double[] r : x) for (int j = 1; j < d; j++) mean[j] += r[j] / x.size();
    for (double[] r : x) for (int j = 1; j < d; j++) sd[j] += (r[j] - mean[j]) * (r[j] - mean[j]) / x.size();
    for (double[] r : x) for (int j = 1; j < d; j++) r[j] = (r[j] - mean[j]) / Math.max(1e-9, Math.sqrt(sd[j]));
    int nTrain = x.size() * 7 / 10; // ids are NHS numbers: sorted order is unrelated to risk
    java.util.Random shuffle = new java.util.Random(11);
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < x.size(); i++) order.add(i);
    java.util.Collections.shuffle(order, shuffle);
    double[] w = new double[d];
    for (int it = 0; it < 400; it++) {
      double[] g = new double[d];
      for (int k = 0; k < nTrain; k++) {
        int i = order.get(k);
        double[] r = x.get(i);
        double z = 0;
        for (int j = 0; j < d; j++) z += w[j] * r[j];
        double e = 1 / (1 + Math.exp(-z)) - y.get(i);
        for (int j = 0; j < d; j++) g[j] += e * r[j] / nTrain;
      }
      for (int j = 0; j < d; j++) w[j] -= 2.0 * g[j];
    }
    List<double[]> scored = new ArrayList<>();
    for (int k = nTrain; k < x.size(); k++) {
      int i = order.get(k);
      double z = 0;
      for (int j = 0; j < d; j++) z += w[j] * x.get(i)[j];
      scored.add(new double[] {z, y.get(i)});
    }
    double auc = auroc(scored);
    assertTrue(auc >= 0.70, "held-out AUROC " + auc);
    assertTrue(w[5] > 0 && w[3] > 0, "prior admissions and conditions raise the risk");
  }

  /** Mann-Whitney AUROC with mid-ranks for ties. */
  static double auroc(List<double[]> s) {
    s.sort((a, b) -> Double.compare(a[0], b[0]));
    double rankSumPos = 0;
    long pos = 0;
    int i = 0;
    while (i < s.size()) {
      int j = i;
      while (j + 1 < s.size() && s.get(j + 1)[0] == s.get(i)[0]) j++;
      double mid = (i + j) / 2.0 + 1;
      for (int k = i; k <= j; k++) if (s.get(k)[1] == 1) { rankSumPos += mid; pos++; }
      i = j + 1;
    }
    long neg = s.size() - pos;
    return (rankSumPos - pos * (pos + 1) / 2.0) / ((double) pos * neg);
  }

  @Test
  void aurocHelperOnHandWorkedExample() {
    // scores 1,2,3,4 with labels 0,1,0,1: positive pairs ranked above: (2>1),(4>1),(4>3) = 3 of 4 -> 0.75
    List<double[]> s = new ArrayList<>(List.of(new double[] {1, 0}, new double[] {2, 1}, new double[] {3, 0},
        new double[] {4, 1}));
    assertTrue(Math.abs(auroc(s) - 0.75) < 1e-12);
  }
}
