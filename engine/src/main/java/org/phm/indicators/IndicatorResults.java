package org.phm.indicators;

import java.sql.Date;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.phm.indicators.Aggregates.Area;
import org.phm.indicators.IndicatorStage.PartSpec;
import org.phm.pack.PackTable;
import org.phm.pack.Sensitivity;
import org.phm.stats.Comparison;
import org.phm.stats.DirectStandardisation;
import org.phm.stats.Estimate;
import org.phm.stats.Inequality;
import org.phm.stats.IndirectStandardisation;
import org.phm.stats.Means;
import org.phm.stats.Proportions;
import org.phm.stats.Rates;
import org.phm.stats.SiiResult;
import org.phm.stats.Significance;

/**
 * Driver-side statistics on the collected aggregates (pure Java over small maps) and the indicator pack
 * tables built from them.
 */
final class IndicatorResults {
  /** Seed of the SII simulation, fixed so reruns give identical limits. */
  static final long SII_SEED = 20190501L;
  static final int SII_REPETITIONS = 2000;

  /** Numerator, denominator and estimate of one cell. */
  record Value(double numerator, double denominator, Estimate estimate) {}

  private final SparkSession spark;
  private final IndicatorCatalogue catalogue;
  private final Periods periods;
  private final Aggregates agg;
  private final Map<String, PartSpec> numerators = new HashMap<>();
  private final Map<String, PartSpec> denominators = new HashMap<>();

  IndicatorResults(SparkSession spark, IndicatorCatalogue catalogue, Periods periods, Aggregates agg,
      List<PartSpec> parts) {
    this.spark = spark;
    this.catalogue = catalogue;
    this.periods = periods;
    this.agg = agg;
    for (PartSpec p : parts) {
      (p.role().equals("numerator") ? numerators : denominators).put(p.indicator().id(), p);
    }
  }

  List<PackTable> tables() {
    List<Row> values = new ArrayList<>();
    List<Row> inequality = new ArrayList<>();
    List<Row> summaryInputs = new ArrayList<>();
    for (IndicatorDefinition d : catalogue.indicators()) {
      evaluate(d, values, inequality, summaryInputs);
    }
    return List.of(
        new PackTable("indicator_definitions", definitions(), Sensitivity.SHAREABLE),
        new PackTable("indicator_values", spark.createDataFrame(values, valuesSchema()), Sensitivity.SHAREABLE,
            List.of("level")),
        new PackTable("indicator_inequality", spark.createDataFrame(inequality, inequalitySchema()),
            Sensitivity.SHAREABLE),
        new PackTable("indicator_summary", summary(summaryInputs), Sensitivity.SHAREABLE));
  }

  // ------------------------------------------------------------------------- evaluation

