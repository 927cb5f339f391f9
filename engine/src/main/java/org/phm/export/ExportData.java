package org.phm.export;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.phm.pack.Manifest;
import org.phm.pack.PackReader;
import org.phm.pack.Sensitivity;

/**
 * The small aggregate slice of a pack that place exports render: read once per export run from the
 * pack's SHAREABLE tables only (restricted and internal tables are refused), filtered in Spark to the
 * requested areas, their comparators (ICS, sibling areas) and children, then collected.
 */
final class ExportData {

  /** An ICP or PCN being exported, with its parent and ICS, and the level of the areas within it. */
  record Area(String level, String code, String name, String parentCode, String parentName, String icsCode,
      String icsName, String childLevel) {
    /** Name with its level ("Nottingham City ICP"), unless the name already says it. */
    String title() {
      return name.toUpperCase(java.util.Locale.ROOT).matches(".*\\b" + level + "\\b.*") ? name : name + " " + level;
    }
  }

  /** One indicator_values row as the exports use it. */
  record Value(String indicatorId, String domain, String periodLabel, String periodEnd, String level,
      String areaCode, String areaName, String parentCode, String breakdown, String breakdownValue,
      Double numerator, Double denominator, Double value, Double lower95, Double upper95, Double lower998,
      Double upper998, String method, Double multiplier, String unit, Double icsValue, String comparison,
      String judgement, Double nationalValue, Double target, String rag, String trend, boolean suppressed) {}

  /** An indicator of the catalogue (from indicator_definitions, or inferred from the values). */
  record Definition(String id, String name, String domain, String definition, String unit, String method,
      Double multiplier, String polarity, Double target, String caveats) {}

  /** Everything the exports show for one indicator in one area. */
  record IndicatorView(Definition def, Value latest, Value ics, List<Value> children, List<Value> trend,
      List<Value> icsTrend, List<Value> breakdowns, List<Object[]> inequality) {}

  static final List<String> OPTIONAL_TABLES = List.of("registered_population", "indicator_definitions",
      "indicator_values", "indicator_inequality", "indicator_summary", "risk_stratification", "cohort_summary");

  /** Catalogue columns shown on the Definitions sheet, in this order (those the pack has). */
  static final List<String> DEFINITION_COLUMNS = List.of("indicator_id", "name", "domain", "definition", "method",
      "unit", "multiplier", "polarity", "target", "national_value", "national_period", "rag_rule", "frequency",
      "period_type", "source", "numerator_definition", "denominator_definition", "caveats", "ipr_kpi");

  /** The wanted columns the table has, or all its columns if it has none of them. */
  static List<String> present(TableData t, List<String> wanted) {
    List<String> cols = wanted.stream().filter(t::has).toList();
    return cols.isEmpty() ? t.columns() : cols;
  }

  final Manifest manifest;
  final TableData hierarchy;
  final Map<String, TableData> tables = new LinkedHashMap<>();
  final List<Value> values = new ArrayList<>();
  final Map<String, Definition> definitions = new LinkedHashMap<>();
  /** Sections left out and why, shown on the cover / in the report. */
  final List<String> notes = new ArrayList<>();
  final DisclosureGuard guard;

  private ExportData(Manifest manifest, TableData hierarchy, DisclosureGuard guard) {
    this.manifest = manifest;
    this.hierarchy = hierarchy;
    this.guard = guard;
  }

  /** Reads the hierarchy (required) so areas can be resolved before the rest is loaded. */
  static TableData hierarchy(SparkSession spark, PackReader pack) {
    Dataset<Row> h = shareable(spark, pack, "org_hierarchy", null)
        .orElseThrow(() -> new ExportException("pack " + pack.dir().getFileName()
            + " has no shareable org_hierarchy table; cannot resolve ICPs and PCNs"));
    return TableData.collect("org_hierarchy", h);
  }

