package org.phm.ig;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * NHS number normalisation and validation, in plain Java and as Spark expressions (normalisation built in, the
 * validity check one Java function).
 *
 * <p>Normalised form: surrounding whitespace removed, inner spaces and hyphens removed ("943 476 5919" →
 * "9434765919"). Valid: exactly 10 digits, not one digit repeated ten times (placeholders such as
 * 0000000000 or 9999999999), and the modulus-11 check digit matches: weights 10..2 on digits 1..9,
 * check = 11 − (sum mod 11), 11 → 0, 10 → invalid.
 */
public final class NhsNumbers {
  private NhsNumbers() {}

  /** Regular expression matching any NHS-number-shaped digit run (10 digits, or 3-3-4 with space/hyphen). */
  public static final String NHS_LIKE = "(?<![0-9])[0-9]{3}[ -]?[0-9]{3}[ -]?[0-9]{4}(?![0-9])";

  /**
   * Normalised form (every space and hyphen removed, as {@link #normalise(Column)} does in Spark), or null for null.
   * Other whitespace, such as a tab, stays and makes the number invalid on the driver and in ingest alike.
   */
  public static String normalise(String raw) {
    return raw == null ? null : raw.replace(" ", "").replace("-", "");
  }

  /** Why a normalised value is not a valid NHS number, or null when it is valid. */
  public static String invalidReason(String normalised) {
    if (normalised == null || normalised.length() != 10) {
      return "not 10 digits";
    }
    boolean repeated = true;
    for (int i = 0; i < 10; i++) {
      char ch = normalised.charAt(i);
      if (ch < '0' || ch > '9') {
        return "not 10 digits";
      }
      repeated &= ch == normalised.charAt(0);
    }
    if (repeated) {
      return "placeholder (one repeated digit)";
    }
    int check = checkDigit(Long.parseLong(normalised, 0, 9, 10));
    if (check < 0 || check != normalised.charAt(9) - '0') {
      return "modulus-11 check digit fails";
    }
    return null;
  }

  /**
   * Modulus-11 check digit of a nine-digit body (weights 10 down to 2), or -1 when the body has no
   * valid check digit (remainder 10: such numbers are never issued).
   */
  public static int checkDigit(long body) {
    if (body < 0 || body > 999_999_999L) {
      throw new IllegalArgumentException("an NHS number body has 9 digits");
    }
    int sum = 0;
    long b = body;
    for (int weight = 2; weight <= 10; weight++) {
      sum += (int) (b % 10) * weight;
      b /= 10;
    }
    int check = 11 - sum % 11;
    return check == 11 ? 0 : check == 10 ? -1 : check;
  }

  public static boolean isValid(String raw) {
    return invalidReason(normalise(raw)) == null;
  }

  /** Spark: normalised form of a string column. */
  public static Column normalise(Column raw) {
    // two plain replacements rather than a regular expression: no decoding to a Java string per value
    return functions.replace(functions.replace(raw, functions.lit(" "), functions.lit("")), functions.lit("-"),
        functions.lit(""));
  }

  /**
   * Spark: why a normalised value is invalid (the texts of {@link #invalidReason(String)}), null when valid or null.
   * A Java function rather than built-ins: as built-ins the modulus-11 check is ~2.5k bytes of generated code per use,
   * which pushed ingest's per-row method past the JIT's 8,000-byte limit and turned off whole-stage code generation
   * for the register and A&E files (docs/performance.md, seventh session).
   */
  public static Column invalidReason(Column normalised) {
    return INVALID_REASON.apply(normalised);
  }

  private static final UserDefinedFunction INVALID_REASON = functions.udf(
      (UDF1<String, String>) n -> n == null ? null : invalidReason(n), DataTypes.StringType)
      .withName("nhs_number_invalid_reason");

  /** Spark: true when a normalised value is a valid NHS number (false for null). */
  public static Column isValid(Column normalised) {
    return normalised.isNotNull().and(invalidReason(normalised).isNull());
  }
}