  private void evaluate(IndicatorDefinition d, List<Row> out, List<Row> inequality, List<Row> summaryInputs) {
    PartSpec num = numerators.get(d.id());
    PartSpec den = denominators.get(d.id());
    List<Integer> ids = den == null ? List.of(num.id()) : List.of(num.id(), den.id());
    String type = num.periodType();
    // ICS values per ICS code and period (the comparator for every other row)
    Map<String, double[]> icsValues = new HashMap<>();
    for (Area ics : agg.areas("ICS", ids)) {
      double[] series = new double[Periods.COUNT];
      for (int k = 0; k < Periods.COUNT; k++) {
        series[k] = value(d, num, den, k, ics, "ALL", "ALL").estimate().value();
      }
      icsValues.put(ics.code(), series);
    }
    List<String[]> bds = new ArrayList<>();
    for (String s : agg.breakdowns(ids)) {
      String[] bv = s.split("\u0001", -1);
      if (!bv[0].equals("ALL")) {
        bds.add(bv);
      }
    }
    bds.sort((a, b) -> {
      int c = Integer.compare(IndicatorStage.BREAKDOWNS.indexOf(a[0]), IndicatorStage.BREAKDOWNS.indexOf(b[0]));
      return c != 0 ? c : a[1].compareTo(b[1]);
    });
    for (String level : IndicatorCatalogue.LEVELS) {
      if (!d.levels().contains(level)) {
        continue;
      }
      for (Area area : agg.areas(level, ids)) {
        String ics = agg.icsOf(area);
        double[] icsSeries = ics == null ? null : icsValues.get(ics);
        double[] series = new double[Periods.COUNT];
        Value[] all = new Value[Periods.COUNT];
        for (int k = 0; k < Periods.COUNT; k++) {
          all[k] = value(d, num, den, k, area, "ALL", "ALL");
          series[Periods.COUNT - 1 - k] = all[k].estimate().value();
        }
        String trend = IndicatorMath.trend(series, d.polarity());
        for (int k = 0; k < Periods.COUNT; k++) {
          double icsValue = icsSeries == null ? Double.NaN : icsSeries[k];
          out.add(row(d, type, k, area, "ALL", "ALL", all[k], icsValue, k == 0 ? trend : null));
        }
        summaryInputs.add(RowFactory.create(d.domain(), level, area.code(), area.name(), d.target() != null,
            d.meetsTarget(all[0].estimate().value()), IndicatorMath.rag(d, all[0].estimate(),
                icsSeries == null || level.equals("ICS") ? Double.NaN : icsSeries[0]), all[0].estimate().hasValue()));
        if (level.equals("PROVIDER")) {
          continue;
        }
        double icsValue = icsSeries == null ? Double.NaN : icsSeries[0];
        Value[] quintiles = new Value[5];
        for (String[] bv : bds) {
          Value v = value(d, num, den, 0, area, bv[0], bv[1]);
          out.add(row(d, type, 0, area, bv[0], bv[1], v, icsValue, null));
          if (bv[0].equals("IMD_QUINTILE") && bv[1].matches("[1-5]")) {
            quintiles[Integer.parseInt(bv[1]) - 1] = v;
          }
        }
        if (d.inequality() && !level.equals("PRACTICE")) {
          inequality.add(sii(d, type, area, quintiles));
        }
      }
    }
  }

  /** Numerator, denominator and estimate of one indicator cell. */
  Value value(IndicatorDefinition d, PartSpec num, PartSpec den, int k, Area a, String b, String v) {
    double[] n = agg.get(num.id(), k, a.level(), a.code(), b, v);
    double[] m = den == null ? null : agg.get(den.id(), k, a.level(), a.code(), b, v);
    double mult = d.multiplier();
    switch (d.method()) {
      case "count": {
        double x = total(n);
        return new Value(x, Double.NaN, IndicatorMath.count(x));
      }
      case "proportion": {
        double x = total(n);
        double y = total(m);
        return new Value(x, y, Proportions.wilson(x, y, mult));
      }
      case "crude_rate": {
        double x = total(n);
        double y = total(m);
        return new Value(x, y, Rates.crude(x, y, mult));
      }
      case "ratio": {
        double x = total(n);
        double y = total(m);
        return new Value(x, y, IndirectStandardisation.ratio(x, y, mult));
      }
      case "mean": {
        if (n == null || n[0] <= 0) {
          return new Value(0, 0, Estimate.notAvailable("n = 0"));
        }
        return new Value(n[1], n[0], Means.mean((long) n[0], n[1], n[2]));
      }
      case "median":
      case "percentile": {
        if (n == null) {
          return new Value(Double.NaN, 0, Estimate.notAvailable("no rows"));
        }
        return new Value(Double.NaN, n[1], new Estimate(n[0], Double.NaN, Double.NaN, Double.NaN, Double.NaN,
            "value at rank ceil(p*n) of the sorted values (no confidence interval)"));
      }
      case "dsr":
        return dsr(d, num, den, k, a, b, v, n, m);
      case "isr":
        return isr(d, num, den, k, a, n, m);
      default:
        throw new IllegalStateException("unknown method " + d.method());
    }
  }

  private Value dsr(IndicatorDefinition d, PartSpec num, PartSpec den, int k, Area a, String b, String v,
      double[] n, double[] m) {
    int bandCount = d.standardAgeMax() == null ? IndicatorStage.ESP_BANDS : (d.standardAgeMax() + 1) / 5;
    boolean[] use = new boolean[bandCount];
    Arrays.fill(use, true);
    if (b.equals("AGE_BAND")) {
      // only the ESP bands this age band covers: those with registered population in it across the ICS
      String ics = agg.icsOf(a);
      double[] icsPop = ics == null ? null : agg.get(den.id(), k, "ICS", ics, b, v);
      for (int i = 0; i < bandCount; i++) {
        use[i] = icsPop != null && icsPop[i] > 0;
      }
    }
    double[] esp = DirectStandardisation.esp2013();
    List<Double> cs = new ArrayList<>();
    List<Double> ps = new ArrayList<>();
    List<Double> ws = new ArrayList<>();
    for (int i = 0; i < bandCount; i++) {
      if (use[i]) {
        cs.add(n == null ? 0 : n[i]);
        ps.add(m == null ? 0 : m[i]);
        ws.add(esp[i]);
      }
    }
    double x = cs.stream().mapToDouble(Double::doubleValue).sum();
    double y = ps.stream().mapToDouble(Double::doubleValue).sum();
    if (cs.isEmpty()) {
      return new Value(x, y, Estimate.notAvailable("no population"));
    }
    Estimate e = DirectStandardisation.dsr(toArray(cs), toArray(ps), toArray(ws), d.multiplier());
    return new Value(x, y, e);
  }

