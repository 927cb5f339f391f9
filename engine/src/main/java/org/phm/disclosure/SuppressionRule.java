package org.phm.disclosure;

/**
 * Small-number disclosure control settings for shareable tables.
 *
 * @param minSuppressed          smallest count that is suppressed (usually 1: zeros are published)
 * @param maxSuppressed          largest count that is suppressed (usually 7)
 * @param protectSuppressedSum   also suppress further cells while the cells suppressed in a line with a published
 *                               total add up to no more than {@code maxSuppressed} (otherwise their sum, a small
 *                               number, would be disclosed by subtraction)
 * @param roundTo                round published counts to the nearest multiple of this (e.g. 5); 1 = no rounding
 */
public record SuppressionRule(long minSuppressed, long maxSuppressed, boolean protectSuppressedSum, long roundTo) {

    public SuppressionRule {
        if (minSuppressed < 0 || maxSuppressed < minSuppressed) {
            throw new IllegalArgumentException("need 0 <= minSuppressed <= maxSuppressed, got " + minSuppressed + ".."
                    + maxSuppressed);
        }
        if (roundTo < 1) throw new IllegalArgumentException("roundTo must be >= 1, got " + roundTo);
    }

    /** NHS default: counts 1–7 suppressed, suppressed sums protected, no rounding. */
    public static SuppressionRule standard() {
        return new SuppressionRule(1, 7, true, 1);
    }

    /** Same rule with counts from 1 to {@code maxSuppressed} suppressed. */
    public SuppressionRule withMaxSuppressed(long max) {
        return new SuppressionRule(minSuppressed, max, protectSuppressedSum, roundTo);
    }

    /** Same rule with published counts rounded to the nearest multiple of {@code base}. */
    public SuppressionRule withRounding(long base) {
        return new SuppressionRule(minSuppressed, maxSuppressed, protectSuppressedSum, base);
    }

    /** True when a count must be suppressed in its own right (primary suppression). */
    public boolean isSmall(long count) {
        return count >= minSuppressed && count <= maxSuppressed;
    }
}
