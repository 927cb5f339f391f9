package org.phm.cohorts;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.spark.sql.Column;

/**
 * A cohort criterion: either one structured condition {@code {field, op, value}} or a group of
 * criteria combined with {@code all} (AND) or {@code any} (OR). Turned into a Spark built-in
 * boolean expression; a NULL comparison (missing value) means "not met".
 */
public sealed interface Criterion permits Criterion.Condition, Criterion.Group {

  /** The criterion as a Spark boolean expression (never null: unknown counts as false). */
  Column toColumn();

  /** Fields referred to. */
  Set<String> fields();

  /** Comparison operators. */
  enum Op {
    EQ, NE, GT, GE, LT, LE, IN, IS_NULL, NOT_NULL;

    public static Op parse(String s) {
      return Op.valueOf(s.strip().toUpperCase(Locale.ROOT));
    }

    public boolean takesValue() {
      return this != IS_NULL && this != NOT_NULL;
    }

    public String yamlName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One condition on a patient risk column.
   *
   * @param values the comparison value(s): one for eq..le, one or more for in, none for is_null/not_null
   */
  record Condition(String field, Op op, List<Object> values) implements Criterion {
    public Condition {
      values = values == null ? List.of() : List.copyOf(values);
    }

    @Override
    public Column toColumn() {
      Column c = col(field);
      Column test = switch (op) {
        case EQ -> c.equalTo(lit(values.get(0)));
        case NE -> c.notEqual(lit(values.get(0)));
        case GT -> c.gt(lit(values.get(0)));
        case GE -> c.geq(lit(values.get(0)));
        case LT -> c.lt(lit(values.get(0)));
        case LE -> c.leq(lit(values.get(0)));
        case IN -> c.isin(values.toArray());
        case IS_NULL -> c.isNull();
        case NOT_NULL -> c.isNotNull();
      };
      return org.apache.spark.sql.functions.coalesce(test, lit(false));
    }

    @Override
    public Set<String> fields() {
      return Set.of(field);
    }
  }

  /** Criteria combined with AND ({@code all}) or OR ({@code any}). */
  record Group(boolean all, List<Criterion> items) implements Criterion {
    public Group {
      items = List.copyOf(items);
    }

    @Override
    public Column toColumn() {
      Column out = null;
      for (Criterion c : items) {
        Column x = c.toColumn();
        out = out == null ? x : (all ? out.and(x) : out.or(x));
      }
      return out;
    }

    @Override
    public Set<String> fields() {
      Set<String> out = new LinkedHashSet<>();
      items.forEach(i -> out.addAll(i.fields()));
      return out;
    }

    @Override
    public String toString() {
      List<String> parts = new ArrayList<>();
      items.forEach(i -> parts.add(i.toString()));
      return (all ? "all" : "any") + parts;
    }
  }
}
