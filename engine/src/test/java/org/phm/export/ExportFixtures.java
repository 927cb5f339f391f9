package org.phm.export;

import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.phm.pack.DataDictionary;
import org.phm.pack.Manifest;
import org.phm.pack.PackTable;
import org.phm.pack.PackWriter;
import org.phm.pack.Sensitivity;

/**
 * A small sample pack for export tests, written through the real {@link PackWriter} (dictionary
 * check, small-number suppression, manifest, atomic publish): 1 ICS, 3 ICPs, 6 PCNs, 12 practices,
 * three indicators with 13 monthly periods, breakdowns, SII, risk tiers and cohorts. Some counts are
 * deliberately small so the pack writer suppresses them. Public so the jobs module's tests reuse it.
 */
public final class ExportFixtures {
  public static final String ICS = "QT1";
  public static final String[][] ICPS = {
      {"ICP01", "Mid Nottinghamshire"}, {"ICP02", "Nottingham City"}, {"ICP03", "South Nottinghamshire"}};
  /** Restricted-table marker that must never appear in an export. */
  public static final String PATIENT_MARKER = "f00dfeedf00dfeedf00dfeedf00dfeedf00dfeedf00dfeedf00dfeedf00dfeed";
  /** The PCN whose current-period numerator of DIAB_8CP is 3 (suppressed by the pack writer). */
  public static final String SMALL_PCN = "U00012";
  public static final LocalDate RUN_DATE = LocalDate.of(2026, 11, 25);

  private ExportFixtures() {}

  /** Area rows: level, code, name, parent code. */
  record A(String level, String code, String name, String parent) {}

  static List<A> areas() {
    List<A> out = new ArrayList<>();
    out.add(new A("ICS", ICS, "Nottingham and Nottinghamshire ICS", null));
    int pcn = 1;
    int practice = 1;
    for (String[] icp : ICPS) {
      out.add(new A("ICP", icp[0], icp[1], ICS));
      for (int p = 0; p < 2; p++, pcn++) {
        String pcnCode = "U000" + (10 + pcn);
        out.add(new A("PCN", pcnCode, icp[1] + " PCN " + (p + 1), icp[0]));
        for (int q = 0; q < 2; q++, practice++) {
          out.add(new A("PRACTICE", String.format("C840%02d", practice), "Practice " + practice, pcnCode));
        }
      }
    }
    return out;
  }

  private static Path shared;

