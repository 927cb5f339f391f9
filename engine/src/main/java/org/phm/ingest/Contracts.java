package org.phm.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The input data contracts (contracts/extracts.yaml), parsed and validated on load: unknown or missing
 * keys, unknown types, bad patterns/dates and dangling references fail with a message naming the file,
 * the entry and the field.
 *
 * @param schemaVersion contract schema version
 * @param files the extract contracts in file order
 * @param source where the YAML came from (for messages)
 * @param yamlText the YAML text (its leading comment block documents the common conventions)
 */
public record Contracts(int schemaVersion, List<ExtractContract> files, String source, String yamlText) {
  /** Classpath location of the contracts. */
  public static final String RESOURCE = "contracts/extracts.yaml";

  private static final Set<String> TOP_KEYS = Set.of("schema_version", "files");
  private static final Set<String> FILE_KEYS =
      Set.of("name", "file", "required", "description", "key", "columns", "row_rules");
  private static final Set<String> COLUMN_KEYS = Set.of("name", "type", "required", "allowed", "pattern", "min",
      "max", "not_after", "not_before", "references", "description");
  private static final Set<String> RULE_KEYS = Set.of("expr", "reason", "column");
  private static final Pattern NAME = Pattern.compile("^[A-Za-z][A-Za-z0-9_]*$");
  private static final Pattern REASON = Pattern.compile("^[A-Z][A-Z0-9_]*$");

  public Contracts {
    files = List.copyOf(files);
  }

