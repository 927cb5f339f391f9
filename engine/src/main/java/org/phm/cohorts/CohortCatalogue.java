package org.phm.cohorts;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.phm.risk.ConfigNode;

/**
 * Loads and validates cohort definitions (YAML: {@code cohorts: [{id, name, description, criteria}]})
 * against the patient risk schema: every field must be a column (unknown field → error naming it and
 * the cohort), the operator must exist, and values must fit the operator and the column type.
 *
 * <p>{@code criteria} is either a list (all must hold) or a mapping with exactly one of {@code all}
 * / {@code any} holding a list whose items are conditions {@code {field, op, value}} or nested groups.
 */
public final class CohortCatalogue {
  /** Default definitions on the classpath. */
  public static final String DEFAULT_RESOURCE = "cohorts/cohorts.yaml";
  private static final Pattern ID = Pattern.compile("^[A-Z][A-Z0-9_]{1,39}$");

  private CohortCatalogue() {}

  /** The default cohorts, validated against {@code schema}. */
  public static List<CohortDefinition> defaults(StructType schema) {
    return parse(ConfigNode.parseResource(DEFAULT_RESOURCE), schema);
  }

  /** Cohorts from a user file, validated against {@code schema}. */
  public static List<CohortDefinition> load(Path file, StructType schema) {
    return parse(ConfigNode.parse(file), schema);
  }

  /** Cohorts from a parsed YAML root, validated against {@code schema}. */
  public static List<CohortDefinition> parse(ConfigNode root, StructType schema) {
    root.allowOnly("cohorts");
    List<CohortDefinition> out = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (ConfigNode c : root.get("cohorts").list()) {
      c.allowOnly("id", "name", "description", "criteria");
      String id = c.get("id").text();
      if (!ID.matcher(id).matches()) {
        throw c.get("id").error("cohort id '" + id + "' must be upper case letters, digits and _ (2-40 characters)");
      }
      if (!ids.add(id)) {
        throw c.get("id").error("cohort id '" + id + "' is defined twice");
      }
      String name = c.get("name").text();
      String description = c.has("description") ? c.get("description").text() : "";
      Criterion criteria = criterion(c.get("criteria"), id, schema, true);
      out.add(new CohortDefinition(id, name, description, criteria));
    }
    if (out.isEmpty()) {
      throw root.get("cohorts").error("at least one cohort is required");
    }
    return List.copyOf(out);
  }

  private static Criterion criterion(ConfigNode n, String cohort, StructType schema, boolean top) {
    if (n.isList()) {
      return group(true, n, cohort, schema);
    }
    if (!n.isMap()) {
      throw n.error("cohort " + cohort + ": expected a condition {field, op, value} or a group {all: [...]} / {any: [...]}");
    }
    Map<String, ConfigNode> f = n.fields();
    if (f.containsKey("all") || f.containsKey("any")) {
      if (f.size() != 1) {
        throw n.error("cohort " + cohort + ": a group has exactly one key, all or any");
      }
      boolean all = f.containsKey("all");
      return group(all, f.get(all ? "all" : "any"), cohort, schema);
    }
    return condition(n, cohort, schema);
  }

  private static Criterion group(boolean all, ConfigNode list, String cohort, StructType schema) {
    List<Criterion> items = new ArrayList<>();
    for (ConfigNode item : list.list()) {
      items.add(criterion(item, cohort, schema, false));
    }
    if (items.isEmpty()) {
      throw list.error("cohort " + cohort + ": an empty " + (all ? "all" : "any") + " group");
    }
    return new Criterion.Group(all, items);
  }

  private static Criterion condition(ConfigNode n, String cohort, StructType schema) {
    n.allowOnly("field", "op", "value");
    String field = n.get("field").text();
    StructField column = null;
    for (StructField sf : schema.fields()) {
      if (sf.name().equals(field)) {
        column = sf;
      }
    }
    if (column == null) {
      throw n.get("field").error("cohort " + cohort + ": unknown field '" + field + "' (patient risk columns: "
          + String.join(", ", schema.fieldNames()) + ")");
    }
    Criterion.Op op;
    try {
      op = Criterion.Op.parse(n.get("op").text());
    } catch (IllegalArgumentException e) {
      throw n.get("op").error("cohort " + cohort + ": unknown op '" + n.get("op").text()
          + "' (allowed: eq, ne, gt, ge, lt, le, in, is_null, not_null)");
    }
    List<Object> values = new ArrayList<>();
    if (!op.takesValue()) {
      if (n.has("value")) {
        throw n.get("value").error("cohort " + cohort + ": op " + op.yamlName() + " takes no value");
      }
    } else {
      ConfigNode v = n.get("value");
      if (op == Criterion.Op.IN) {
        if (!v.isList() || v.list().isEmpty()) {
          throw v.error("cohort " + cohort + ": op in needs a non-empty list of values");
        }
        for (ConfigNode x : v.list()) {
          values.add(typed(x, column.dataType(), cohort, field));
        }
      } else {
        if (!v.isScalar()) {
          throw v.error("cohort " + cohort + ": op " + op.yamlName() + " needs a single value");
        }
        values.add(typed(v, column.dataType(), cohort, field));
        boolean ordered = op == Criterion.Op.GT || op == Criterion.Op.GE || op == Criterion.Op.LT || op == Criterion.Op.LE;
        if (ordered && (column.dataType() instanceof BooleanType)) {
          throw n.get("op").error("cohort " + cohort + ": op " + op.yamlName() + " cannot compare boolean field " + field);
        }
      }
    }
    return new Criterion.Condition(field, op, values);
  }

  private static Object typed(ConfigNode v, DataType type, String cohort, String field) {
    Object x = v.scalar();
    if (type instanceof NumericType) {
      if (!(x instanceof Long || x instanceof Double)) {
        throw v.error("cohort " + cohort + ": field " + field + " is numeric, value '" + x + "' is not a number");
      }
      return x;
    }
    if (type instanceof StringType) {
      if (!(x instanceof String)) {
        throw v.error("cohort " + cohort + ": field " + field + " is text, quote the value '" + x + "'");
      }
      return x;
    }
    if (type instanceof BooleanType) {
      if (!(x instanceof Boolean)) {
        throw v.error("cohort " + cohort + ": field " + field + " is boolean, value '" + x + "' is not true/false");
      }
      return x;
    }
    if (type instanceof DateType) {
      try {
        return LocalDate.parse(String.valueOf(x));
      } catch (DateTimeParseException e) {
        throw v.error("cohort " + cohort + ": field " + field + " is a date, value '" + x + "' is not yyyy-MM-dd");
      }
    }
    throw v.error("cohort " + cohort + ": field " + field + " of type " + type.simpleString() + " cannot be used in criteria");
  }
}