  private Value isr(IndicatorDefinition d, PartSpec num, PartSpec den, int k, Area a, double[] n, double[] m) {
    String ics = agg.icsOf(a);
    double[] rc = ics == null ? null : agg.get(num.id(), k, "ICS", ics, "ALL", "ALL");
    double[] rp = ics == null ? null : agg.get(den.id(), k, "ICS", ics, "ALL", "ALL");
    double observed = 0;
    double population = 0;
    List<Double> pops = new ArrayList<>();
    List<Double> refC = new ArrayList<>();
    List<Double> refP = new ArrayList<>();
    for (int i = 0; i < IndicatorStage.ESP_BANDS; i++) {
      observed += n == null ? 0 : n[i];
      population += m == null ? 0 : m[i];
      if (rp != null && rp[i] > 0) {
        pops.add(m == null ? 0 : m[i]);
        refC.add(rc == null ? 0 : rc[i]);
        refP.add(rp[i]);
      }
    }
    if (pops.isEmpty()) {
      return new Value(observed, population, Estimate.notAvailable("no reference population"));
    }
    double expected = IndirectStandardisation.expected(toArray(pops), toArray(refC), toArray(refP));
    return new Value(observed, population, IndirectStandardisation.ratio(observed, expected, d.multiplier()));
  }

  private Row row(IndicatorDefinition d, String type, int k, Area a, String b, String v, Value val,
      double icsValue, String trend) {
    Estimate e = val.estimate();
    boolean isIcsTotal = a.level().equals("ICS") && b.equals("ALL");
    double benchmark = isIcsTotal ? (d.nationalValue() == null ? Double.NaN : d.nationalValue()) : icsValue;
    String comparedWith = isIcsTotal ? (d.nationalValue() == null ? "NONE" : "NATIONAL") : "ICS";
    Significance s = Comparison.compare(e.lower95(), e.upper95(), benchmark);
    return RowFactory.create(d.id(), d.domain(), type, periods.label(type, k),
        Date.valueOf(periods.start(type, k)), Date.valueOf(periods.windowEnd(type, k)), a.level(), a.code(),
        a.name(), a.parentCode(), b, v, num(val.numerator()), num(val.denominator()), num(e.value()),
        num(e.lower95()), num(e.upper95()), num(e.lower998()), num(e.upper998()), d.method(), e.method(),
        d.multiplier(), d.unit(), num(isIcsTotal ? e.value() : icsValue), comparedWith, s.name(),
        Comparison.judgement(s, d.polarity()), d.nationalValue(), d.target(),
        IndicatorMath.rag(d, e, a.level().equals("ICS") && b.equals("ALL") ? Double.NaN : icsValue), trend);
  }

