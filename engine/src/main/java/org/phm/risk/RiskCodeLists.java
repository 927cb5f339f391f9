package org.phm.risk;

import org.phm.config.ConfigException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The code lists risk features are built from (classpath {@code codelists/*.csv}): conditions
 * (QOF registers and other flags), eFI deficits and observations. Small reference tables read on
 * the driver; codes live only in these files, never in Java.
 */
public record RiskCodeLists(List<ConditionCode> conditions, List<DeficitCode> deficits, List<ObservationCode> observations) {

  /** One code of a condition; {@code qofRegister} conditions count towards {@code ltc_count}. */
  public record ConditionCode(String conditionId, String conditionName, boolean qofRegister, String code) {}

  /** One code of an eFI deficit (1..36). */
  public record DeficitCode(int deficitId, String deficitName, String code) {}

  /** One observation code with its plausible value range (null bounds = no check). */
  public record ObservationCode(String observationId, String name, String code, Double valueMin, Double valueMax) {}

  public static final String CONDITIONS = "codelists/conditions.csv";
  public static final String DEFICITS = "codelists/efi_deficits.csv";
  public static final String OBSERVATIONS = "codelists/observations.csv";

  private static volatile RiskCodeLists cached;

  /** The code lists on the classpath (read once). */
  public static RiskCodeLists load() {
    RiskCodeLists c = cached;
    if (c == null) {
      c = new RiskCodeLists(readConditions(), readDeficits(), readObservations());
      cached = c;
    }
    return c;
  }

  /** Condition ids in file order (one feature column {@code cond_<id lower case>} each). */
  public List<String> conditionIds() {
    Set<String> ids = new LinkedHashSet<>();
    conditions.forEach(cc -> ids.add(cc.conditionId()));
    return List.copyOf(ids);
  }

  /** Condition ids that are QOF registers (counted in ltc_count). */
  public List<String> qofConditionIds() {
    Set<String> ids = new LinkedHashSet<>();
    conditions.stream().filter(ConditionCode::qofRegister).forEach(cc -> ids.add(cc.conditionId()));
    return List.copyOf(ids);
  }

  /** Number of distinct eFI deficits (36 for the published eFI). */
  public int deficitCount() {
    return (int) deficits.stream().mapToInt(DeficitCode::deficitId).distinct().count();
  }

  public Set<String> observationIds() {
    Set<String> ids = new LinkedHashSet<>();
    observations.forEach(o -> ids.add(o.observationId()));
    return ids;
  }

  /** Feature column name of a condition flag. */
  public static String conditionColumn(String conditionId) {
    return "cond_" + conditionId.toLowerCase(java.util.Locale.ROOT);
  }

  private static List<ConditionCode> readConditions() {
    List<ConditionCode> out = new ArrayList<>();
    for (Map<String, String> r : read(CONDITIONS, "condition_id", "condition_name", "qof_register", "code")) {
      String q = r.get("qof_register").toLowerCase(java.util.Locale.ROOT);
      if (!q.equals("true") && !q.equals("false")) {
        throw new ConfigException(CONDITIONS + ": qof_register must be true or false, got '" + q + "'");
      }
      out.add(new ConditionCode(r.get("condition_id"), r.get("condition_name"), q.equals("true"), r.get("code")));
    }
    return List.copyOf(out);
  }

  private static List<DeficitCode> readDeficits() {
    List<DeficitCode> out = new ArrayList<>();
    for (Map<String, String> r : read(DEFICITS, "deficit_id", "deficit_name", "code")) {
      try {
        out.add(new DeficitCode(Integer.parseInt(r.get("deficit_id")), r.get("deficit_name"), r.get("code")));
      } catch (NumberFormatException e) {
        throw new ConfigException(DEFICITS + ": deficit_id must be a whole number, got '" + r.get("deficit_id") + "'");
      }
    }
    return List.copyOf(out);
  }

  private static List<ObservationCode> readObservations() {
    List<ObservationCode> out = new ArrayList<>();
    for (Map<String, String> r : read(OBSERVATIONS, "observation_id", "observation_name", "code", "value_min", "value_max")) {
      out.add(new ObservationCode(r.get("observation_id"), r.get("observation_name"), r.get("code"),
          number(r.get("value_min")), number(r.get("value_max"))));
    }
    return List.copyOf(out);
  }

  private static Double number(String s) {
    if (s == null || s.isBlank()) {
      return null;
    }
    try {
      return Double.valueOf(s);
    } catch (NumberFormatException e) {
      throw new ConfigException(OBSERVATIONS + ": value_min/value_max must be numbers, got '" + s + "'");
    }
  }

  /** Reads a small header-first CSV (RFC 4180 quoting) into maps, checking required columns. */
  static List<Map<String, String>> read(String resource, String... required) {
    String text;
    try (InputStream in = RiskCodeLists.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new ConfigException(resource + ": not found on the classpath");
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(resource + ": cannot read: " + e.getMessage(), e);
    }
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
    if (lines.isEmpty()) {
      throw new ConfigException(resource + ": empty");
    }
    List<String> header = split(lines.get(0)).stream().map(String::strip).toList();
    for (String r : required) {
      if (!header.contains(r)) {
        throw new ConfigException(resource + ": missing column " + r + " (header: " + header + ")");
      }
    }
    List<Map<String, String>> rows = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      List<String> cells = split(lines.get(i));
      if (cells.size() != header.size()) {
        throw new ConfigException(resource + ": line " + (i + 1) + " has " + cells.size() + " cells, header has " + header.size());
      }
      Map<String, String> row = new LinkedHashMap<>();
      for (int j = 0; j < header.size(); j++) {
        row.put(header.get(j), cells.get(j).strip());
      }
      for (String r : required) {
        if (!r.startsWith("value_") && row.get(r).isEmpty()) {
          throw new ConfigException(resource + ": line " + (i + 1) + ": " + r + " is empty");
        }
      }
      rows.add(row);
    }
    return rows;
  }

  static List<String> split(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char ch = line.charAt(i);
      if (quoted) {
        if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cur.append('"');
          i++;
        } else if (ch == '"') {
          quoted = false;
        } else {
          cur.append(ch);
        }
      } else if (ch == '"') {
        quoted = true;
      } else if (ch == ',') {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(ch);
      }
    }
    out.add(cur.toString());
    return out;
  }

  @Override
  public String toString() {
    return "RiskCodeLists" + Arrays.asList(conditions.size(), deficits.size(), observations.size());
  }
}
