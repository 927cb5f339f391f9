package org.phm.disclosure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Small-number suppression with secondary (complementary) suppression for shareable count tables.
 *
 * <p>Primary: every count in [minSuppressed, maxSuppressed] (default 1–7) is suppressed, totals included.
 * Secondary: a "line" is a set of parts with their published total (a 1-D breakdown, or a row or column of a 2-D
 * table with margins, where the margins are themselves parts of the margin line). Repeatedly, until stable:
 * <ol>
 *   <li>a line with exactly one suppressed entry would let that entry be recovered as total − Σ others, so the
 *       next-smallest published part of the line (preferring non-zero counts, then cells whose other line already
 *       has a suppression) is suppressed too — or the total when no part is left;</li>
 *   <li>with {@link SuppressionRule#protectSuppressedSum()}, a line whose total is published and whose suppressed
 *       parts add up to a small number (≤ maxSuppressed) gets another suppression, since that sum is disclosed;</li>
 *   <li>when every line is safe, an audit solves the whole system of line equations (rank test: an entry is
 *       determined iff removing its column lowers the rank of the constraint matrix over suppressed entries) and
 *       any suppressed entry still determined by a combination of lines gets a further complementary
 *       suppression in one of its lines.</li>
 * </ol>
 * So no suppressed value can be derived from published totals by subtraction or any linear combination of lines.
 * Published counts may then be rounded ({@link SuppressionRule#roundTo()}, independently per cell). Pure functions:
 * inputs are not modified.
 */
public final class SmallNumberSuppression {
    private SmallNumberSuppression() {}

    /**
     * A suppressed 1-D breakdown.
     *
     * @param parts       published parts (null = suppressed), rounded if the rule says so
     * @param total       published total (null = suppressed)
     * @param partStatus  status of each part
     * @param totalStatus status of the total
     */
    public record SuppressedLine(Long[] parts, Long total, CellStatus[] partStatus, CellStatus totalStatus) {}

    /**
     * A suppressed 2-D table with margins.
     *
     * @param cells    (rows+1) × (columns+1) grid: the table, row totals in the last column, column totals in the
     *                 last row, the grand total bottom-right; null = suppressed; rounded if the rule says so
     * @param status   status of each grid entry, same shape
     */
    public record SuppressedTable(Long[][] cells, CellStatus[][] status) {
        /** Number of body rows (without the totals row). */
        public int rows() {
            return cells.length - 1;
        }

        /** Number of body columns (without the totals column). */
        public int columns() {
            return cells[0].length - 1;
        }

        /** Count of suppressed entries (body and margins). */
        public int suppressedCount() {
            int n = 0;
            for (CellStatus[] row : status) for (CellStatus s : row) if (s.suppressed()) n++;
            return n;
        }
    }

    /** Suppresses a set of non-negative parts that sum to a published total. */
    public static SuppressedLine suppress(long[] parts, SuppressionRule rule) {
        long total = 0;
        for (long p : parts) {
            if (p < 0) throw new IllegalArgumentException("counts must be >= 0, got " + p);
            total += p;
        }
        int k = parts.length;
        long[] values = Arrays.copyOf(parts, k + 1);
        values[k] = total;
        int[] line = new int[k + 1];
        for (int i = 0; i <= k; i++) line[i] = i;
        CellStatus[] status = solve(values, List.of(line), rule);
        Long[] out = new Long[k];
        for (int i = 0; i < k; i++) out[i] = publish(values[i], status[i], rule);
        return new SuppressedLine(out, publish(total, status[k], rule), Arrays.copyOf(status, k), status[k]);
    }

    /** Suppresses a 2-D table of non-negative counts; row, column and grand totals are computed and published. */
    public static SuppressedTable suppress(long[][] table, SuppressionRule rule) {
        int r = table.length;
        if (r == 0) throw new IllegalArgumentException("table has no rows");
        int c = table[0].length;
        int cols = c + 1;
        long[] values = new long[(r + 1) * cols];
        for (int i = 0; i < r; i++) {
            if (table[i].length != c) throw new IllegalArgumentException("row " + i + " has " + table[i].length + " columns, expected " + c);
            for (int j = 0; j < c; j++) {
                long v = table[i][j];
                if (v < 0) throw new IllegalArgumentException("counts must be >= 0, got " + v + " at " + i + "," + j);
                values[i * cols + j] = v;
                values[i * cols + c] += v;
                values[r * cols + j] += v;
                values[r * cols + c] += v;
            }
        }
        List<int[]> lines = new ArrayList<>();
        for (int i = 0; i <= r; i++) {
            int[] line = new int[c + 1];
            for (int j = 0; j <= c; j++) line[j] = i * cols + j;
            lines.add(line);
        }
        for (int j = 0; j <= c; j++) {
            int[] line = new int[r + 1];
            for (int i = 0; i <= r; i++) line[i] = i * cols + j;
            lines.add(line);
        }
        CellStatus[] status = solve(values, lines, rule);
        Long[][] cells = new Long[r + 1][cols];
        CellStatus[][] st = new CellStatus[r + 1][cols];
        for (int i = 0; i <= r; i++) {
            for (int j = 0; j < cols; j++) {
                st[i][j] = status[i * cols + j];
                cells[i][j] = publish(values[i * cols + j], st[i][j], rule);
            }
        }
        return new SuppressedTable(cells, st);
    }

    private static Long publish(long value, CellStatus status, SuppressionRule rule) {
        return status.suppressed() ? null : Rounding.toNearest(value, rule.roundTo());
    }

    /**
     * Core algorithm over entries and lines; each line lists part entries followed by its total entry (last).
     */
    static CellStatus[] solve(long[] values, List<int[]> lines, SuppressionRule rule) {
        int n = values.length;
        CellStatus[] status = new CellStatus[n];
        for (int e = 0; e < n; e++) status[e] = rule.isSmall(values[e]) ? CellStatus.PRIMARY : CellStatus.PUBLISHED;
        List<List<int[]>> linesOf = new ArrayList<>();
        for (int e = 0; e < n; e++) linesOf.add(new ArrayList<>());
        for (int[] line : lines) for (int e : line) linesOf.get(e).add(line);

        boolean changed = true;
        while (changed) {
            changed = false;
            for (int[] line : lines) {
                if (needsMore(line, values, status, rule)) {
                    int pick = complement(line, values, status, linesOf);
                    if (pick >= 0) {
                        status[pick] = CellStatus.SECONDARY;
                        changed = true;
                    }
                }
            }
            if (!changed) {
                int determined = firstDetermined(n, lines, status);
                if (determined >= 0) {
                    for (int[] line : linesOf.get(determined)) {
                        int pick = complement(line, values, status, linesOf);
                        if (pick >= 0) {
                            status[pick] = CellStatus.SECONDARY;
                            changed = true;
                            break;
                        }
                    }
                }
            }
        }
        return status;
    }

    private static boolean needsMore(int[] line, long[] values, CellStatus[] status, SuppressionRule rule) {
        int suppressed = 0;
        long suppressedParts = 0;
        for (int i = 0; i < line.length; i++) {
            if (status[line[i]].suppressed()) {
                suppressed++;
                if (i < line.length - 1) suppressedParts += values[line[i]];
            }
        }
        if (suppressed == 1) return true;
        boolean totalPublished = !status[line[line.length - 1]].suppressed();
        return rule.protectSuppressedSum() && suppressed >= 2 && totalPublished
                && suppressedParts > 0 && suppressedParts <= rule.maxSuppressed() && hasPublishedPart(line, status);
    }

    private static boolean hasPublishedPart(int[] line, CellStatus[] status) {
        for (int i = 0; i < line.length - 1; i++) if (!status[line[i]].suppressed()) return true;
        return false;
    }

    /** Next-smallest published part (non-zero first, then cells whose other lines already hold suppressions). */
    private static int complement(int[] line, long[] values, CellStatus[] status, List<List<int[]>> linesOf) {
        int best = -1;
        for (int i = 0; i < line.length - 1; i++) {
            int e = line[i];
            if (status[e].suppressed()) continue;
            if (best < 0 || better(e, best, values, status, linesOf, line)) best = e;
        }
        if (best < 0) {
            int total = line[line.length - 1];
            if (!status[total].suppressed()) best = total;
        }
        return best;
    }

    private static boolean better(int a, int b, long[] values, CellStatus[] status, List<List<int[]>> linesOf, int[] line) {
        boolean aZero = values[a] == 0;
        boolean bZero = values[b] == 0;
        if (aZero != bZero) return !aZero;
        if (values[a] != values[b]) return values[a] < values[b];
        return otherLineSuppressions(a, status, linesOf, line) > otherLineSuppressions(b, status, linesOf, line);
    }

    private static int otherLineSuppressions(int e, CellStatus[] status, List<List<int[]>> linesOf, int[] except) {
        int count = 0;
        for (int[] line : linesOf.get(e)) {
            if (line == except) continue;
            for (int x : line) if (status[x].suppressed()) count++;
        }
        return count;
    }

    /** First suppressed entry whose value follows from the line equations, or -1. */
    private static int firstDetermined(int n, List<int[]> lines, CellStatus[] status) {
        int[] unknowns = new int[n];
        Arrays.fill(unknowns, -1);
        int u = 0;
        for (int e = 0; e < n; e++) if (status[e].suppressed()) unknowns[e] = u++;
        if (u == 0) return -1;
        double[][] a = new double[lines.size()][u];
        for (int l = 0; l < lines.size(); l++) {
            int[] line = lines.get(l);
            for (int i = 0; i < line.length; i++) {
                int col = unknowns[line[i]];
                if (col >= 0) a[l][col] = i < line.length - 1 ? 1 : -1;
            }
        }
        int full = rank(a, -1);
        for (int e = 0; e < n; e++) {
            if (unknowns[e] >= 0 && rank(a, unknowns[e]) < full) return e;
        }
        return -1;
    }

    /** Rank of the matrix with one column left out (skip = -1 keeps all), by Gaussian elimination. */
    private static int rank(double[][] matrix, int skip) {
        int rows = matrix.length;
        int cols = matrix.length == 0 ? 0 : matrix[0].length;
        double[][] m = new double[rows][];
        for (int i = 0; i < rows; i++) m[i] = matrix[i].clone();
        int rank = 0;
        for (int col = 0; col < cols && rank < rows; col++) {
            if (col == skip) continue;
            int pivot = -1;
            double best = 1e-9;
            for (int i = rank; i < rows; i++) {
                if (Math.abs(m[i][col]) > best) {
                    best = Math.abs(m[i][col]);
                    pivot = i;
                }
            }
            if (pivot < 0) continue;
            double[] tmp = m[rank];
            m[rank] = m[pivot];
            m[pivot] = tmp;
            for (int i = rank + 1; i < rows; i++) {
                double f = m[i][col] / m[rank][col];
                if (f == 0) continue;
                for (int j = col; j < cols; j++) m[i][j] -= f * m[rank][j];
            }
            rank++;
        }
        return rank;
    }
}
