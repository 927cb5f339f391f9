package org.phm.indicators;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.MonthDay;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.phm.codelists.CodeLists;
import org.phm.config.ConfigException;
import org.phm.indicators.IndicatorDefinition.Part;
import org.phm.risk.SqlRules;
import org.phm.stats.Polarity;

/**
 * The indicator catalogue: indicator definitions, the patient features they use and the code lists, read
 * from YAML and validated on load (unknown fields, unknown datasets or columns, invalid Spark SQL, bad
 * methods or levels are reported naming the file, the indicator id and the field). Adding an indicator of a
 * supported method is a YAML change only. Filters and measures have {@code @{name}} placeholders expanded
 * to a quoted list from {@code code_lists} before they are parsed.
 */
public record IndicatorCatalogue(
    int version, String source, List<AgeBand> ageBands, Periods.FluSeason fluSeason,
    Map<String, List<String>> codeLists, List<Feature> features, List<IndicatorDefinition> indicators) {

  /** Classpath location of the default catalogue. */
  public static final String DEFAULT_RESOURCE = "indicators/catalogue.yaml";

  public static final List<String> METHODS =
      List.of("count", "proportion", "crude_rate", "dsr", "isr", "ratio", "mean", "median", "percentile");
  public static final List<String> LEVELS = List.of("ICS", "ICP", "PCN", "PRACTICE", "PROVIDER");
  public static final List<String> PERIODS =
      List.of("rolling_12_months", "quarter", "latest_month", "latest_snapshot", "season", "at_period_end");
  public static final List<String> COUNTS = List.of("rows", "patients", "sum", "measure");
  public static final List<String> FEATURE_KINDS =
      List.of("ever", "distinct_groups", "latest_value", "latest_group", "in_window", "expression");

  /** An age band of the AGE_BAND breakdown ({@code max} null = open-ended). */
  public record AgeBand(String label, int min, Integer max) {}

  /**
   * A patient feature derived from coded GP events at each period end, usable as a column in filters on the
   * {@code patients} dataset (period at_period_end). Kinds: ever (coded on or before the period end),
   * distinct_groups (number of groups ever coded), latest_value (value of the latest event within
   * lookback_months; latest date, then highest value), latest_group (group of the latest event within
   * lookback_months, 0 = ever; same date: the group whose name sorts last), in_window
   * (any event within the indicator period type named in {@code period}), expression (Spark SQL over
   * other features and patient columns).
   */
  public record Feature(String name, String kind, List<String> codes, Map<String, List<String>> groups,
      Integer lookbackMonths, String period, String expr, String description) {}

  /** Columns of each linked-model dataset (docs/ARCHITECTURE.md "Linked model"). */
  static final Map<String, List<String>> DATASET_COLUMNS = Map.ofEntries(
      Map.entry("patients", List.of("patient_id", "birth_date", "sex", "ethnicity_group", "practice_code", "pcn_code",
          "icp_code", "ics_code", "lsoa_code", "imd_decile", "imd_quintile", "registration_start", "registration_end",
          "death_date", "age", "age_band_5", "esp_age_band", "registered", "opted_out")),
      Map.entry("events", List.of("patient_id", "event_date", "event_type", "code", "value", "unit")),
      Map.entry("ae", List.of("attendance_id", "patient_id", "provider_code", "department_type", "arrival_time",
          "decision_to_admit_time", "departure_time", "disposal", "minutes_in_department")),
      Map.entry("spells", List.of("spell_id", "patient_id", "provider_code", "admission_date", "discharge_date",
          "admission_method", "is_emergency", "is_elective", "primary_diagnosis", "discharge_method",
          "length_of_stay_days")),
      Map.entry("outpatients", List.of("appointment_id", "patient_id", "provider_code", "appointment_date",
          "specialty_code", "first_attendance", "outcome")),
      Map.entry("rtt", List.of("snapshot_date", "pathway_id", "patient_id", "provider_code", "specialty_code",
          "clock_start_date", "weeks_waiting")),
      Map.entry("diagnostics", List.of("snapshot_date", "request_id", "patient_id", "provider_code", "test_code",
          "request_date", "weeks_waiting")),
      Map.entry("cancer", List.of("pathway_id", "patient_id", "provider_code", "referral_type", "referral_date",
          "first_seen_date", "cancer_diagnosed", "decision_to_treat_date", "first_treatment_date",
          "treatment_modality")),
      Map.entry("iapt", List.of("referral_id", "patient_id", "referral_date", "first_treatment_date", "end_date",
          "treatment_sessions", "caseness_start", "caseness_end")));

  /** Default date column placing a dataset's rows in a period. */
  static final Map<String, String> DEFAULT_DATE = Map.of(
      "events", "event_date", "ae", "arrival_time", "spells", "admission_date", "outpatients", "appointment_date",
      "rtt", "snapshot_date", "diagnostics", "snapshot_date", "cancer", "referral_date", "iapt", "referral_date");

  /** Patient attributes joined to every event dataset row (age is age at the row's date). */
  static final List<String> PATIENT_ATTRIBUTES = List.of("age", "sex", "ethnicity_group", "imd_quintile",
      "imd_decile", "practice_code", "pcn_code", "icp_code", "ics_code", "lsoa_code", "birth_date");

  /** Column every part may use: the end date of the period the row is evaluated for. */
  static final List<String> PERIOD_COLUMNS = List.of("period_end");

  private static final Pattern PLACEHOLDER = Pattern.compile("@\\{([A-Za-z0-9_]+)}");
  private static final Pattern ID = Pattern.compile("^[A-Z][A-Z0-9_]{1,40}$");
  private static final Pattern NAME = Pattern.compile("^[a-z][a-z0-9_]{0,40}$");
  private static final Set<String> TOP_FIELDS =
      Set.of("catalogue_version", "description", "age_bands", "flu_season", "code_lists", "features", "indicators");
  private static final Set<String> FLU_SEASON_FIELDS = Set.of("start", "end");
  private static final Set<String> INDICATOR_FIELDS = Set.of("id", "name", "domain", "definition", "unit", "method",
      "multiplier", "polarity", "target", "national_value", "national_period", "rag", "levels", "frequency",
      "period", "source", "caveats", "ipr_kpi", "standard_age_max", "inequality", "numerator", "denominator");
  private static final Set<String> PART_FIELDS =
      Set.of("dataset", "filter", "period", "date", "count", "measure", "percentile");
  private static final Set<String> RAG_FIELDS = Set.of("rule", "amber_within", "against");
  private static final Set<String> FEATURE_FIELDS =
      Set.of("name", "kind", "codes", "groups", "lookback_months", "period", "expr", "description");
  private static final Set<String> AGE_BAND_FIELDS = Set.of("label", "min", "max");

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public IndicatorCatalogue {
    ageBands = List.copyOf(ageBands);
    codeLists = Map.copyOf(codeLists);
    features = List.copyOf(features);
    indicators = List.copyOf(indicators);
  }

  /** The catalogue shipped on the classpath. */
  public static IndicatorCatalogue defaults() {
    try (InputStream in = IndicatorCatalogue.class.getClassLoader().getResourceAsStream(DEFAULT_RESOURCE)) {
      if (in == null) {
        throw new ConfigException(DEFAULT_RESOURCE + ": not found on the classpath");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), DEFAULT_RESOURCE);
    } catch (IOException e) {
      throw new ConfigException(DEFAULT_RESOURCE + ": cannot read: " + e.getMessage(), e);
    }
  }

  /** A catalogue file (e.g. a local variant of the default). */
  public static IndicatorCatalogue load(Path file) {
    try {
      return parse(Files.readString(file), file.toString());
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
    }
  }

  /** Parses and validates catalogue YAML; {@code source} names the file in error messages. */
  public static IndicatorCatalogue parse(String yaml, String source) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (IOException e) {
      throw new ConfigException(source + ": not valid YAML: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new ConfigException(source + ": expected a mapping with catalogue_version and indicators");
    }
    checkFields(root, TOP_FIELDS, source + ": top level");
    if (!root.path("catalogue_version").canConvertToInt()) {
      throw new ConfigException(source + ": catalogue_version: required whole number");
    }
    int version = root.get("catalogue_version").asInt();

    List<AgeBand> bands = new ArrayList<>();
    for (JsonNode n : list(root, "age_bands", source)) {
      checkFields(n, AGE_BAND_FIELDS, source + ": age_bands");
      bands.add(convert(n, AgeBand.class, source + ": age_bands"));
    }
    if (bands.isEmpty()) {
      throw new ConfigException(source + ": age_bands: at least one band is required");
    }
    for (int i = 0; i < bands.size(); i++) {
      AgeBand b = bands.get(i);
      int expectedMin = i == 0 ? 0 : bands.get(i - 1).max() + 1;
      if (b.label() == null || b.min() != expectedMin || (i < bands.size() - 1 && (b.max() == null || b.max() < b.min()))
          || (i == bands.size() - 1 && b.max() != null)) {
        throw new ConfigException(source + ": age_bands: band " + (i + 1) + " (" + b.label()
            + ") must start at " + expectedMin + " and bands must be contiguous, the last open-ended (no max)");
      }
    }

    Periods.FluSeason fluSeason = fluSeason(root.path("flu_season"), source);

    Map<String, List<String>> codeLists = new LinkedHashMap<>();
    JsonNode cl = root.path("code_lists");
    if (!cl.isMissingNode() && !cl.isNull()) {
      if (!cl.isObject()) {
        throw new ConfigException(source + ": code_lists: expected a mapping of name to list of codes");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = cl.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getValue().isArray() || e.getValue().isEmpty()) {
          throw new ConfigException(source + ": code_lists." + e.getKey() + ": expected a non-empty list of codes");
        }
        List<String> codes = new ArrayList<>();
        e.getValue().forEach(c -> codes.add(c.asText()));
        codeLists.put(e.getKey(), List.copyOf(codes));
      }
    }

    List<Feature> features = new ArrayList<>();
    Set<String> featureNames = new LinkedHashSet<>();
    for (JsonNode n : list(root, "features", source)) {
      String where = source + ": feature " + n.path("name").asText("?");
      checkFields(n, FEATURE_FIELDS, where);
      Feature f = convert(n, Feature.class, where);
      validateFeature(f, featureNames, where);
      features.add(f);
      featureNames.add(f.name());
    }

    List<IndicatorDefinition> indicators = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (JsonNode n : list(root, "indicators", source)) {
      String id = n.path("id").asText("?");
      String where = source + ": indicator " + id;
      checkFields(n, INDICATOR_FIELDS, where);
      for (String p : List.of("numerator", "denominator")) {
        if (n.has(p) && !n.get(p).isNull()) {
          checkFields(n.get(p), PART_FIELDS, where + ": " + p);
        }
      }
      if (n.has("rag") && !n.get("rag").isNull()) {
        checkFields(n.get("rag"), RAG_FIELDS, where + ": rag");
      }
      IndicatorDefinition d = convert(n, IndicatorDefinition.class, where);
      d = expandPlaceholders(d, codeLists, where);
      validateIndicator(d, featureNames, where);
      if (!ids.add(d.id())) {
        throw new ConfigException(where + ": id: defined twice");
      }
      indicators.add(d);
    }
    if (indicators.isEmpty()) {
      throw new ConfigException(source + ": indicators: at least one indicator is required");
    }
    return new IndicatorCatalogue(version, source, bands, fluSeason, codeLists, features, indicators);
  }

  /** The {@code flu_season} mapping (start and end as MM-dd); absent: {@link Periods.FluSeason#DEFAULT}. */
  private static Periods.FluSeason fluSeason(JsonNode n, String source) {
    if (n.isMissingNode() || n.isNull()) {
      return Periods.FluSeason.DEFAULT;
    }
    if (!n.isObject()) {
      throw new ConfigException(source + ": flu_season: expected a mapping with start and end, e.g. {start: '09-01', end: '02-29'}");
    }
    checkFields(n, FLU_SEASON_FIELDS, source + ": flu_season");
    return new Periods.FluSeason(monthDay(n, "start", source), monthDay(n, "end", source));
  }

  private static MonthDay monthDay(JsonNode season, String field, String source) {
    JsonNode v = season.path(field);
    String where = source + ": flu_season." + field;
    if (!v.isTextual()) {
      throw new ConfigException(where + ": required, a quoted MM-dd date such as '09-01'");
    }
    try {
      return MonthDay.parse("--" + v.asText());
    } catch (DateTimeParseException e) {
      throw new ConfigException(where + ": '" + v.asText() + "' is not a MM-dd date such as '09-01'");
    }
  }

  /** The indicator with this id. */
  public IndicatorDefinition indicator(String id) {
    return indicators.stream().filter(i -> i.id().equals(id)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no indicator " + id));
  }

  /** Codes a feature reads, each mapped to its group (the feature name unless grouped). */
  static Map<String, String> resolveCodes(Feature f) {
    Map<String, String> out = new LinkedHashMap<>();
    if (f.groups() != null) {
      f.groups().forEach((group, refs) -> refs.forEach(r -> expandCodeRef(r).forEach((code, g) -> out.put(code, group))));
    } else if (f.codes() != null) {
      f.codes().forEach(r -> expandCodeRef(r).forEach(out::put));
    }
    return out;
  }

  /**
   * Expands one code reference: {@code condition:ID}, {@code condition:*} (all QOF-register conditions, each
   * its own group), {@code observation:ID}, {@code efi_deficit:*} (the 36 eFI deficits, grouped by deficit)
   * or a literal code. Returns code → group (the condition/deficit id for * references, else "").
   */
  static Map<String, String> expandCodeRef(String ref) {
    CodeLists lists = CodeLists.load();
    Map<String, String> out = new LinkedHashMap<>();
    if (ref.equals("condition:*")) {
      lists.conditions().stream().filter(CodeLists.ConditionCode::qofRegister)
          .forEach(c -> out.put(c.code(), c.conditionId()));
    } else if (ref.startsWith("condition:")) {
      String id = ref.substring("condition:".length());
      lists.conditionCodes(id).forEach(code -> out.put(code, ""));
    } else if (ref.startsWith("observation:")) {
      String id = ref.substring("observation:".length());
      lists.observationCodes(id).forEach(code -> out.put(code, ""));
    } else if (ref.equals("efi_deficit:*")) {
      lists.deficits().forEach(d -> out.put(d.code(), String.valueOf(d.deficitId())));
    } else if (ref.contains(":")) {
      throw new ConfigException("unknown code reference '" + ref
          + "' (use condition:ID, condition:*, observation:ID, efi_deficit:* or a literal code)");
    } else {
      out.put(ref, "");
    }
    if (out.isEmpty()) {
      throw new ConfigException("code reference '" + ref + "' matches no code in engine/src/main/resources/codelists");
    }
    return out;
  }

  // ---------------------------------------------------------------- validation

  private static void validateFeature(Feature f, Set<String> earlier, String where) {
    if (f.name() == null || !NAME.matcher(f.name()).matches()) {
      throw new ConfigException(where + ": name: required, lower snake case");
    }
    if (earlier.contains(f.name()) || DATASET_COLUMNS.get("patients").contains(f.name())
        || PERIOD_COLUMNS.contains(f.name())) {
      throw new ConfigException(where + ": name: '" + f.name() + "' is already a column or feature");
    }
    if (!FEATURE_KINDS.contains(f.kind())) {
      throw new ConfigException(where + ": kind: '" + f.kind() + "' is not one of " + FEATURE_KINDS);
    }
    if (f.kind().equals("expression")) {
      if (f.expr() == null) {
        throw new ConfigException(where + ": expr: required for kind expression");
      }
      Set<String> known = new LinkedHashSet<>(DATASET_COLUMNS.get("patients"));
      known.addAll(earlier);
      known.addAll(PERIOD_COLUMNS);
      validateSql(f.expr(), known, where + ": expr");
      return;
    }
    boolean grouped = f.kind().equals("latest_group");
    if (grouped ? (f.groups() == null || f.groups().isEmpty()) : (f.codes() == null || f.codes().isEmpty())) {
      throw new ConfigException(where + ": " + (grouped ? "groups" : "codes") + ": required for kind " + f.kind());
    }
    try {
      resolveCodes(f);
    } catch (ConfigException e) {
      throw new ConfigException(where + ": codes: " + e.getMessage(), e);
    }
    if ((f.kind().equals("latest_value")) && (f.lookbackMonths() == null || f.lookbackMonths() < 1)) {
      throw new ConfigException(where + ": lookback_months: required (≥ 1) for kind latest_value");
    }
    if (f.lookbackMonths() != null && (f.lookbackMonths() < 0 || f.lookbackMonths() > 120)) {
      throw new ConfigException(where + ": lookback_months: must be between 0 and 120");
    }
    if (f.kind().equals("in_window") && (f.period() == null || !PERIODS.contains(f.period())
        || f.period().equals("at_period_end"))) {
      throw new ConfigException(where + ": period: required for kind in_window, one of "
          + PERIODS.subList(0, PERIODS.size() - 1));
    }
  }

  private static void validateIndicator(IndicatorDefinition d, Set<String> features, String where) {
    if (d.id() == null || !ID.matcher(d.id()).matches()) {
      throw new ConfigException(where + ": id: required, upper snake case (A-Z, 0-9, _)");
    }
    for (var req : Map.of("name", String.valueOf(d.name()), "domain", String.valueOf(d.domain()),
        "definition", String.valueOf(d.definition()), "unit", String.valueOf(d.unit()),
        "source", String.valueOf(d.source()), "frequency", String.valueOf(d.frequency())).entrySet()) {
      if (req.getValue().equals("null") || req.getValue().isBlank()) {
        throw new ConfigException(where + ": " + req.getKey() + ": required");
      }
    }
    if (!METHODS.contains(d.method())) {
      throw new ConfigException(where + ": method: '" + d.method() + "' is not one of " + METHODS);
    }
    if (!(d.multiplier() > 0)) {
      throw new ConfigException(where + ": multiplier: required, > 0");
    }
    if (d.polarity() == null) {
      throw new ConfigException(where + ": polarity: required, one of " + List.of(Polarity.values()));
    }
    if (!PERIODS.contains(d.period())) {
      throw new ConfigException(where + ": period: '" + d.period() + "' is not one of " + PERIODS);
    }
    if (d.levels() == null || d.levels().isEmpty()) {
      throw new ConfigException(where + ": levels: required, a subset of " + LEVELS);
    }
    for (String l : d.levels()) {
      if (!LEVELS.contains(l)) {
        throw new ConfigException(where + ": levels: '" + l + "' is not one of " + LEVELS);
      }
    }
    if (d.rag() != null) {
      String rule = d.rag().rule();
      if (!"target".equals(rule) && !"significance".equals(rule)) {
        throw new ConfigException(where + ": rag.rule: '" + rule + "' is not one of [target, significance]");
      }
      if (rule.equals("target") && d.target() == null) {
        throw new ConfigException(where + ": rag: rule target needs a target");
      }
      if (rule.equals("target") && d.rag().amberWithin() != null && d.rag().amberWithin() < 0) {
        throw new ConfigException(where + ": rag.amber_within: must be ≥ 0");
      }
      if (rule.equals("significance") && !List.of("ics", "national", "target").contains(d.rag().against())) {
        throw new ConfigException(where + ": rag.against: must be ics, national or target for rule significance");
      }
      if (rule.equals("significance") && "national".equals(d.rag().against()) && d.nationalValue() == null) {
        throw new ConfigException(where + ": rag: against national needs national_value");
      }
      if (rule.equals("significance") && "target".equals(d.rag().against()) && d.target() == null) {
        throw new ConfigException(where + ": rag: against target needs a target");
      }
    }
    if (d.numerator() == null) {
      throw new ConfigException(where + ": numerator: required");
    }
    boolean needsDenominator = !List.of("count", "mean", "median", "percentile").contains(d.method());
    if (needsDenominator && d.denominator() == null) {
      throw new ConfigException(where + ": denominator: required for method " + d.method());
    }
    if (!needsDenominator && d.denominator() != null) {
      throw new ConfigException(where + ": denominator: not used by method " + d.method() + " (remove it)");
    }
    validatePart(d, d.numerator(), "numerator", features, where);
    if (d.denominator() != null) {
      validatePart(d, d.denominator(), "denominator", features, where);
    }
    String nc = d.numerator().count();
    switch (d.method()) {
      case "mean", "median", "percentile" -> {
        if (!"measure".equals(nc)) {
          throw new ConfigException(where + ": numerator.count: must be measure for method " + d.method());
        }
      }
      default -> {
        if ("measure".equals(nc)) {
          throw new ConfigException(where + ": numerator.count: measure is only for mean, median, percentile");
        }
      }
    }
    if (d.method().equals("percentile") && (d.numerator().percentile() == null
        || !(d.numerator().percentile() > 0 && d.numerator().percentile() < 1))) {
      throw new ConfigException(where + ": numerator.percentile: required in (0, 1) for method percentile");
    }
    if (List.of("dsr", "isr").contains(d.method())) {
      if (!"patients".equals(d.denominator().dataset()) || !"at_period_end".equals(periodOf(d, d.denominator()))) {
        throw new ConfigException(where + ": denominator: method " + d.method()
            + " needs the registered population (dataset patients, period at_period_end) by ESP2013 age band");
      }
      if ("patients".equals(d.denominator().count()) == false && !"rows".equals(d.denominator().count())) {
        throw new ConfigException(where + ": denominator.count: must be rows or patients for method " + d.method());
      }
    }
    if (d.standardAgeMax() != null && (!d.method().equals("dsr") || d.standardAgeMax() < 4 || d.standardAgeMax() % 5 != 4)) {
      throw new ConfigException(where + ": standard_age_max: only for method dsr, the top of an ESP band (e.g. 74)");
    }
    if (d.levels().contains("PROVIDER")) {
      for (Part p : d.denominator() == null ? List.of(d.numerator()) : List.of(d.numerator(), d.denominator())) {
        if (!DATASET_COLUMNS.get(p.dataset()).contains("provider_code")) {
          throw new ConfigException(where + ": levels: PROVIDER needs provider_code, which dataset " + p.dataset()
              + " does not have");
        }
      }
    }
    if (d.inequality() && List.of("count", "median", "percentile").contains(d.method())) {
      throw new ConfigException(where + ": inequality: not available for method " + d.method());
    }
  }

  private static void validatePart(IndicatorDefinition d, Part p, String role, Set<String> features, String where) {
    String w = where + ": " + role;
    if (p.dataset() == null || !DATASET_COLUMNS.containsKey(p.dataset())) {
      throw new ConfigException(w + ".dataset: '" + p.dataset() + "' is not a linked-model dataset "
          + DATASET_COLUMNS.keySet().stream().sorted().toList());
    }
    String period = periodOf(d, p);
    if (!PERIODS.contains(period)) {
      throw new ConfigException(w + ".period: '" + period + "' is not one of " + PERIODS);
    }
    boolean state = period.equals("at_period_end");
    if (state && !p.dataset().equals("patients")) {
      throw new ConfigException(w + ".period: at_period_end is only for dataset patients");
    }
    if (state && p.date() != null) {
      throw new ConfigException(w + ".date: not used with period at_period_end");
    }
    if (!state && p.dataset().equals("patients") && p.date() == null) {
      throw new ConfigException(w + ".date: required for dataset patients with period " + period
          + " (e.g. death_date)");
    }
    Set<String> known = knownColumns(p.dataset(), state, features);
    if (p.date() != null && !DATASET_COLUMNS.get(p.dataset()).contains(p.date())) {
      throw new ConfigException(w + ".date: unknown column '" + p.date() + "' in dataset " + p.dataset());
    }
    if (!COUNTS.contains(p.count())) {
      throw new ConfigException(w + ".count: '" + p.count() + "' is not one of " + COUNTS);
    }
    if (p.filter() != null) {
      validateSql(p.filter(), known, w + ".filter");
    }
    if (List.of("sum", "measure").contains(p.count())) {
      if (p.measure() == null) {
        throw new ConfigException(w + ".measure: required for count " + p.count());
      }
      validateSql(p.measure(), known, w + ".measure");
    } else if (p.measure() != null) {
      throw new ConfigException(w + ".measure: only used with count sum or measure");
    }
    if (p.percentile() != null && !d.method().equals("percentile")) {
      throw new ConfigException(w + ".percentile: only used with method percentile");
    }
  }

  /** Columns a filter on this dataset may use. */
  static Set<String> knownColumns(String dataset, boolean state, Set<String> features) {
    Set<String> known = new LinkedHashSet<>(DATASET_COLUMNS.get(dataset));
    known.addAll(PERIOD_COLUMNS);
    if (dataset.equals("patients")) {
      if (state) {
        known.addAll(features);
      }
    } else {
      known.addAll(PATIENT_ATTRIBUTES);
    }
    return known;
  }

  private static void validateSql(String sql, Set<String> known, String where) {
    try {
      SqlRules.validate(sql, known, where);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage(), e);
    }
  }

  /** Effective period type of a part. */
  static String periodOf(IndicatorDefinition d, Part p) {
    return p.period() != null ? p.period() : d.period();
  }

  private static IndicatorDefinition expandPlaceholders(IndicatorDefinition d, Map<String, List<String>> lists,
      String where) {
    return new IndicatorDefinition(d.id(), d.name(), d.domain(), d.definition(), d.unit(), d.method(),
        d.multiplier(), d.polarity(), d.target(), d.nationalValue(), d.nationalPeriod(), d.rag(), d.levels(),
        d.frequency(), d.period(), d.source(), d.caveats(), d.iprKpi(), d.standardAgeMax(), d.inequality(),
        expand(d.numerator(), lists, where + ": numerator"), expand(d.denominator(), lists, where + ": denominator"));
  }

  private static Part expand(Part p, Map<String, List<String>> lists, String where) {
    if (p == null) {
      return null;
    }
    return new Part(p.dataset(), expand(p.filter(), lists, where + ".filter"), p.period(), p.date(),
        p.count() == null ? "rows" : p.count(), expand(p.measure(), lists, where + ".measure"), p.percentile());
  }

  private static String expand(String sql, Map<String, List<String>> lists, String where) {
    if (sql == null) {
      return null;
    }
    Matcher m = PLACEHOLDER.matcher(sql);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      List<String> codes = lists.get(m.group(1));
      if (codes == null) {
        throw new ConfigException(where + ": unknown code list @{" + m.group(1) + "} (define it under code_lists)");
      }
      String quoted = String.join(", ", codes.stream().map(c -> "'" + c.replace("'", "''") + "'").toList());
      m.appendReplacement(sb, Matcher.quoteReplacement(quoted));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private static void checkFields(JsonNode n, Set<String> allowed, String where) {
    if (!n.isObject()) {
      throw new ConfigException(where + ": expected a mapping");
    }
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!allowed.contains(f)) {
        throw new ConfigException(where + ": unknown field '" + f + "' (allowed: "
            + allowed.stream().sorted().toList() + ")");
      }
    }
  }

  private static List<JsonNode> list(JsonNode root, String field, String source) {
    JsonNode n = root.path(field);
    if (n.isMissingNode() || n.isNull()) {
      return List.of();
    }
    if (!n.isArray()) {
      throw new ConfigException(source + ": " + field + ": expected a list");
    }
    List<JsonNode> out = new ArrayList<>();
    n.forEach(out::add);
    return out;
  }

  private static <T> T convert(JsonNode n, Class<T> type, String where) {
    try {
      return YAML.treeToValue(n, type);
    } catch (IOException | IllegalArgumentException e) {
      String msg = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
      String field = e instanceof com.fasterxml.jackson.databind.JsonMappingException jm && !jm.getPath().isEmpty()
          ? jm.getPath().get(jm.getPath().size() - 1).getFieldName() : null;
      throw new ConfigException(where + (field == null ? "" : ": " + field) + ": " + msg, e);
    }
  }
}
