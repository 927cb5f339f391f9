package org.phm.disclosure;

/** Rounding of published counts (e.g. to the nearest 5), halves rounded up, as ONS/NHS publications do. */
public final class Rounding {
    private Rounding() {}

    /** Nearest multiple of {@code base} (≥ 1); halves round away from zero; base 1 returns the value. */
    public static long toNearest(long value, long base) {
        if (base < 1) throw new IllegalArgumentException("base must be >= 1");
        if (base == 1) return value;
        long sign = value < 0 ? -1 : 1;
        long abs = Math.abs(value);
        long down = abs / base * base;
        long rounded = 2 * (abs - down) >= base ? down + base : down;
        return sign * rounded;
    }
}
