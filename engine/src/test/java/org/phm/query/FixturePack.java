package org.phm.query;

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
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.phm.pack.DataDictionary;
import org.phm.pack.Manifest;
import org.phm.pack.PackTable;
import org.phm.pack.PackWriter;
import org.phm.pack.Sensitivity;
import org.phm.testing.LinkedModelSchemas;

/**
 * A small, deterministic pack written with the real {@link PackWriter} (so the real format, manifest,
 * suppression and publish are exercised) for query, export and notebook tests: one ICS, 2 ICPs,
 * 4 PCNs, 12 practices; {@code org_hierarchy}, {@code registered_population}, {@code data_dictionary}
 * and, when the data dictionary describes them, the risk tables (synthetic patients).
 */
public final class FixturePack {
  public static final LocalDate RUN_DATE = LocalDate.of(2026, 11, 1);
  public static final String[] AGE_BANDS = {"0_4", "5_9", "10_14", "15_19", "20_24", "25_29", "30_34", "35_39",
      "40_44", "45_49", "50_54", "55_59", "60_64", "65_69", "70_74", "75_79", "80_84", "85_89", "90_94", "95+"};

  /** One practice of the fixture. */
  public record Practice(String code, String name, String pcn, String pcnName, String icp, String icpName,
      long[] male, long[] female) {
    long listSize() {
      long s = 0;
      for (int i = 0; i < male.length; i++) {
        s += male[i] + female[i];
      }
      return s;
    }
  }

  private static Path shared;

  private FixturePack() {}

