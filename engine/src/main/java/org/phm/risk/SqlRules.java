package org.phm.risk;

import org.phm.config.ConfigException;

import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.spark.sql.catalyst.analysis.UnresolvedAttribute;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.Literal;
import org.apache.spark.sql.catalyst.parser.CatalystSqlParser$;
import org.apache.spark.sql.types.DataTypes;

/**
 * Static checks of Spark SQL rule expressions written in definition files, without a Spark session:
 * parses the expression and lists the columns it refers to, so unknown columns are reported on load.
 */
public final class SqlRules {
  private SqlRules() {}

  /** Parses {@code sql}; a syntax error becomes a {@link ConfigException} with {@code where} as context. */
  public static Expression parse(String sql, String where) {
    try {
      return CatalystSqlParser$.MODULE$.parseExpression(sql);
    } catch (Exception e) {
      throw new ConfigException(where + ": not a valid Spark SQL expression '" + sql + "': "
          + String.valueOf(e.getMessage()).lines().findFirst().orElse(""), e);
    }
  }

  /** The column names an expression refers to (lower case, in order of appearance). */
  public static Set<String> columns(Expression e) {
    Set<String> out = new LinkedHashSet<>();
    collect(e, out);
    return out;
  }

  private static void collect(Expression e, Set<String> out) {
    if (e instanceof UnresolvedAttribute a) {
      out.add(a.name().toLowerCase(java.util.Locale.ROOT));
      return;
    }
    scala.jdk.javaapi.CollectionConverters.asJava(e.children()).forEach(c -> collect(c, out));
  }

  /** True when the expression is the literal {@code true}. */
  public static boolean isTrueLiteral(Expression e) {
    return e instanceof Literal l && l.dataType().equals(DataTypes.BooleanType) && Boolean.TRUE.equals(l.value());
  }

  /**
   * Checks a rule: parses it and requires every column it names to be in {@code known}.
   *
   * @throws ConfigException naming {@code where} and the first unknown column
   */
  public static Expression validate(String sql, Set<String> known, String where) {
    Expression e = parse(sql, where);
    for (String c : columns(e)) {
      if (!known.contains(c)) {
        throw new ConfigException(where + ": unknown column '" + c + "' in rule '" + sql
            + "' (known columns: " + String.join(", ", known) + ")");
      }
    }
    return e;
  }
}