  /** Loads the slice of the pack needed for {@code areas}. */
  static ExportData load(SparkSession spark, PackReader pack, TableData hierarchy, List<Area> areas,
      DisclosureGuard guard) {
    ExportData d = new ExportData(pack.manifest(), hierarchy, guard);
    List<String> codes = new ArrayList<>(areas.stream().map(Area::code).distinct().toList());
    areas.stream().map(Area::icsCode).filter(Objects::nonNull).distinct().forEach(codes::add);
    List<String> pcnCodes = areas.stream().filter(a -> "PCN".equals(a.level())).map(Area::code).distinct().toList();
    for (String t : OPTIONAL_TABLES) {
      Optional<Dataset<Row>> ds = shareable(spark, pack, t, d.notes);
      if (ds.isEmpty()) {
        continue;
      }
      Dataset<Row> df = ds.get();
      Set<String> cols = Set.of(df.columns());
      Column keep = switch (t) {
        case "registered_population" -> totals(cols).and(col("level").isin("ICS", "ICP", "PCN")
            .or(inList(cols, "parent_code", pcnCodes)));
        case "indicator_values" -> all(cols).and(col("level").isin("ICS", "ICP", "PCN")
                .or(col("level").equalTo("PRACTICE").and(inList(cols, "parent_code", pcnCodes))))
            .or(inList(cols, "area_code", codes));
        case "indicator_definitions" -> lit(true);
        default -> inList(cols, "area_code", codes);
      };
      if (!t.equals("indicator_definitions") && !cols.contains("area_code")) {
        d.notes.add("Table " + t + " has no area_code column; its section is left out.");
        continue;
      }
      if ((t.equals("registered_population") || t.equals("indicator_values")) && !cols.contains("level")) {
        d.notes.add("Table " + t + " has no level column; its section is left out.");
        continue;
      }
      d.tables.put(t, TableData.collect(t, df.filter(keep)));
    }
    d.parseValues();
    d.parseDefinitions();
    return d;
  }

  private static Column totals(Set<String> cols) {
    Column c = lit(true);
    if (cols.contains("sex")) {
      c = c.and(col("sex").equalTo("ALL"));
    }
    if (cols.contains("age_band")) {
      c = c.and(col("age_band").equalTo("ALL"));
    }
    return c;
  }

  private static Column all(Set<String> cols) {
    return cols.contains("breakdown") ? col("breakdown").equalTo("ALL") : lit(true);
  }

  private static Column inList(Set<String> cols, String column, List<String> values) {
    return cols.contains(column) && !values.isEmpty() ? col(column).isin(values.toArray()) : lit(false);
  }

  /**
   * The table if the pack has it and it may be shared with places; otherwise a note saying why it
   * was left out. Restricted (patient-level) tables are never read: PackReader refuses them.
   */
  static Optional<Dataset<Row>> shareable(SparkSession spark, PackReader pack, String table, List<String> notes) {
    Optional<Manifest.TableEntry> e = pack.manifest().tables().stream()
        .filter(t -> t.name().equals(table)).findFirst();
    if (e.isEmpty()) {
      if (notes != null) {
        notes.add("This pack has no " + table + " table, so its section is left out.");
      }
      return Optional.empty();
    }
    if (!Sensitivity.SHAREABLE.name().equals(e.get().sensitivity())) {
      if (notes != null) {
        notes.add("Table " + table + " is " + e.get().sensitivity()
            + " (not shareable with places), so it is not exported.");
      }
      return Optional.empty();
    }
    return Optional.of(pack.read(spark, table, false));
  }

  TableData table(String name) {
    return tables.get(name);
  }

  private void parseValues() {
    TableData t = tables.get("indicator_values");
    if (t == null) {
      return;
    }
    for (Object[] r : t.rows()) {
      boolean suppressed = t.bool(r, "suppressed");
      String where = "indicator_values " + t.str(r, "indicator_id") + " " + t.str(r, "area_code") + " "
          + t.str(r, "period_label") + " " + t.str(r, "breakdown", "breakdown_value");
      Double num = t.num(r, "numerator");
      Double den = t.num(r, "denominator");
      // defence in depth: any small count that reaches the export must have been suppressed
      guard.show(num, suppressed, where);
      guard.show(den, suppressed, where);
      String breakdown = t.str(r, "breakdown");
      values.add(new Value(t.str(r, "indicator_id"), t.str(r, "domain"), t.str(r, "period_label", "period"),
          t.str(r, "period_end", "period_start", "period_label"), upper(t.str(r, "level")), t.str(r, "area_code"),
          t.str(r, "area_name"), t.str(r, "parent_code"), breakdown == null ? "ALL" : upper(breakdown),
          t.str(r, "breakdown_value"), suppressed ? null : num, suppressed ? null : den,
          suppressed ? null : t.num(r, "value"), suppressed ? null : t.num(r, "lower95", "lower_95", "lower_ci95"),
          suppressed ? null : t.num(r, "upper95", "upper_95", "upper_ci95"),
          suppressed ? null : t.num(r, "lower998", "lower_998"), suppressed ? null : t.num(r, "upper998", "upper_998"),
          t.str(r, "method"), t.num(r, "multiplier"), t.str(r, "unit"), t.num(r, "ics_value"),
          t.str(r, "comparison"), t.str(r, "judgement"), t.num(r, "national_value"), t.num(r, "target"),
          t.str(r, "rag"), t.str(r, "trend"), suppressed));
    }
  }

  private static String upper(String s) {
    return s == null ? null : s.toUpperCase(Locale.ROOT);
  }

