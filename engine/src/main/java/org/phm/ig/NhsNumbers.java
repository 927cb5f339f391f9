package org.phm.ig;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataTypes;

/**
 * NHS number normalisation and validation, in plain Java and as built-in Spark expressions (no UDF).
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

  /** Normalised form, or null for null. */
  public static String normalise(String raw) {
    return raw == null ? null : raw.strip().replaceAll("[ -]", "");
  }

  /** Why a normalised value is not a valid NHS number, or null when it is valid. */
  public static String invalidReason(String normalised) {
    if (normalised == null || !normalised.matches("[0-9]{10}")) {
      return "not 10 digits";
    }
    if (normalised.chars().distinct().count() == 1) {
      return "placeholder (one repeated digit)";
    }
    int check = checkDigit(Long.parseLong(normalised.substring(0, 9)));
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
    return regexp_replace(org.apache.spark.sql.functions.trim(raw), "[ -]", "");
  }

  /** Spark: the check digit the first nine digits imply (10 means no valid number has them). */
  private static Column expectedCheckDigit(Column n) {
    Column sum = lit(0);
    for (int i = 1; i <= 9; i++) {
      sum = sum.plus(substring(n, i, 1).cast(DataTypes.IntegerType).multiply(11 - i));
    }
    Column check = lit(11).minus(sum.mod(11));
    return when(check.equalTo(11), lit(0)).otherwise(check);
  }

  /** Spark: why a normalised value is invalid (same texts as {@link #invalidReason}), null when valid or null. */
  public static Column invalidReason(Column normalised) {
    Column n = normalised;
    return when(n.isNull(), lit(null).cast(DataTypes.StringType))
        .when(n.rlike("^[0-9]{10}$").unary_$bang(), lit("not 10 digits"))
        .when(n.rlike("^([0-9])\\1{9}$"), lit("placeholder (one repeated digit)"))
        .when(expectedCheckDigit(n).notEqual(substring(n, 10, 1).cast(DataTypes.IntegerType)),
            lit("modulus-11 check digit fails"));
  }

  /** Spark: true when a normalised value is a valid NHS number (false for null). */
  public static Column isValid(Column normalised) {
    return normalised.isNotNull().and(invalidReason(normalised).isNull());
  }
}
