package org.phm.bench;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * A Spark SQL setting whose values a harness alternates within each repetition ({@code setting=A,B} on the command
 * line), so variants are compared on the same machine state in one JVM. Without the argument there is one variant
 * and nothing is set.
 *
 * @param setting the setting's name, or null
 * @param values the values to alternate ({@code [null]} without a setting)
 */
record Alternation(String setting, List<String> values) {
  /** Parses {@code setting=A,B,...}; a null argument gives the single unchanged variant. */
  static Alternation parse(String arg) {
    if (arg == null) {
      return new Alternation(null, Arrays.asList((String) null));
    }
    int eq = arg.indexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException("expected setting=value1,value2,... but got " + arg);
    }
    return new Alternation(arg.substring(0, eq), List.of(arg.substring(eq + 1).split(",")));
  }

  /** Sets the variant's value (nothing without a setting) and returns its label for the report line. */
  String apply(SparkSession spark, String value) {
    if (setting == null) {
      return "";
    }
    spark.conf().set(setting, value);
    return " " + setting + "=" + value;
  }
}