  private void parseDefinitions() {
    TableData t = tables.get("indicator_definitions");
    if (t != null) {
      for (Object[] r : t.rows()) {
        String id = t.str(r, "indicator_id", "id");
        if (id == null) {
          continue;
        }
        definitions.put(id, new Definition(id, orElse(t.str(r, "name", "indicator_name", "title"), id),
            orElse(t.str(r, "domain"), "Other"), t.str(r, "definition", "description"), t.str(r, "unit"),
            t.str(r, "method"), t.num(r, "multiplier"), t.str(r, "polarity"), t.num(r, "target"),
            t.str(r, "caveats", "caveat")));
      }
    }
    for (Value v : values) {
      definitions.computeIfAbsent(v.indicatorId(), id -> new Definition(id, id, orElse(v.domain(), "Other"), null,
          v.unit(), v.method(), v.multiplier(), null, v.target(), null));
    }
  }

  private static String orElse(String s, String fallback) {
    return s == null || s.isBlank() ? fallback : s;
  }

  /** Indicators with a value for the area, in catalogue order, grouped by domain (insertion order). */
  Map<String, List<IndicatorView>> views(Area area) {
    Map<String, List<IndicatorView>> byDomain = new LinkedHashMap<>();
    TableData ineq = tables.get("indicator_inequality");
    Map<String, List<Value>> byIndicator = new java.util.HashMap<>();
    values.forEach(v -> byIndicator.computeIfAbsent(v.indicatorId(), k -> new ArrayList<>()).add(v));
    for (Definition def : definitions.values()) {
      List<Value> mine = byIndicator.getOrDefault(def.id(), List.of());
      List<Value> trend = sortByPeriod(mine.stream()
          .filter(v -> area.code().equals(v.areaCode()) && "ALL".equals(v.breakdown())).toList());
      if (trend.isEmpty()) {
        continue;
      }
      Value latest = trend.get(trend.size() - 1);
      List<Value> icsTrend = sortByPeriod(mine.stream()
          .filter(v -> "ICS".equals(v.level()) && "ALL".equals(v.breakdown())).toList());
      Value ics = icsTrend.stream().filter(v -> Objects.equals(v.periodLabel(), latest.periodLabel())).findFirst()
          .orElse(null);
      List<Value> children = mine.stream()
          .filter(v -> area.childLevel().equals(v.level()) && area.code().equals(v.parentCode())
              && "ALL".equals(v.breakdown()) && Objects.equals(v.periodLabel(), latest.periodLabel()))
          .sorted(Comparator.comparing((Value v) -> nz(v.areaName()))).toList();
      List<Value> breakdowns = mine.stream()
          .filter(v -> area.code().equals(v.areaCode()) && !"ALL".equals(v.breakdown())
              && Objects.equals(v.periodLabel(), latest.periodLabel()))
          .sorted(Comparator.comparing((Value v) -> nz(v.breakdown())).thenComparing(v -> nz(v.breakdownValue())))
          .toList();
      List<Object[]> inequality = ineq == null ? List.of() : ineq.rows().stream()
          .filter(r -> def.id().equals(ineq.str(r, "indicator_id")) && area.code().equals(ineq.str(r, "area_code")))
          .toList();
      String domain = def.domain() != null ? def.domain() : latest.domain() != null ? latest.domain() : "Other";
      byDomain.computeIfAbsent(domain, k -> new ArrayList<>())
          .add(new IndicatorView(def, latest, ics, children, trend, icsTrend, breakdowns, inequality));
    }
    return byDomain;
  }

  private static List<Value> sortByPeriod(List<Value> vs) {
    return vs.stream().sorted(Comparator.comparing((Value v) -> nz(v.periodEnd()))).toList();
  }

  static String nz(String s) {
    return s == null ? "" : s;
  }

  /** Rows of a per-area table (risk_stratification, cohort_summary, indicator_summary) for the area. */
  List<Object[]> rowsFor(String table, String areaCode) {
    TableData t = tables.get(table);
    if (t == null) {
      return List.of();
    }
    return t.rows().stream().filter(r -> areaCode.equals(t.str(r, "area_code"))).toList();
  }

  /** Registered patients (all ages, both sexes) of an area, or null if unknown or suppressed. */
  Double registered(String areaCode) {
    TableData t = tables.get("registered_population");
    if (t != null) {
      for (Object[] r : t.rows()) {
        if (areaCode.equals(t.str(r, "area_code"))) {
          return guard.show(t.num(r, "patients"), t.bool(r, "suppressed"), "registered_population " + areaCode);
        }
      }
    }
    return null;
  }

  /** The population extract date, if the pack has one. */
  String populationDate() {
    TableData t = tables.get("registered_population");
    return t == null || t.rows().isEmpty() ? null : t.str(t.rows().get(0), "extract_date");
  }
}
