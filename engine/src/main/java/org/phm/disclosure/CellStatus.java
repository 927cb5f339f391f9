package org.phm.disclosure;

/** Why a cell of a shareable table is or is not published. */
public enum CellStatus {
    /** Published (possibly rounded). */
    PUBLISHED,
    /** Suppressed because the count is small. */
    PRIMARY,
    /** Suppressed so that a primary-suppressed cell cannot be recovered from totals (complementary suppression). */
    SECONDARY;

    public boolean suppressed() {
        return this != PUBLISHED;
    }
}