  private Row sii(IndicatorDefinition d, String type, Area a, Value[] q) {
    double[] pop = new double[5];
    double[] val = new double[5];
    double[] lo = new double[5];
    double[] hi = new double[5];
    double numTotal = 0;
    double denTotal = 0;
    String note = null;
    for (int i = 0; i < 5; i++) {
      if (q[i] == null || !q[i].estimate().hasValue() || Double.isNaN(q[i].estimate().lower95())) {
        note = "NA: quintile " + (i + 1) + " has no value with confidence limits";
        break;
      }
      numTotal += Double.isNaN(q[i].numerator()) ? 0 : q[i].numerator();
      denTotal += q[i].denominator();
      pop[i] = q[i].denominator();
      val[i] = q[i].estimate().value();
      lo[i] = q[i].estimate().lower95();
      hi[i] = q[i].estimate().upper95();
    }
    SiiResult r = SiiResult.notAvailable();
    String valueType = switch (d.method()) {
      case "proportion" -> "PROPORTION";
      case "mean" -> "NORMAL";
      default -> "RATE";
    };
    if (note == null) {
      Inequality.ValueType vt = Inequality.ValueType.valueOf(valueType);
      double scale = vt == Inequality.ValueType.PROPORTION ? d.multiplier() : 1;
      for (int i = 0; i < 5; i++) {
        val[i] /= scale;
        lo[i] /= scale;
        hi[i] /= scale;
      }
      SiiResult raw = Inequality.sii(pop, val, lo, hi, vt, SII_REPETITIONS, SII_SEED);
      r = new SiiResult(raw.sii() * scale, raw.rii(), raw.siiLower95() * scale, raw.siiUpper95() * scale,
          raw.riiLower95(), raw.riiUpper95());
      if (Double.isNaN(r.sii())) {
        note = "NA: not computable";
      }
    }
    return RowFactory.create(d.id(), d.domain(), periods.label(type, 0), Date.valueOf(periods.windowEnd(type, 0)),
        a.level(), a.code(), a.name(), "IMD_QUINTILE", num(numTotal), num(denTotal), num(r.sii()),
        num(r.siiLower95()), num(r.siiUpper95()), num(r.rii()), num(r.riiLower95()), num(r.riiUpper95()),
        valueType, d.unit(), note);
  }

  // ------------------------------------------------------------------------- tables

  private Dataset<Row> definitions() {
    List<Row> rows = new ArrayList<>();
    for (IndicatorDefinition d : catalogue.indicators()) {
      rows.add(RowFactory.create(d.id(), d.name(), d.domain(), d.definition(), d.method(), d.multiplier(), d.unit(),
          d.polarity().name(), d.target(), d.nationalValue(), d.nationalPeriod(),
          d.rag() == null ? null : d.rag().rule(), d.rag() == null ? null : d.rag().amberWithin(),
          d.rag() == null ? null : d.rag().against(), String.join(",", d.levels()), d.frequency(), d.period(),
          d.source(), d.caveats(), d.iprKpi(), describe(d.numerator()), describe(d.denominator()),
          catalogue.version()));
    }
    StructType s = new StructType().add("indicator_id", DataTypes.StringType).add("name", DataTypes.StringType)
        .add("domain", DataTypes.StringType).add("definition", DataTypes.StringType)
        .add("method", DataTypes.StringType).add("multiplier", DataTypes.DoubleType).add("unit", DataTypes.StringType)
        .add("polarity", DataTypes.StringType).add("target", DataTypes.DoubleType)
        .add("national_value", DataTypes.DoubleType).add("national_period", DataTypes.StringType)
        .add("rag_rule", DataTypes.StringType).add("rag_amber_within", DataTypes.DoubleType)
        .add("rag_against", DataTypes.StringType).add("levels", DataTypes.StringType)
        .add("frequency", DataTypes.StringType).add("period_type", DataTypes.StringType)
        .add("source", DataTypes.StringType).add("caveats", DataTypes.StringType).add("ipr_kpi", DataTypes.StringType)
        .add("numerator_definition", DataTypes.StringType).add("denominator_definition", DataTypes.StringType)
        .add("catalogue_version", DataTypes.IntegerType);
    return spark.createDataFrame(rows, s);
  }

  private static String describe(IndicatorDefinition.Part p) {
    if (p == null) {
      return null;
    }
    StringBuilder sb = new StringBuilder(p.count()).append(" of ").append(p.dataset());
    if (p.filter() != null) {
      sb.append(" where ").append(p.filter().strip());
    }
    if (p.measure() != null) {
      sb.append("; measure ").append(p.measure().strip());
    }
    if (p.date() != null) {
      sb.append("; dated by ").append(p.date());
    }
    if (p.period() != null) {
      sb.append("; period ").append(p.period());
    }
    return sb.toString();
  }

