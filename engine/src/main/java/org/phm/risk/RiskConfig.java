package org.phm.risk;

import java.nio.file.Path;
import java.time.MonthDay;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.spark.sql.types.StructType;
import org.phm.codelists.CodeLists;
import org.phm.cohorts.CohortCatalogue;
import org.phm.cohorts.CohortDefinition;

/**
 * Risk stratification settings: features, eFI cut-offs, tiers, segment rules, model settings, seed
 * and the case-finding cohorts. Loaded from YAML ({@code risk/risk.yaml} on the classpath by
 * default) and validated on load, including every column named by a segment rule, a model feature
 * or a cohort criterion.
 *
 * @param source file the settings came from (for messages)
 * @param cohorts cohort definitions (from {@code cohorts_file} if the YAML names one, else the default cohorts)
 */
public record RiskConfig(
    String source,
    long seed,
    List<Integer> ageBands,
    FeatureSettings features,
    EfiSettings efi,
    List<Tier> tiers,
    List<SegmentRule> segments,
    ModelSettings model,
    List<CohortDefinition> cohorts) {

  /** Default settings file on the classpath. */
  public static final String DEFAULT_RESOURCE = "risk/risk.yaml";
  private static final Pattern COLUMN = Pattern.compile("^[a-z][a-z0-9_]*$");
  private static final Pattern SEGMENT_ID = Pattern.compile("^[A-Z][A-Z0-9_]*$");

  /** Latest value of an observation within a lookback, written to {@code column}. */
  public record LatestValue(String observationId, String column, int lookbackMonths) {}

  /** How patient features are derived. */
  public record FeatureSettings(
      List<LatestValue> latestValues,
      Map<String, String> smokingStatus,
      String fluObservationId,
      MonthDay fluSeasonStart,
      Map<String, Integer> conditionLookbackMonths,
      List<String> gpContactEventTypes) {}

  /** eFI category cut-offs (upper bounds inclusive) and the derived polypharmacy deficit. */
  public record EfiSettings(
      double mildAbove, double moderateAbove, double severeAbove,
      int polypharmacyDeficitId, String polypharmacyColumn, int polypharmacyMinMedicines) {}

  /** One pyramid tier; {@code share} of the registered population (the last tier takes the remainder). */
  public record Tier(int tier, String name, double share) {}

  /** A segment rule: Spark SQL boolean expression over feature columns. */
  public record SegmentRule(String id, String name, String rule) {}

  /** Emergency admission model settings. */
  public record ModelSettings(
      double trainFraction,
      int maxTrainingPatients,
      List<String> numericFeatures,
      List<String> categoricalFeatures,
      int lrMaxIter, double lrRegParam, double lrElasticNet,
      boolean gbtEnabled, int gbtMaxIter, int gbtMaxDepth, double gbtStepSize, int gbtMaxBins) {}

  /** The default settings ({@code risk/risk.yaml}) and cohorts ({@code cohorts/cohorts.yaml}). */
  public static RiskConfig defaults() {
    return parse(ConfigNode.parseResource(DEFAULT_RESOURCE), null);
  }

  /**
   * Settings from a user file. A {@code cohorts_file} entry (relative to the settings file) replaces
   * the default cohorts.
   */
  public static RiskConfig load(Path file) {
    return parse(ConfigNode.parse(file), file.toAbsolutePath().getParent());
  }

  /** Same settings with another seed (e.g. for sensitivity runs). */
  public RiskConfig withSeed(long newSeed) {
    return new RiskConfig(source, newSeed, ageBands, features, efi, tiers, segments, model, cohorts);
  }

  /** Same settings with other model settings. */
  public RiskConfig withModel(ModelSettings newModel) {
    return new RiskConfig(source, seed, ageBands, features, efi, tiers, segments, newModel, cohorts);
  }

  /** Age band labels, e.g. {@code 0-17, 18-44, ..., 85+}. */
  public List<String> ageBandLabels() {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < ageBands.size(); i++) {
      out.add(i + 1 < ageBands.size() ? ageBands.get(i) + "-" + (ageBands.get(i + 1) - 1) : ageBands.get(i) + "+");
    }
    return out;
  }

  static RiskConfig parse(ConfigNode root, Path dir) {
    root.allowOnly("seed", "age_bands", "features", "efi", "tiers", "segments", "model", "cohorts_file");
    CodeLists codes = CodeLists.load();
    long seed = root.get("seed").longValue();
    List<Integer> ageBands = ageBands(root.get("age_bands"));
    FeatureSettings features = features(root.get("features"), codes);
    EfiSettings efi = efi(root.get("efi"), codes, features);
    List<Tier> tiers = tiers(root.get("tiers"));
    StructType featureSchema = PatientFeatures.schema(features, codes);
    Set<String> featureColumns = new LinkedHashSet<>(List.of(featureSchema.fieldNames()));
    List<SegmentRule> segments = segments(root.get("segments"), featureColumns);
    ModelSettings model = model(root.get("model"), featureSchema);
    StructType riskSchema = RiskStage.patientRiskSchema(featureSchema);
    List<CohortDefinition> cohorts;
    if (root.has("cohorts_file")) {
      String f = root.get("cohorts_file").text();
      Path p = dir == null ? Path.of(f) : dir.resolve(f);
      cohorts = CohortCatalogue.load(p, riskSchema);
    } else {
      cohorts = CohortCatalogue.defaults(riskSchema);
    }
    return new RiskConfig(root.source(), seed, ageBands, features, efi, tiers, segments, model, cohorts);
  }

  private static List<Integer> ageBands(ConfigNode n) {
    List<Integer> out = new ArrayList<>();
    for (ConfigNode b : n.list()) {
      int v = b.intValue();
      if (out.isEmpty() && v != 0) {
        throw b.error("the first age band must start at 0");
      }
      if (!out.isEmpty() && v <= out.get(out.size() - 1)) {
        throw b.error("age band lower bounds must increase");
      }
      out.add(v);
    }
    if (out.size() < 2) {
      throw n.error("at least two age bands are required");
    }
    return List.copyOf(out);
  }

  private static FeatureSettings features(ConfigNode n, CodeLists codes) {
    n.allowOnly("latest_values", "smoking_status", "flu_vaccination",
        "condition_lookback_months", "gp_contact_event_types");
    Set<String> obs = codes.observationIds();
    List<LatestValue> latest = new ArrayList<>();
    Set<String> cols = new HashSet<>();
    for (ConfigNode lv : n.get("latest_values").list()) {
      lv.allowOnly("observation_id", "column", "lookback_months");
      String id = lv.get("observation_id").text();
      if (!obs.contains(id)) {
        throw lv.get("observation_id").error("unknown observation_id '" + id + "' (not in " + CodeLists.OBSERVATIONS + ")");
      }
      for (CodeLists.ObservationCode o : codes.observations()) {
        if (o.observationId().equals(id) && (o.valueMin() == null || o.valueMax() == null)) {
          throw lv.get("observation_id").error("observation_id '" + id + "': code " + o.code() + " has no value_min"
              + " and value_max in " + CodeLists.OBSERVATIONS + " (a latest value is kept within that plausible range)");
        }
      }
      String col = column(lv.get("column"));
      if (!cols.add(col)) {
        throw lv.get("column").error("column '" + col + "' is used twice");
      }
      latest.add(new LatestValue(id, col, positive(lv.get("lookback_months"))));
    }
    Map<String, String> smoking = new LinkedHashMap<>();
    n.get("smoking_status").fields().forEach((id, v) -> {
      if (!obs.contains(id)) {
        throw v.error("unknown observation_id '" + id + "' (not in " + CodeLists.OBSERVATIONS + ")");
      }
      smoking.put(id, v.text());
    });
    if (smoking.isEmpty()) {
      throw n.get("smoking_status").error("at least one observation_id is required");
    }
    ConfigNode flu = n.get("flu_vaccination").allowOnly("observation_id", "season_start");
    String fluId = flu.get("observation_id").text();
    if (!obs.contains(fluId)) {
      throw flu.get("observation_id").error("unknown observation_id '" + fluId + "' (not in " + CodeLists.OBSERVATIONS + ")");
    }
    MonthDay season;
    try {
      season = MonthDay.parse("--" + flu.get("season_start").text(), DateTimeFormatter.ofPattern("--MM-dd"));
    } catch (DateTimeParseException e) {
      throw flu.get("season_start").error("expected MM-dd, e.g. '09-01'");
    }
    Map<String, Integer> lookbacks = new LinkedHashMap<>();
    if (n.has("condition_lookback_months")) {
      List<String> ids = codes.conditionIds();
      n.get("condition_lookback_months").fields().forEach((id, v) -> {
        if (!ids.contains(id)) {
          throw v.error("unknown condition_id '" + id + "' (not in " + CodeLists.CONDITIONS + ")");
        }
        lookbacks.put(id, positive(v));
      });
    }
    List<String> contactTypes = n.get("gp_contact_event_types").textList();
    return new FeatureSettings(List.copyOf(latest), Map.copyOf(smoking), fluId, season,
        Map.copyOf(lookbacks), List.copyOf(contactTypes));
  }

  private static EfiSettings efi(ConfigNode n, CodeLists codes, FeatureSettings features) {
    n.allowOnly("mild_above", "moderate_above", "severe_above", "polypharmacy");
    double mild = fraction(n.get("mild_above"));
    double moderate = fraction(n.get("moderate_above"));
    double severe = fraction(n.get("severe_above"));
    if (!(mild < moderate && moderate < severe)) {
      throw n.error("cut-offs must increase: mild_above < moderate_above < severe_above");
    }
    ConfigNode p = n.get("polypharmacy").allowOnly("deficit_id", "column", "min_medicines");
    int id = p.get("deficit_id").intValue();
    if (codes.deficits().stream().noneMatch(d -> d.deficitId() == id)) {
      throw p.get("deficit_id").error("deficit " + id + " is not in " + CodeLists.DEFICITS);
    }
    String col = p.get("column").text();
    if (features.latestValues().stream().noneMatch(l -> l.column().equals(col))) {
      throw p.get("column").error("'" + col + "' is not a features.latest_values column");
    }
    return new EfiSettings(mild, moderate, severe, id, col, positive(p.get("min_medicines")));
  }

  private static List<Tier> tiers(ConfigNode n) {
    List<ConfigNode> items = n.list();
    if (items.size() < 2) {
      throw n.error("at least two tiers are required");
    }
    List<Tier> out = new ArrayList<>();
    double total = 0;
    for (int i = 0; i < items.size(); i++) {
      ConfigNode t = items.get(i).allowOnly("tier", "name", "share");
      int tier = t.get("tier").intValue();
      if (tier != i + 1) {
        throw t.get("tier").error("tiers must be numbered 1, 2, ... in order (expected " + (i + 1) + ")");
      }
      ConfigNode s = t.get("share");
      double share;
      if (i == items.size() - 1) {
        if (s.isNumber() || !"remainder".equals(s.text())) {
          throw s.error("the last tier takes the remainder: write share: remainder");
        }
        share = 1.0 - total;
      } else {
        share = s.isNumber() ? s.doubleValue() : Double.NaN;
        if (!(share > 0 && share < 1)) {
          throw s.error("must be a number in (0, 1)");
        }
        total += share;
        if (total >= 1.0) {
          throw s.error("tier shares add up to 1 or more before the last tier");
        }
      }
      out.add(new Tier(tier, t.get("name").text(), share));
    }
    return List.copyOf(out);
  }

  private static List<SegmentRule> segments(ConfigNode n, Set<String> columns) {
    List<SegmentRule> out = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    List<ConfigNode> items = n.list();
    if (items.isEmpty()) {
      throw n.error("at least one segment is required");
    }
    for (int i = 0; i < items.size(); i++) {
      ConfigNode s = items.get(i).allowOnly("id", "name", "rule");
      String id = s.get("id").text();
      if (!SEGMENT_ID.matcher(id).matches()) {
        throw s.get("id").error("segment id '" + id + "' must be upper case letters, digits and _");
      }
      if (!ids.add(id)) {
        throw s.get("id").error("segment id '" + id + "' is defined twice");
      }
      String rule = s.get("rule").text();
      String where = s.source() + ": " + s.path() + " (segment " + id + ")";
      var expr = SqlRules.validate(rule, columns, where);
      if (i == items.size() - 1 && !SqlRules.isTrueLiteral(expr)) {
        throw s.get("rule").error("the last segment (" + id + ") must be the catch-all with rule: \"true\"");
      }
      out.add(new SegmentRule(id, s.get("name").text(), rule));
    }
    return List.copyOf(out);
  }

  private static ModelSettings model(ConfigNode n, StructType featureSchema) {
    n.allowOnly("train_fraction", "max_training_patients", "numeric_features", "categorical_features", "logistic_regression", "gbt");
    double train = fraction(n.get("train_fraction"));
    Set<String> cols = Set.of(featureSchema.fieldNames());
    List<String> numeric = n.get("numeric_features").textList();
    List<String> categorical = n.has("categorical_features") ? n.get("categorical_features").textList() : List.of();
    for (String f : numeric) {
      if (!cols.contains(f)) {
        throw n.get("numeric_features").error("unknown feature column '" + f + "'");
      }
      if (!(featureSchema.apply(f).dataType() instanceof org.apache.spark.sql.types.NumericType)) {
        throw n.get("numeric_features").error("feature '" + f + "' is not numeric; list it under categorical_features");
      }
    }
    for (String f : categorical) {
      if (!cols.contains(f)) {
        throw n.get("categorical_features").error("unknown feature column '" + f + "'");
      }
    }
    if (numeric.isEmpty()) {
      throw n.get("numeric_features").error("at least one numeric feature is required");
    }
    ConfigNode lr = n.get("logistic_regression").allowOnly("max_iter", "reg_param", "elastic_net");
    ConfigNode gbt = n.get("gbt").allowOnly("enabled", "max_iter", "max_depth", "step_size", "max_bins");
    int maxTraining = n.has("max_training_patients") ? positive(n.get("max_training_patients")) : Integer.MAX_VALUE;
    return new ModelSettings(train, maxTraining, List.copyOf(numeric), List.copyOf(categorical),
        positive(lr.get("max_iter")), nonNegative(lr.get("reg_param")), fractionOrZero(lr.get("elastic_net")),
        gbt.get("enabled").booleanValue(), positive(gbt.get("max_iter")), positive(gbt.get("max_depth")),
        fraction(gbt.get("step_size")), positive(gbt.get("max_bins")));
  }

  private static String column(ConfigNode n) {
    String c = n.text();
    if (!COLUMN.matcher(c).matches()) {
      throw n.error("column name '" + c + "' must be snake_case");
    }
    return c;
  }

  private static int positive(ConfigNode n) {
    int v = n.intValue();
    if (v <= 0) {
      throw n.error("must be a positive whole number");
    }
    return v;
  }

  private static double nonNegative(ConfigNode n) {
    double v = n.doubleValue();
    if (v < 0) {
      throw n.error("must not be negative");
    }
    return v;
  }

  private static double fraction(ConfigNode n) {
    double v = n.doubleValue();
    if (!(v > 0 && v < 1)) {
      throw n.error("must be a number in (0, 1)");
    }
    return v;
  }

  private static double fractionOrZero(ConfigNode n) {
    double v = n.doubleValue();
    if (!(v >= 0 && v <= 1)) {
      throw n.error("must be a number in [0, 1]");
    }
    return v;
  }
}