  /**
   * The sample pack, published once per JVM (test classes share it; publishing runs the real pack writer
   * with suppression and verification, which is the slow part). Callers must not modify it.
   */
  public static synchronized Path shared(SparkSession spark) {
    if (shared == null) {
      try {
        Path root = java.nio.file.Files.createTempDirectory("phm-export-fixture");
        shared = publish(spark, root).toRealPath();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return shared;
  }

  /**
   * Exports {@code request} from the {@link #shared} pack, printing the time taken and failing when it takes a
   * minute or more (the export time budget).
   */
  static List<Path> timedExport(SparkSession spark, ExportRequest request, String what) {
    Path pack = shared(spark);
    long t0 = System.nanoTime();
    List<Path> files = PackExporter.export(spark, pack, request);
    double s = (System.nanoTime() - t0) / 1e9;
    System.out.printf("%s: %d files in %.1f s%n", what, files.size(), s);
    if (s >= 60) {
      throw new AssertionError("exports must take under a minute, took " + s);
    }
    return files;
  }

  /** A private copy of the shared pack directory (for tests that tamper with it). */
  public static Path copy(SparkSession spark, Path target) {
    Path src = shared(spark);
    try (var s = java.nio.file.Files.walk(src)) {
      for (Path p : s.toList()) {
        Path d = target.resolve(src.relativize(p).toString());
        if (java.nio.file.Files.isDirectory(p)) {
          java.nio.file.Files.createDirectories(d);
        } else {
          java.nio.file.Files.copy(p, d);
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return target;
  }

  /** Publishes the sample pack under {@code root} and returns the published pack path. */
  public static Path publish(SparkSession spark, Path root) {
    DataDictionary dict = DataDictionary.load();
    PackWriter writer = new PackWriter(root, dict, 7);
    PackWriter.Staged staged = writer.stage("run1", RUN_DATE);
    List<A> areas = areas();
    Map<String, A> byCode = new LinkedHashMap<>();
    areas.forEach(a -> byCode.put(a.code(), a));
    // practice list sizes; PCN/ICP/ICS sums
    Map<String, Long> list = new LinkedHashMap<>();
    Random rnd = new Random(7);
    for (A a : areas) {
      if (a.level().equals("PRACTICE")) {
        long n = 4000 + rnd.nextInt(8000);
        list.put(a.code(), n);
        for (String up = a.parent(); up != null; up = byCode.get(up).parent()) {
          list.merge(up, n, Long::sum);
        }
      }
    }
    List<Map<String, Object>> hier = new ArrayList<>();
    for (A a : areas) {
      if (a.level().equals("PRACTICE")) {
        A pcn = byCode.get(a.parent());
        A icp = byCode.get(pcn.parent());
        hier.add(row("practice_code", a.code(), "practice_name", a.name(), "pcn_code", pcn.code(), "pcn_name",
            pcn.name(), "ccg_code", "52R", "ccg_name", "NHS Nottingham and Nottinghamshire", "icp_code", icp.code(),
            "icp_name", icp.name(), "ics_code", ICS, "ics_name", byCode.get(ICS).name(), "list_size",
            list.get(a.code())));
      }
    }
    List<Map<String, Object>> pop = new ArrayList<>();
    for (A a : areas) {
      pop.add(row("extract_date", Date.valueOf(RUN_DATE.withDayOfMonth(1)), "level", a.level(), "area_code", a.code(),
          "area_name", a.name(), "parent_code", a.parent(), "sex", "ALL", "age_band", "ALL", "patients",
          list.get(a.code())));
    }
    String[][] inds = {
        {"DIAB_8CP", "Diabetes: all 8 care processes", "Primary Care", "proportion", "100", "%", "HIGHER_IS_BETTER", "60"},
        {"EMERG_ADM", "Emergency admissions rate", "Urgent & Emergency Care", "crude_rate", "1000", "per 1,000",
            "LOWER_IS_BETTER", null},
        {"SCREEN_BOWEL", "Bowel cancer screening coverage", "Cancer", "proportion", "100", "%", "HIGHER_IS_BETTER",
            "60"}};
    List<Map<String, Object>> defs = new ArrayList<>();
    for (String[] d : inds) {
      defs.add(row("indicator_id", d[0], "name", d[1], "domain", d[2], "definition", "Definition of " + d[1],
          "method", d[3], "multiplier", Double.parseDouble(d[4]), "unit", d[5], "polarity", d[6], "target",
          d[7] == null ? null : Double.parseDouble(d[7]), "caveats", "Caveat <for> " + d[0], "rag_rule",
          d[7] == null ? null : "target", "catalogue_version", 1));
    }
    List<Map<String, Object>> vals = new ArrayList<>();
    List<Map<String, Object>> ineq = new ArrayList<>();
    for (String[] d : inds) {
      double mult = Double.parseDouble(d[4]);
      double base = d[0].equals("EMERG_ADM") ? 0.09 : d[0].equals("DIAB_8CP") ? 0.55 : 0.65;
      for (int m = 12; m >= 0; m--) {
        LocalDate end = LocalDate.of(2026, 10, 31).minusMonths(m).withDayOfMonth(1).plusMonths(1).minusDays(1);
        String label = "12 months to " + end.toString().substring(0, 7);
        boolean current = m == 0;
        for (A a : areas) {
          double den = list.get(a.code()) * (d[0].equals("EMERG_ADM") ? 1.0 : 0.06);
          double p = base + 0.03 * Math.sin(a.code().hashCode() % 7) - 0.002 * m;
          double num = Math.round(den * p);
          den = Math.round(den);
          if (current && d[0].equals("DIAB_8CP") && a.code().equals(SMALL_PCN)) {
            num = 3; // small: the pack writer must suppress this row
          }
          vals.add(value(d, a, label, end, "ALL", "ALL", num, den, mult, current, list));
          if (current && !a.level().equals("PRACTICE")) {
            for (int q = 1; q <= 5; q++) {
              double qd = Math.round(den / 5);
              double qn = Math.round(qd * (p + 0.02 * (3 - q)));
              if (a.level().equals("PCN") && q == 5 && d[0].equals("SCREEN_BOWEL")) {
                qn = 5; // small
              }
              vals.add(value(d, a, label, end, "IMD_QUINTILE", String.valueOf(q), qn, qd, mult, true, list));
            }
            for (String eth : List.of("White", "Asian", "Black", "Mixed", "Other")) {
              double ed = Math.round(den * (eth.equals("White") ? 0.8 : 0.05));
              vals.add(value(d, a, label, end, "ETHNICITY", eth, Math.round(ed * p), ed, mult, true, list));
            }
            ineq.add(row("indicator_id", d[0], "domain", d[2], "period_label", label, "period_end", Date.valueOf(end),
                "level", a.level(), "area_code", a.code(), "area_name", a.name(), "breakdown", "IMD_QUINTILE",
                "numerator", num, "denominator", den, "sii", -0.08 * mult, "sii_lower95", -0.1 * mult,
                "sii_upper95", -0.06 * mult, "rii", -0.15, "rii_lower95", -0.2, "rii_upper95", -0.1,
                "value_type", "PROPORTION", "unit", d[5]));
          }
        }
      }
    }
    List<Map<String, Object>> summary = new ArrayList<>();
    for (A a : areas) {
      if (!a.level().equals("PRACTICE")) {
        for (String dom : List.of("Primary Care", "Cancer")) {
          summary.add(row("domain", dom, "level", a.level(), "area_code", a.code(), "area_name", a.name(),
              "period_end", Date.valueOf(LocalDate.of(2026, 10, 31)), "indicators_with_value", 1,
              "kpis_with_standard", 1, "kpis_meeting_standard", 0, "share_meeting_standard", 0.0, "rag_green", 0,
              "rag_amber", 0, "rag_red", 1));
        }
      }
    }
    List<Map<String, Object>> risk = new ArrayList<>();
    List<Map<String, Object>> cohorts = new ArrayList<>();
    double[] tierShare = {0.005, 0.045, 0.15, 0.8};
    for (A a : areas) {
      long n = list.get(a.code());
      for (int tier = 1; tier <= 4; tier++) {
        for (String seg : List.of("FRAILTY", "COMPLEX_CHRONIC", "HEALTHY")) {
          double share = seg.equals("HEALTHY") ? (tier <= 2 ? 0.0007 : 0.6) : 0.2;
          long p = Math.round(n * tierShare[tier - 1] * share);
          risk.add(row("level", a.level(), "area_code", a.code(), "parent_code", a.parent(), "tier", tier,
              "segment", seg, "breakdown", "ALL", "breakdown_value", "ALL", "patients", p));
        }
      }
      cohorts.add(row("cohort_id", "FRAIL_HIGH_RISK", "level", a.level(), "area_code", a.code(), "parent_code",
          a.parent(), "members", Math.round(n * 0.01), "denominator", n));
      cohorts.add(row("cohort_id", "RARE_GROUP", "level", a.level(), "area_code", a.code(), "parent_code",
          a.parent(), "members", a.level().equals("PRACTICE") ? 4L : Math.round(n * 0.002), "denominator", n));
    }
    List<Map<String, Object>> patients = List.of(row("patient_id", PATIENT_MARKER, "practice_code", "C84001",
        "pcn_code", "U00011", "risk_score", 0.9, "tier", 1, "segment", "FRAILTY"));
    write(spark, staged, dict, "org_hierarchy", hier, Sensitivity.SHAREABLE);
    write(spark, staged, dict, "registered_population", pop, Sensitivity.SHAREABLE);
    write(spark, staged, dict, "indicator_definitions", defs, Sensitivity.SHAREABLE);
    write(spark, staged, dict, "indicator_values", vals, Sensitivity.SHAREABLE);
    write(spark, staged, dict, "indicator_inequality", ineq, Sensitivity.SHAREABLE);
    write(spark, staged, dict, "indicator_summary", summary, Sensitivity.SHAREABLE);
    write(spark, staged, dict, "risk_stratification", risk, Sensitivity.SHAREABLE);
    write(spark, staged, dict, "cohort_summary", cohorts, Sensitivity.SHAREABLE);
    write(spark, staged, dict, "patient_risk", patients, Sensitivity.RESTRICTED);
    Manifest m = new Manifest(Manifest.SCHEMA_VERSION, "run1", RUN_DATE.toString(), "2026-11-25T02:00:00Z", "test",
        spark.version(), "local", List.of(), staged.tables(), List.of(), Map.of());
    return staged.publish(m, 3);
  }

  private static Map<String, Object> value(String[] d, A a, String label, LocalDate end, String breakdown,
      String bv, double num, double den, double mult, boolean current, Map<String, Long> list) {
    double p = num / den;
    double se = Math.sqrt(p * (1 - p) / den);
    double v = p * mult;
    String rag = d[7] == null ? "NONE" : v >= Double.parseDouble(d[7]) ? "GREEN"
        : v >= Double.parseDouble(d[7]) - 5 ? "AMBER" : "RED";
    return row("indicator_id", d[0], "domain", d[2], "period_type", "rolling_12_months", "period_label", label,
        "period_start", Date.valueOf(end.minusYears(1).plusDays(1)), "period_end", Date.valueOf(end),
        "level", a.level(), "area_code", a.code(), "area_name", a.name(), "parent_code", a.parent(),
        "breakdown", breakdown, "breakdown_value", bv, "numerator", num, "denominator", den, "value", v,
        "lower95", (p - 1.96 * se) * mult, "upper95", (p + 1.96 * se) * mult, "lower998", (p - 3.09 * se) * mult,
        "upper998", (p + 3.09 * se) * mult, "method", d[3], "ci_method", "Wilson", "multiplier", mult, "unit", d[5],
        "ics_value", null, "compared_with", a.level().equals("ICS") ? "NATIONAL" : "ICS",
        "comparison", a.code().hashCode() % 3 == 0 ? "HIGHER" : "SIMILAR",
        "judgement", a.code().hashCode() % 3 == 0 ? (d[6].startsWith("HIGHER") ? "BETTER" : "WORSE") : "SIMILAR",
        "national_value", 58.0, "target", d[7] == null ? null : Double.parseDouble(d[7]), "rag", rag,
        "trend", current && breakdown.equals("ALL") ? (a.code().hashCode() % 2 == 0 ? "IMPROVING"
            : "NO_SIGNIFICANT_CHANGE") : null);
  }

  static Map<String, Object> row(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  /** Builds a Dataset with exactly the dictionary's columns and types (absent keys are null) and writes it. */
  private static void write(SparkSession spark, PackWriter.Staged staged, DataDictionary dict, String name,
      List<Map<String, Object>> rows, Sensitivity sensitivity) {
    DataDictionary.Table t = dict.table(name).orElseThrow(() -> new IllegalStateException("no dictionary " + name));
    StructType schema = new StructType();
    for (DataDictionary.Column c : t.columns()) {
      schema = schema.add(c.name(), type(c.type()));
    }
    List<Row> out = new ArrayList<>();
    for (Map<String, Object> r : rows) {
      Object[] v = new Object[t.columns().size()];
      for (int i = 0; i < v.length; i++) {
        DataDictionary.Column c = t.columns().get(i);
        v[i] = convert(r.get(c.name()), c.type());
      }
      out.add(RowFactory.create(v));
    }
    Dataset<Row> ds = spark.createDataFrame(out, schema);
    staged.write(new PackTable(name, ds, sensitivity));
  }

  private static DataType type(String t) {
    return switch (t) {
      case "string" -> DataTypes.StringType;
      case "double" -> DataTypes.DoubleType;
      case "long" -> DataTypes.LongType;
      case "int" -> DataTypes.IntegerType;
      case "date" -> DataTypes.DateType;
      case "boolean" -> DataTypes.BooleanType;
      case "array<string>" -> DataTypes.createArrayType(DataTypes.StringType);
      default -> throw new IllegalArgumentException("fixture: unsupported dictionary type " + t);
    };
  }

  private static Object convert(Object o, String type) {
    if (o == null) {
      return null;
    }
    return switch (type) {
      case "double" -> ((Number) o).doubleValue();
      case "long" -> ((Number) o).longValue();
      case "int" -> ((Number) o).intValue();
      case "string" -> o.toString();
      default -> o;
    };
  }
}
