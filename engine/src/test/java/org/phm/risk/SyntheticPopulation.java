package org.phm.risk;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.SparkSession;
import org.phm.codelists.CodeLists;
import org.phm.linkage.LinkedModel;

/**
 * A synthetic population with a known logistic signal for model tests: the chance of an emergency
 * admission in (T−12m, T] rises with age, frailty (eFI deficits), prior emergency admissions and
 * deprivation, plus an unobserved propensity that also drives prior admissions.
 */
final class SyntheticPopulation {
  private SyntheticPopulation() {}

  private static final Map<String, LinkedModel> CACHE = new LinkedHashMap<>();

  static synchronized LinkedModel get(SparkSession spark, int n, long seed, LocalDate runDate) {
    return CACHE.computeIfAbsent(n + ":" + seed + ":" + runDate, k -> generate(spark, n, seed, runDate));
  }

  static LinkedModel generate(SparkSession spark, int n, long seed, LocalDate runDate) {
    Random rnd = new Random(seed);
    // one code per coded eFI deficit (polypharmacy is derived, not coded)
    Map<Integer, String> deficitCodes = new LinkedHashMap<>();
    for (CodeLists.DeficitCode d : CodeLists.load().deficits()) {
      if (d.deficitId() != 26) {
        deficitCodes.putIfAbsent(d.deficitId(), d.code());
      }
    }
    List<String> codes = new ArrayList<>(deficitCodes.values());
    LocalDate t12 = runDate.minusMonths(12);
    LocalDate t24 = runDate.minusMonths(24);
    TestModels m = new TestModels();
    int spell = 0;
    int att = 0;
    for (int i = 0; i < n; i++) {
      String id = String.format("%064x", (long) i * 2654435761L + seed);
      int age = rnd.nextInt(96);
      LocalDate birth = runDate.minusYears(age).minusDays(rnd.nextInt(365));
      String sex = rnd.nextBoolean() ? "F" : "M";
      int q = 1 + rnd.nextInt(5);
      String practice = String.format("P%05d", i % 20);
      boolean optedOut = rnd.nextDouble() < 0.03;
      LocalDate regStart = birth.isAfter(LocalDate.of(2000, 1, 1)) ? birth : LocalDate.of(2000, 1, 1);
      m.patient(id, birth, sex, q, practice, regStart, null, null, optedOut);
      int k = 0;
      if (age >= 40) {
        k = Math.min(poisson(rnd, (age - 40) / 9.0 * Math.exp(0.4 * rnd.nextGaussian())), codes.size());
      }
      List<String> pool = new ArrayList<>(codes);
      java.util.Collections.shuffle(pool, rnd);
      for (int j = 0; j < k; j++) {
        m.event(id, t24.minusDays(1 + rnd.nextInt(3650)), "DIAGNOSIS", pool.get(j), null);
      }
      double u = rnd.nextGaussian();
      int prior = poisson(rnd, 0.08 * Math.exp(0.8 * u + 0.12 * k));
      for (int j = 0; j < prior; j++) {
        LocalDate a = t24.plusDays(1 + rnd.nextInt(360));
        m.spell(id, "S" + (spell++), a, a.plusDays(1 + rnd.nextInt(8)), true);
      }
      int aePrior = poisson(rnd, 0.15 * Math.exp(0.5 * u));
      for (int j = 0; j < aePrior; j++) {
        m.ae(id, "A" + (att++), t24.plusDays(1 + rnd.nextInt(360)));
      }
      double logit = -3.3 + 0.02 * (age - 50) + 0.15 * k + 0.6 * prior + 0.4 * u + 0.25 * (3 - q);
      if (rnd.nextDouble() < 1 / (1 + Math.exp(-logit))) {
        LocalDate a = t12.plusDays(1 + rnd.nextInt(360));
        m.spell(id, "S" + (spell++), a, a.plusDays(1 + rnd.nextInt(8)), true);
      }
      if (rnd.nextDouble() < 0.3) {
        m.event(id, runDate.minusDays(rnd.nextInt(400)), "OBSERVATION", "60621009", 20 + 15 * rnd.nextDouble());
      }
    }
    return m.build(spark);
  }

  private static int poisson(Random rnd, double lambda) {
    double l = Math.exp(-lambda);
    int k = 0;
    double p = 1;
    do {
      k++;
      p *= rnd.nextDouble();
    } while (p > l);
    return k - 1;
  }
}
