package org.phm.codelists;

import org.phm.config.ConfigException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The clinical code lists (classpath {@code codelists/*.csv}): conditions (QOF registers and other flags), eFI
 * deficits and observations with plausible value ranges. The one reader of these files: ingest uses the union of
 * codes (unmapped gp_events codes), risk builds features from them and indicators resolve code references against
 * them. Small reference tables read once on the driver and validated on load; codes live only in these files, never
 * in Java.
 */
public record CodeLists(List<ConditionCode> conditions, List<DeficitCode> deficits, List<ObservationCode> observations) {

  /** One code of a condition; {@code qofRegister} conditions count towards {@code ltc_count}. */
  public record ConditionCode(String conditionId, String conditionName, boolean qofRegister, String code) {}

  /** One code of an eFI deficit (1..36). */
  public record DeficitCode(int deficitId, String deficitName, String code) {}

  /** One observation code with its plausible value range (null bounds = no check). */
  public record ObservationCode(String observationId, String name, String code, Double valueMin, Double valueMax) {}

  public static final String CONDITIONS = "codelists/conditions.csv";
  public static final String DEFICITS = "codelists/efi_deficits.csv";
  public static final String OBSERVATIONS = "codelists/observations.csv";

  private static volatile CodeLists cached;

  public CodeLists {
    conditions = List.copyOf(conditions);
    deficits = List.copyOf(deficits);
    observations = List.copyOf(observations);
  }

  /** The code lists on the classpath (read and validated once). */
  public static CodeLists load() {
    CodeLists c = cached;
    if (c == null) {
      c = read(resource -> {
        InputStream in = CodeLists.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
          throw new ConfigException(resource + ": not found on the classpath");
        }
        return in;
      }, "");
      cached = c;
    }
    return c;
  }

  /**
   * Reads the three lists from a directory laid out like the classpath ({@code dir/codelists/conditions.csv}, ...);
   * errors name the file under {@code dir}.
   */
  static CodeLists read(Path dir) {
    return read(resource -> {
      try {
        return Files.newInputStream(dir.resolve(resource));
      } catch (NoSuchFileException e) {
        throw new ConfigException(dir.resolve(resource) + ": not found");
      }
    }, dir + "/");
  }

  /** Opens a code list by its resource name. */
  private interface Source {
    InputStream open(String resource) throws IOException;
  }

  private static CodeLists read(Source source, String prefix) {
    return new CodeLists(readConditions(source, prefix), readDeficits(source, prefix),
        readObservations(source, prefix));
  }

  // ---------------------------------------------------------------- lookups

  /** Every code in any list (sorted): gp_events codes outside it are counted as UNMAPPED_CODE warnings. */
  public Set<String> allCodes() {
    Set<String> codes = new TreeSet<>();
    conditions.forEach(c -> codes.add(c.code()));
    deficits.forEach(d -> codes.add(d.code()));
    observations.forEach(o -> codes.add(o.code()));
    return Collections.unmodifiableSet(codes);
  }

  /** Condition ids in file order (one feature column {@link #conditionColumn} each). */
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

  /** Codes of one condition in file order (empty when the id is unknown). */
  public List<String> conditionCodes(String conditionId) {
    return conditions.stream().filter(c -> c.conditionId().equals(conditionId)).map(ConditionCode::code).toList();
  }

  /** Number of distinct eFI deficits (36 for the published eFI). */
  public int deficitCount() {
    return (int) deficits.stream().mapToInt(DeficitCode::deficitId).distinct().count();
  }

  /** Observation ids in file order. */
  public Set<String> observationIds() {
    Set<String> ids = new LinkedHashSet<>();
    observations.forEach(o -> ids.add(o.observationId()));
    return Collections.unmodifiableSet(ids);
  }

  /** Codes of one observation in file order (empty when the id is unknown). */
  public List<String> observationCodes(String observationId) {
    return observations.stream().filter(o -> o.observationId().equals(observationId)).map(ObservationCode::code)
        .toList();
  }

  /** Feature column name of a condition flag ({@code cond_<id lower case>}). */
  public static String conditionColumn(String conditionId) {
    return "cond_" + conditionId.toLowerCase(Locale.ROOT);
  }

  // ---------------------------------------------------------------- reading and validation

  /** One data row: its cells by column name and its physical line number (for errors). */
  private record Row(String file, int line, Map<String, String> cells) {
    String get(String column) {
      return cells.get(column);
    }

    ConfigException error(String column, String message) {
      return new ConfigException(file + ": line " + line + ": " + column + ": " + message);
    }
  }

  private static List<ConditionCode> readConditions(Source source, String prefix) {
    List<ConditionCode> out = new ArrayList<>();
    for (Row r : rows(source, prefix, CONDITIONS, List.of("condition_id", "condition_name", "qof_register", "code"))) {
      String q = r.get("qof_register").toLowerCase(Locale.ROOT);
      if (!q.equals("true") && !q.equals("false")) {
        throw r.error("qof_register", "must be true or false, got '" + r.get("qof_register") + "'");
      }
      out.add(new ConditionCode(r.get("condition_id"), r.get("condition_name"), q.equals("true"), r.get("code")));
    }
    return out;
  }

  private static List<DeficitCode> readDeficits(Source source, String prefix) {
    List<DeficitCode> out = new ArrayList<>();
    for (Row r : rows(source, prefix, DEFICITS, List.of("deficit_id", "deficit_name", "code"))) {
      int id;
      try {
        id = Integer.parseInt(r.get("deficit_id"));
      } catch (NumberFormatException e) {
        throw r.error("deficit_id", "must be a whole number, got '" + r.get("deficit_id") + "'");
      }
      if (id < 1) {
        throw r.error("deficit_id", "must be 1 or more, got " + id);
      }
      out.add(new DeficitCode(id, r.get("deficit_name"), r.get("code")));
    }
    return out;
  }

  private static List<ObservationCode> readObservations(Source source, String prefix) {
    List<ObservationCode> out = new ArrayList<>();
    List<String> required = List.of("observation_id", "observation_name", "code", "value_min", "value_max");
    for (Row r : rows(source, prefix, OBSERVATIONS, required)) {
      Double min = number(r, "value_min");
      Double max = number(r, "value_max");
      if (min != null && max != null && min > max) {
        throw r.error("value_min", "is greater than value_max (" + min + " > " + max + ")");
      }
      out.add(new ObservationCode(r.get("observation_id"), r.get("observation_name"), r.get("code"), min, max));
    }
    return out;
  }

  /** An optional number cell (blank = null). */
  private static Double number(Row r, String column) {
    String s = r.get(column);
    if (s.isEmpty()) {
      return null;
    }
    try {
      return Double.valueOf(s);
    } catch (NumberFormatException e) {
      throw r.error(column, "must be a number or blank, got '" + s + "'");
    }
  }

  /**
   * Reads a small header-first CSV (UTF-8, optional BOM, RFC 4180 quoting, blank lines ignored), checking that
   * every required column is present, every row has as many cells as the header and required cells (except the
   * optional {@code value_*} bounds) are not empty.
   */
  private static List<Row> rows(Source source, String prefix, String resource, List<String> required) {
    String file = prefix + resource;
    String text;
    try (InputStream in = source.open(resource)) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
    }
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    List<String> lines = text.lines().toList();
    int headerAt = 0;
    while (headerAt < lines.size() && lines.get(headerAt).isBlank()) {
      headerAt++;
    }
    if (headerAt == lines.size()) {
      throw new ConfigException(file + ": empty (expected a header line with columns " + required + ")");
    }
    List<String> header = CsvLine.split(lines.get(headerAt));
    for (String col : required) {
      if (!header.contains(col)) {
        throw new ConfigException(file + ": line " + (headerAt + 1) + ": missing column " + col + " (header: "
            + header + ")");
      }
    }
    List<Row> rows = new ArrayList<>();
    for (int i = headerAt + 1; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      List<String> cells = CsvLine.split(lines.get(i));
      if (cells.size() != header.size()) {
        throw new ConfigException(file + ": line " + (i + 1) + ": has " + cells.size() + " cells, header has "
            + header.size());
      }
      Map<String, String> byName = new LinkedHashMap<>();
      for (int j = 0; j < header.size(); j++) {
        byName.put(header.get(j), cells.get(j));
      }
      Row row = new Row(file, i + 1, byName);
      for (String col : required) {
        if (!col.startsWith("value_") && row.get(col).isEmpty()) {
          throw row.error(col, "is empty");
        }
      }
      rows.add(row);
    }
    if (rows.isEmpty()) {
      throw new ConfigException(file + ": has a header but no codes");
    }
    return rows;
  }

  @Override
  public String toString() {
    return "CodeLists" + Arrays.asList(conditions.size(), deficits.size(), observations.size());
  }
}