  /**
   * One fixture pack per JVM (built on first use in a temporary directory deleted at exit), so test
   * classes that only read it share the cost of writing it.
   */
  public static synchronized Path shared(SparkSession spark) {
    if (shared == null) {
      try {
        Path root = java.nio.file.Files.createTempDirectory("phm-fixture-packs-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          try {
            PackWriter.deleteTree(root);
          } catch (java.io.IOException ignored) {
            // best effort: a temporary directory
          }
        }));
        shared = build(spark, root);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return shared;
  }

  /** The fixture's practices (deterministic). */
  public static List<Practice> practices() {
    Random rnd = new Random(20261101L);
    List<Practice> out = new ArrayList<>();
    String[][] pcns = {{"U10001", "City North PCN", "ICP01", "City ICP"}, {"U10002", "City South PCN", "ICP01", "City ICP"},
        {"U20001", "Riverside PCN", "ICP02", "County ICP"}, {"U20002", "Forest PCN", "ICP02", "County ICP"}};
    for (int p = 0; p < 12; p++) {
      String[] pcn = pcns[p % 4];
      double size = 2500 + rnd.nextInt(9000);
      double older = 0.6 + 0.9 * rnd.nextDouble(); // skews some practices older
      long[] m = new long[AGE_BANDS.length];
      long[] f = new long[AGE_BANDS.length];
      for (int a = 0; a < AGE_BANDS.length; a++) {
        double shape = a < 13 ? 1.0 : Math.pow(older, 1.0) * Math.exp(-(a - 12) * 0.35);
        double base = size / 14.0 * shape;
        m[a] = Math.round(base * (0.9 + 0.2 * rnd.nextDouble()) / 2);
        f[a] = Math.round(base * (0.95 + 0.2 * rnd.nextDouble()) / 2);
      }
      out.add(new Practice(String.format("C8%04d", p + 1), "Practice " + (p + 1), pcn[0], pcn[1], pcn[2], pcn[3], m, f));
    }
    return out;
  }

  /** Writes and publishes the fixture pack under {@code packsRoot}; returns {@code packsRoot/latest}. */
  public static Path build(SparkSession spark, Path packsRoot) {
    DataDictionary dictionary = DataDictionary.load();
    PackWriter writer = new PackWriter(packsRoot, dictionary, 7);
    PackWriter.Staged staged = writer.stage("fixture", RUN_DATE);
    List<Practice> practices = practices();
    staged.write(new PackTable("org_hierarchy", hierarchy(spark, practices), Sensitivity.SHAREABLE));
    staged.write(new PackTable("registered_population", population(spark, practices), Sensitivity.SHAREABLE));
    if (dictionary.table("data_dictionary").isPresent()) {
      staged.write(new PackTable("data_dictionary", dictionaryRows(spark, dictionary), Sensitivity.INTERNAL));
    }
    if (dictionary.table("patient_risk").isPresent()) {
      Dataset<Row> risk = patientRisk(spark, practices);
      staged.write(new PackTable("patient_risk", risk, Sensitivity.RESTRICTED));
      risk.createOrReplaceTempView("fixture_patient_risk");
      if (dictionary.table("cohort_members").isPresent()) {
        staged.write(new PackTable("cohort_members", spark.sql(
            "SELECT c AS cohort_id, patient_id, practice_code, pcn_code, risk_score, tier, segment"
                + " FROM fixture_patient_risk LATERAL VIEW explode(cohorts) t AS c"), Sensitivity.RESTRICTED));
      }
      if (dictionary.table("risk_stratification").isPresent()) {
        String parent = "CASE WHEN pcn_code LIKE 'U1%' THEN 'ICP01' ELSE 'ICP02' END";
        // deprivation quintile (1 = most deprived), skewed so that higher-risk patients are more deprived
        String quintile = "CAST(greatest(1, 1 + pmod(hash(patient_id), 5) - CASE WHEN risk_score > 0.3 THEN"
            + " pmod(hash(patient_id, 1), 3) ELSE 0 END) AS STRING)";
        staged.write(new PackTable("risk_stratification", spark.sql(
            "SELECT 'PCN' AS level, pcn_code AS area_code, " + parent + " AS parent_code, tier, segment,"
                + " 'ALL' AS breakdown, 'ALL' AS breakdown_value, count(*) AS patients"
                + " FROM fixture_patient_risk GROUP BY pcn_code, tier, segment"
                + " UNION ALL SELECT 'ICS', 'QT1', '', tier, segment, 'ALL', 'ALL', count(*)"
                + " FROM fixture_patient_risk GROUP BY tier, segment"
                + " UNION ALL SELECT 'ICS', 'QT1', '', tier, segment, 'IMD_QUINTILE', " + quintile + ", count(*)"
                + " FROM fixture_patient_risk GROUP BY tier, segment, " + quintile), Sensitivity.SHAREABLE));
      }
      if (dictionary.table("cohort_summary").isPresent()) {
        staged.write(new PackTable("cohort_summary", spark.sql(
            "SELECT c AS cohort_id, 'PCN' AS level, pcn_code AS area_code, CASE WHEN pcn_code LIKE 'U1%'"
                + " THEN 'ICP01' ELSE 'ICP02' END AS parent_code, count(*) AS members,"
                + " CAST(1000 AS BIGINT) AS denominator"
                + " FROM fixture_patient_risk LATERAL VIEW explode(cohorts) t AS c GROUP BY c, pcn_code"),
            Sensitivity.SHAREABLE));
      }
    }
    Manifest m = new Manifest(Manifest.SCHEMA_VERSION, "fixture", RUN_DATE.toString(), "2026-11-01T02:00:00Z",
        "test", spark.version(), "local", List.of(), staged.tables(), List.of(), Map.of());
    staged.publish(m, 3);
    return packsRoot.resolve(PackWriter.LATEST);
  }

  static Dataset<Row> hierarchy(SparkSession spark, List<Practice> practices) {
    List<Row> rows = new ArrayList<>();
    for (Practice p : practices) {
      rows.add(RowFactory.create(p.code(), p.name(), p.pcn(), p.pcnName(), "52R", "Test sub-ICB", p.icp(),
          p.icpName(), "QT1", "Test ICS", p.listSize()));
    }
    return spark.createDataFrame(rows, LinkedModelSchemas.ORG_HIERARCHY);
  }

  /** Registered population at every level, computed in plain Java from the practice counts. */
  static Dataset<Row> population(SparkSession spark, List<Practice> practices) {
    record Area(String level, String code, String name, String parent) {}
    Map<Area, long[][]> areas = new LinkedHashMap<>(); // [sex M/F][band]
    for (Practice p : practices) {
      for (Area a : List.of(new Area("ICS", "QT1", "Test ICS", ""), new Area("ICP", p.icp(), p.icpName(), "QT1"),
          new Area("PCN", p.pcn(), p.pcnName(), p.icp()), new Area("PRACTICE", p.code(), p.name(), p.pcn()))) {
        long[][] c = areas.computeIfAbsent(a, k -> new long[2][AGE_BANDS.length]);
        for (int b = 0; b < AGE_BANDS.length; b++) {
          c[0][b] += p.male()[b];
          c[1][b] += p.female()[b];
        }
      }
    }
    StructType schema = new StructType().add("extract_date", DataTypes.DateType).add("level", DataTypes.StringType)
        .add("area_code", DataTypes.StringType).add("area_name", DataTypes.StringType)
        .add("parent_code", DataTypes.StringType).add("sex", DataTypes.StringType)
        .add("age_band", DataTypes.StringType).add("patients", DataTypes.LongType);
    Date extract = Date.valueOf(RUN_DATE.minusDays(1));
    List<Row> rows = new ArrayList<>();
    areas.forEach((a, c) -> {
      long all = 0;
      String[] sexes = {"M", "F"};
      for (int s = 0; s < 2; s++) {
        long sexTotal = 0;
        for (int b = 0; b < AGE_BANDS.length; b++) {
          rows.add(RowFactory.create(extract, a.level(), a.code(), a.name(), a.parent(), sexes[s], AGE_BANDS[b], c[s][b]));
          sexTotal += c[s][b];
        }
        rows.add(RowFactory.create(extract, a.level(), a.code(), a.name(), a.parent(), sexes[s], "ALL", sexTotal));
        all += sexTotal;
      }
      for (int b = 0; b < AGE_BANDS.length; b++) {
        rows.add(RowFactory.create(extract, a.level(), a.code(), a.name(), a.parent(), "ALL", AGE_BANDS[b],
            c[0][b] + c[1][b]));
      }
      rows.add(RowFactory.create(extract, a.level(), a.code(), a.name(), a.parent(), "ALL", "ALL", all));
    });
    return spark.createDataFrame(rows, schema);
  }

  static Dataset<Row> dictionaryRows(SparkSession spark, DataDictionary dictionary) {
    StructType schema = LinkedModelSchemas.strings("table_name", "table_sensitivity", "table_description",
        "column_name", "column_type", "unit", "allowed_values", "role", "column_description");
    List<Row> rows = new ArrayList<>();
    for (DataDictionary.Table t : dictionary.tables()) {
      for (DataDictionary.Column c : t.columns()) {
        rows.add(RowFactory.create(t.name(), t.sensitivity(), t.description(), c.name(), c.type(), c.unit(),
            c.allowed() == null ? null : String.join(",", c.allowed()), c.role(), c.description()));
      }
    }
    return spark.createDataFrame(rows, schema);
  }

  static String pseudonym(String seed) {
    try {
      byte[] d = java.security.MessageDigest.getInstance("SHA-256")
          .digest(seed.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(d);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Synthetic patient-level risk rows (pseudonymous ids, 150 per practice). */
  static Dataset<Row> patientRisk(SparkSession spark, List<Practice> practices) {
    Random rnd = new Random(7L);
    String[] segments = {"HEALTHY", "STABLE_CHRONIC", "COMPLEX_CHRONIC", "FRAILTY", "END_OF_LIFE"};
    String[] factors = {"age", "prior_emergency_admissions", "ltc_count", "efi", "imd_decile", "ae_attendances"};
    StructType schema = new StructType().add("patient_id", DataTypes.StringType)
        .add("practice_code", DataTypes.StringType).add("pcn_code", DataTypes.StringType)
        .add("risk_score", DataTypes.DoubleType).add("tier", DataTypes.IntegerType)
        .add("segment", DataTypes.StringType).add("efi", DataTypes.DoubleType)
        .add("efi_category", DataTypes.StringType).add("ltc_count", DataTypes.IntegerType)
        .add("cohorts", DataTypes.createArrayType(DataTypes.StringType))
        .add("top_factor_1", DataTypes.StringType).add("top_factor_2", DataTypes.StringType)
        .add("top_factor_3", DataTypes.StringType);
    List<Row> rows = new ArrayList<>();
    int n = 0;
    for (Practice p : practices) {
      for (int i = 0; i < 150; i++) {
        double score = Math.pow(rnd.nextDouble(), 3) * 0.8;
        int tier = score > 0.5 ? 1 : score > 0.3 ? 2 : score > 0.1 ? 3 : 4;
        int ltc = (int) Math.round(score * 8 + rnd.nextInt(2));
        double efi = Math.min(1, score * 0.6 + rnd.nextDouble() * 0.1);
        String cat = efi <= 0.12 ? "fit" : efi <= 0.24 ? "mild" : efi <= 0.36 ? "moderate" : "severe";
        List<String> cohorts = new ArrayList<>();
        if (efi > 0.24) {
          cohorts.add("frailty_moderate_severe");
        }
        if (ltc >= 4) {
          cohorts.add("multimorbidity_4plus");
        }
        String id = pseudonym("fixture-" + n++);
        rows.add(RowFactory.create(id, p.code(), p.pcn(), score, tier, segments[Math.min(4, ltc / 2)], efi, cat, ltc,
            cohorts.toArray(new String[0]), factors[rnd.nextInt(6)], tier <= 2 ? factors[rnd.nextInt(6)] : null,
            null));
      }
    }
    return spark.createDataFrame(rows, schema);
  }
}
