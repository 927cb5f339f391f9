package org.phm.sample;

/**
 * NHS number check-digit arithmetic (modulus 11, weights 10..2 on the first nine digits).
 * Pure functions; used by the generator to mint valid numbers and to corrupt them on purpose.
 */
public final class NhsNumbers {
  private NhsNumbers() {}

  /** Check digit for a nine-digit body, or -1 when the body has no valid check digit (remainder 10). */
  public static int checkDigit(long body) {
    if (body < 0 || body > 999_999_999L) throw new IllegalArgumentException("body must have 9 digits");
    int sum = 0;
    long b = body;
    for (int w = 2; w <= 10; w++) { // last body digit has weight 2, first has weight 10
      sum += (int) (b % 10) * w;
      b /= 10;
    }
    int r = 11 - (sum % 11);
    if (r == 11) return 0;
    if (r == 10) return -1;
    return r;
  }

  /** True when {@code s} is exactly ten digits whose last digit is the modulus-11 check digit of the first nine. */
  public static boolean isValid(String s) {
    if (s == null || s.length() != 10) return false;
    long body = 0;
    for (int i = 0; i < 9; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') return false;
      body = body * 10 + (c - '0');
    }
    char last = s.charAt(9);
    if (last < '0' || last > '9') return false;
    int cd = checkDigit(body);
    return cd >= 0 && cd == last - '0';
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