  private Dataset<Row> summary(List<Row> inputs) {
    Map<String, int[]> counts = new LinkedHashMap<>();
    Map<String, Row> keys = new LinkedHashMap<>();
    for (Row r : inputs) {
      String key = r.getString(0) + "|" + r.getString(1) + "|" + r.getString(2);
      keys.putIfAbsent(key, r);
      int[] c = counts.computeIfAbsent(key, x -> new int[6]);
      boolean hasValue = r.getBoolean(7);
      c[0] += hasValue ? 1 : 0;
      if (r.getBoolean(4) && hasValue) {
        c[1]++;
        c[2] += r.getBoolean(5) ? 1 : 0;
      }
      switch (r.getString(6)) {
        case "GREEN" -> c[3]++;
        case "AMBER" -> c[4]++;
        case "RED" -> c[5]++;
        default -> { }
      }
    }
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<String, int[]> e : counts.entrySet()) {
      Row k = keys.get(e.getKey());
      int[] c = e.getValue();
      rows.add(RowFactory.create(k.getString(0), k.getString(1), k.getString(2), k.getString(3),
          Date.valueOf(periods.end(0)), c[0], c[1], c[2], c[1] == 0 ? null : 100.0 * c[2] / c[1], c[3], c[4], c[5]));
    }
    StructType s = new StructType().add("domain", DataTypes.StringType).add("level", DataTypes.StringType)
        .add("area_code", DataTypes.StringType).add("area_name", DataTypes.StringType)
        .add("period_end", DataTypes.DateType).add("indicators_with_value", DataTypes.IntegerType)
        .add("kpis_with_standard", DataTypes.IntegerType).add("kpis_meeting_standard", DataTypes.IntegerType)
        .add("share_meeting_standard", DataTypes.DoubleType).add("rag_green", DataTypes.IntegerType)
        .add("rag_amber", DataTypes.IntegerType).add("rag_red", DataTypes.IntegerType);
    return spark.createDataFrame(rows, s);
  }

  static StructType valuesSchema() {
    return new StructType().add("indicator_id", DataTypes.StringType).add("domain", DataTypes.StringType)
        .add("period_type", DataTypes.StringType).add("period_label", DataTypes.StringType)
        .add("period_start", DataTypes.DateType).add("period_end", DataTypes.DateType)
        .add("level", DataTypes.StringType).add("area_code", DataTypes.StringType)
        .add("area_name", DataTypes.StringType).add("parent_code", DataTypes.StringType)
        .add("breakdown", DataTypes.StringType).add("breakdown_value", DataTypes.StringType)
        .add("numerator", DataTypes.DoubleType).add("denominator", DataTypes.DoubleType)
        .add("value", DataTypes.DoubleType).add("lower95", DataTypes.DoubleType).add("upper95", DataTypes.DoubleType)
        .add("lower998", DataTypes.DoubleType).add("upper998", DataTypes.DoubleType)
        .add("method", DataTypes.StringType).add("ci_method", DataTypes.StringType)
        .add("multiplier", DataTypes.DoubleType).add("unit", DataTypes.StringType)
        .add("ics_value", DataTypes.DoubleType).add("compared_with", DataTypes.StringType)
        .add("comparison", DataTypes.StringType).add("judgement", DataTypes.StringType)
        .add("national_value", DataTypes.DoubleType).add("target", DataTypes.DoubleType)
        .add("rag", DataTypes.StringType).add("trend", DataTypes.StringType);
  }

  static StructType inequalitySchema() {
    return new StructType().add("indicator_id", DataTypes.StringType).add("domain", DataTypes.StringType)
        .add("period_label", DataTypes.StringType).add("period_end", DataTypes.DateType)
        .add("level", DataTypes.StringType).add("area_code", DataTypes.StringType)
        .add("area_name", DataTypes.StringType).add("breakdown", DataTypes.StringType)
        .add("numerator", DataTypes.DoubleType).add("denominator", DataTypes.DoubleType)
        .add("sii", DataTypes.DoubleType).add("sii_lower95", DataTypes.DoubleType)
        .add("sii_upper95", DataTypes.DoubleType).add("rii", DataTypes.DoubleType)
        .add("rii_lower95", DataTypes.DoubleType).add("rii_upper95", DataTypes.DoubleType)
        .add("value_type", DataTypes.StringType).add("unit", DataTypes.StringType).add("note", DataTypes.StringType);
  }

  private static double total(double[] a) {
    if (a == null) {
      return 0;
    }
    double t = 0;
    for (double x : a) {
      t += x;
    }
    return t;
  }

  private static Double num(double x) {
    return Double.isNaN(x) || Double.isInfinite(x) ? null : x;
  }

  private static double[] toArray(List<Double> l) {
    return l.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
