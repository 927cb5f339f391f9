package org.phm.sample;

/**
 * Minting and deliberately corrupting NHS numbers for the generator; the check-digit rule itself is
 * {@link org.phm.ig.NhsNumbers}, the one the ingest validates with.
 */
public final class NhsNumbers {
  private NhsNumbers() {}

  /** Check digit for a nine-digit body, or -1 when it has none (the engine's validator is the one definition). */
  public static int checkDigit(long body) {
    return org.phm.ig.NhsNumbers.checkDigit(body);
  }

  /** True when {@code s} is a valid NHS number by the engine's own rules (modulus 11, no placeholders). */
  public static boolean isValid(String s) {
    return org.phm.ig.NhsNumbers.isValid(s);
  }

  /** Ten-digit number for a body with a valid check digit; throws if the body has none. */
  public static String format(long body) {
    int cd = checkDigit(body);
    if (cd < 0) throw new IllegalArgumentException("body has no valid check digit");
    return pad9(body) + cd;
  }

  /** The same body with a different (therefore wrong) check digit. */
  public static String corrupt(String valid, int shift) {
    int d = valid.charAt(9) - '0';
    int wrong = (d + 1 + Math.floorMod(shift, 9)) % 10;
    return valid.substring(0, 9) + wrong;
  }

  static String pad9(long body) {
    String s = Long.toString(body);
    return "000000000".substring(s.length()) + s;
  }
}