  /** Loads the contracts shipped on the classpath. */
  public static Contracts load() {
    try (InputStream in = Contracts.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new ContractException(RESOURCE + ": not found on the classpath");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), RESOURCE);
    } catch (IOException e) {
      throw new ContractException(RESOURCE + ": cannot read: " + e.getMessage(), e);
    }
  }

  /** Parses and validates contract YAML; {@code source} names it in error messages. */
  public static Contracts parse(String yaml, String source) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
    } catch (IOException e) {
      throw new ContractException(source + ": not valid YAML: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new ContractException(source + ": expected a mapping with schema_version and files");
    }
    onlyKeys(root, TOP_KEYS, source, "top level");
    JsonNode version = root.get("schema_version");
    if (version == null || !version.canConvertToInt() || !version.isIntegralNumber()) {
      throw new ContractException(source + ": schema_version: required integer");
    }
    JsonNode filesNode = root.get("files");
    if (filesNode == null || !filesNode.isArray() || filesNode.isEmpty()) {
      throw new ContractException(source + ": files: required non-empty list");
    }
    List<ExtractContract> files = new ArrayList<>();
    Set<String> names = new HashSet<>();
    int i = 0;
    for (JsonNode f : filesNode) {
      String where = "files[" + i + "]" + (f.isObject() && f.hasNonNull("name") ? " (" + f.get("name").asText() + ")" : "");
      ExtractContract c = file(f, source, where);
      if (!names.add(c.name())) {
        throw new ContractException(source + ": " + where + ": duplicate contract name '" + c.name() + "'");
      }
      files.add(c);
      i++;
    }
    Contracts contracts = new Contracts(version.asInt(), files, source, yaml);
    contracts.checkReferences();
    return contracts;
  }

  /** The contract with this name. */
  public Optional<ExtractContract> byName(String name) {
    return files.stream().filter(c -> c.name().equals(name)).findFirst();
  }

  /** The contracts with these names, in file order; unknown names fail. */
  public List<ExtractContract> select(List<String> names) {
    for (String n : names) {
      if (byName(n).isEmpty()) {
        throw new ContractException(source + ": no contract named '" + n + "'");
      }
    }
    return files.stream().filter(c -> names.contains(c.name())).toList();
  }

  private void checkReferences() {
    for (ExtractContract c : files) {
      for (ColumnContract col : c.columns()) {
        if (col.references() == null) {
          continue;
        }
        String where = source + ": " + c.name() + "." + col.name() + ": references '" + col.references() + "'";
        ExtractContract target = byName(col.referencedFile())
            .orElseThrow(() -> new ContractException(where + ": no contract named '" + col.referencedFile() + "'"));
        ColumnContract tc = target.column(col.referencedColumn())
            .orElseThrow(() -> new ContractException(where + ": " + target.name() + " has no column '"
                + col.referencedColumn() + "'"));
        if (!tc.type().equals(col.type())) {
          throw new ContractException(where + ": type " + col.type() + " differs from " + tc.type());
        }
        if (!target.required()) {
          throw new ContractException(where + ": the referenced file is optional (required: false)");
        }
        if (target.name().equals(c.name())) {
          throw new ContractException(where + ": a file cannot reference itself");
        }
      }
    }
    // references must not form a cycle (files are processed in reference order)
    Map<String, Set<String>> deps = new LinkedHashMap<>();
    for (ExtractContract c : files) {
      Set<String> d = new HashSet<>();
      c.columns().stream().map(ColumnContract::referencedFile).filter(x -> x != null).forEach(d::add);
      deps.put(c.name(), d);
    }
    for (String start : deps.keySet()) {
      if (reaches(deps, start, start, new HashSet<>())) {
        throw new ContractException(source + ": references form a cycle through '" + start + "'");
      }
    }
  }

  private static boolean reaches(Map<String, Set<String>> deps, String from, String target, Set<String> seen) {
    for (String d : deps.getOrDefault(from, Set.of())) {
      if (d.equals(target)) {
        return true;
      }
      if (seen.add(d) && reaches(deps, d, target, seen)) {
        return true;
      }
    }
    return false;
  }

  private static ExtractContract file(JsonNode f, String source, String where) {
    if (!f.isObject()) {
      throw new ContractException(source + ": " + where + ": expected a mapping");
    }
    onlyKeys(f, FILE_KEYS, source, where);
    String name = text(f, "name", true, source, where);
    if (!NAME.matcher(name).matches()) {
      throw new ContractException(source + ": " + where + ": name '" + name + "' must be a snake_case identifier");
    }
    String file = text(f, "file", true, source, where);
    boolean required = bool(f, "required", true, source, where);
    String description = text(f, "description", true, source, where).strip();
    JsonNode cols = f.get("columns");
    if (cols == null || !cols.isArray() || cols.isEmpty()) {
      throw new ContractException(source + ": " + where + ": columns: required non-empty list");
    }
    List<ColumnContract> columns = new ArrayList<>();
    Set<String> lower = new HashSet<>();
    int j = 0;
    for (JsonNode c : cols) {
      String cw = where + ".columns[" + j + "]"
          + (c.isObject() && c.hasNonNull("name") ? " (" + c.get("name").asText() + ")" : "");
      ColumnContract col = column(c, source, cw);
      if (!lower.add(col.name().toLowerCase())) {
        throw new ContractException(source + ": " + cw + ": duplicate column name (names match case-insensitively)");
      }
      columns.add(col);
      j++;
    }
    long nhsColumns = columns.stream().filter(ColumnContract::isNhsNumber).count();
    if (nhsColumns > 1) {
      throw new ContractException(source + ": " + where + ": at most one nhs_number column per file");
    }
    List<String> key = stringList(f, "key", source, where);
    for (String k : key) {
      if (columns.stream().noneMatch(c -> c.name().equals(k))) {
        throw new ContractException(source + ": " + where + ": key column '" + k + "' is not a column");
      }
    }
    List<RowRule> rules = new ArrayList<>();
    JsonNode rr = f.get("row_rules");
    if (rr != null && !rr.isNull()) {
      if (!rr.isArray()) {
        throw new ContractException(source + ": " + where + ": row_rules: expected a list");
      }
      int k = 0;
      for (JsonNode r : rr) {
        String rw = where + ".row_rules[" + k + "]";
        if (!r.isObject()) {
          throw new ContractException(source + ": " + rw + ": expected a mapping");
        }
        onlyKeys(r, RULE_KEYS, source, rw);
        String expr = text(r, "expr", true, source, rw);
        String reason = text(r, "reason", true, source, rw);
        if (!REASON.matcher(reason).matches()) {
          throw new ContractException(source + ": " + rw + ": reason '" + reason + "' must be an UPPER_SNAKE code");
        }
        String column = text(r, "column", true, source, rw);
        if (columns.stream().noneMatch(c -> c.name().equals(column))) {
          throw new ContractException(source + ": " + rw + ": column '" + column + "' is not a column of " + name);
        }
        rules.add(new RowRule(expr, reason, column));
        k++;
      }
    }
    return new ExtractContract(name, file, required, description, key, columns, rules);
  }

  private static ColumnContract column(JsonNode c, String source, String where) {
    if (!c.isObject()) {
      throw new ContractException(source + ": " + where + ": expected a mapping");
    }
    onlyKeys(c, COLUMN_KEYS, source, where);
    String name = text(c, "name", true, source, where);
    if (!NAME.matcher(name).matches()) {
      throw new ContractException(source + ": " + where + ": name '" + name + "' must be an identifier");
    }
    String type = text(c, "type", true, source, where);
    if (!ColumnContract.TYPES.contains(type)) {
      throw new ContractException(source + ": " + where + ": type '" + type + "' is not one of " + ColumnContract.TYPES);
    }
    boolean required = bool(c, "required", true, source, where);
    List<String> allowed = stringList(c, "allowed", source, where);
    String pattern = text(c, "pattern", false, source, where);
    if (pattern != null) {
      try {
        Pattern.compile(pattern);
      } catch (PatternSyntaxException e) {
        throw new ContractException(source + ": " + where + ": pattern is not a valid regular expression: "
            + e.getDescription());
      }
    }
    Double min = number(c, "min", source, where);
    Double max = number(c, "max", source, where);
    if ((min != null || max != null) && !(type.equals("int") || type.equals("double"))) {
      throw new ContractException(source + ": " + where + ": min/max only apply to int or double columns");
    }
    if (min != null && max != null && min > max) {
      throw new ContractException(source + ": " + where + ": min " + min + " is greater than max " + max);
    }
    String notAfter = text(c, "not_after", false, source, where);
    if (notAfter != null && !notAfter.equals("run_date")) {
      throw new ContractException(source + ": " + where + ": not_after must be 'run_date'");
    }
    String nb = text(c, "not_before", false, source, where);
    LocalDate notBefore = null;
    if (nb != null) {
      try {
        notBefore = LocalDate.parse(nb);
      } catch (DateTimeParseException e) {
        throw new ContractException(source + ": " + where + ": not_before '" + nb + "' is not a yyyy-MM-dd date");
      }
    }
    if ((notAfter != null || notBefore != null) && !(type.equals("date") || type.equals("timestamp"))) {
      throw new ContractException(source + ": " + where + ": not_after/not_before only apply to dates");
    }
    String references = text(c, "references", false, source, where);
    if (references != null && !references.matches("^[A-Za-z][A-Za-z0-9_]*\\.[A-Za-z][A-Za-z0-9_]*$")) {
      throw new ContractException(source + ": " + where + ": references must be 'file.column'");
    }
    String description = text(c, "description", true, source, where);
    return new ColumnContract(name, type, required, allowed, pattern, min, max, notAfter != null, notBefore,
        references, description);
  }

  private static void onlyKeys(JsonNode n, Set<String> allowed, String source, String where) {
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!allowed.contains(k)) {
        throw new ContractException(source + ": " + where + ": unknown key '" + k + "' (allowed: "
            + allowed.stream().sorted().toList() + ")");
      }
    }
  }

  private static String text(JsonNode n, String field, boolean required, String source, String where) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        throw new ContractException(source + ": " + where + ": " + field + ": required");
      }
      return null;
    }
    if (!v.isValueNode() || v.asText().isBlank()) {
      throw new ContractException(source + ": " + where + ": " + field + ": expected a non-empty text value");
    }
    return v.asText();
  }

  private static boolean bool(JsonNode n, String field, boolean required, String source, String where) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        throw new ContractException(source + ": " + where + ": " + field + ": required (true or false)");
      }
      return false;
    }
    if (!v.isBoolean()) {
      throw new ContractException(source + ": " + where + ": " + field + ": expected true or false, got '"
          + v.asText() + "'");
    }
    return v.asBoolean();
  }

  private static Double number(JsonNode n, String field, String source, String where) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isNumber()) {
      throw new ContractException(source + ": " + where + ": " + field + ": expected a number, got '" + v.asText() + "'");
    }
    return v.asDouble();
  }

  private static List<String> stringList(JsonNode n, String field, String source, String where) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return List.of();
    }
    if (!v.isArray()) {
      throw new ContractException(source + ": " + where + ": " + field + ": expected a list");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode e : v) {
      if (!e.isValueNode() || e.asText().isEmpty()) {
        throw new ContractException(source + ": " + where + ": " + field + ": expected a list of values");
      }
      out.add(e.asText());
    }
    return List.copyOf(out);
  }
}
