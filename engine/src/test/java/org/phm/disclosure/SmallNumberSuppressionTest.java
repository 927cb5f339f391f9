package org.phm.disclosure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.phm.disclosure.SmallNumberSuppression.SuppressedLine;
import org.phm.disclosure.SmallNumberSuppression.SuppressedTable;

/**
 * Suppression tests. The "attacker" here is independent of the production algorithm: it knows the published
 * grid and that every row/column adds up to its total, and tries (1) repeated subtraction and (2) exhaustive
 * search over non-negative integers, to pin down suppressed values.
 */
class SmallNumberSuppressionTest {

    private static final SuppressionRule RULE = SuppressionRule.standard();

    // ------------------------------------------------------------ 1-D

    @Test
    void singleSmallPartGetsAComplement() {
        SuppressedLine s = SmallNumberSuppression.suppress(new long[] {3, 20, 30, 50}, RULE);
        assertArrayEquals(new CellStatus[] {CellStatus.PRIMARY, CellStatus.SECONDARY, CellStatus.PUBLISHED, CellStatus.PUBLISHED},
                s.partStatus());
        assertEquals(103L, s.total());
        assertNull(s.parts()[0]);
        assertNull(s.parts()[1]);
        assertEquals(30L, s.parts()[2]);
        assertTrue(recoverBySubtraction1D(s).isEmpty());
    }

    @Test
    void smallSumOfSuppressedPartsIsProtected() {
        SuppressedLine s = SmallNumberSuppression.suppress(new long[] {3, 2, 100, 200}, RULE);
        assertEquals(CellStatus.PRIMARY, s.partStatus()[0]);
        assertEquals(CellStatus.PRIMARY, s.partStatus()[1]);
        assertEquals(CellStatus.SECONDARY, s.partStatus()[2], "3 + 2 = 5 would be disclosed by subtraction");
        SuppressedLine loose = SmallNumberSuppression.suppress(new long[] {3, 2, 100, 200},
                new SuppressionRule(1, 7, false, 1));
        assertEquals(CellStatus.PUBLISHED, loose.partStatus()[2]);
    }

    @Test
    void zerosArePublishedAndNotPreferredAsComplements() {
        SuppressedLine s = SmallNumberSuppression.suppress(new long[] {3, 0, 0, 40}, RULE);
        assertEquals(0L, s.parts()[1]);
        assertEquals(0L, s.parts()[2]);
        assertEquals(CellStatus.SECONDARY, s.partStatus()[3]);
        SuppressedLine none = SmallNumberSuppression.suppress(new long[] {0, 0, 50}, RULE);
        assertEquals(CellStatus.PUBLISHED, none.totalStatus());
        assertArrayEquals(new Long[] {0L, 0L, 50L}, none.parts());
    }

    @Test
    void smallTotalIsSuppressedToo() {
        SuppressedLine s = SmallNumberSuppression.suppress(new long[] {5, 0}, RULE);
        assertNull(s.total());
        assertNull(s.parts()[0]);
        assertEquals(CellStatus.PRIMARY, s.totalStatus());
    }

    @Test
    void thresholdAndRoundingAreConfigurable() {
        SuppressedLine s = SmallNumberSuppression.suppress(new long[] {9, 12, 33, 48}, RULE.withMaxSuppressed(10));
        assertEquals(CellStatus.PRIMARY, s.partStatus()[0]);
        assertEquals(CellStatus.SECONDARY, s.partStatus()[1]);
        SuppressedLine r = SmallNumberSuppression.suppress(new long[] {9, 12, 33, 48}, RULE.withRounding(5));
        assertEquals(10L, r.parts()[0]);
        assertEquals(10L, r.parts()[1]);
        assertEquals(35L, r.parts()[2]);
        assertEquals(50L, r.parts()[3]);
        assertEquals(100L, r.total());
        assertEquals(0, Rounding.toNearest(2, 5));
        assertEquals(5, Rounding.toNearest(3, 5));
        assertEquals(10, Rounding.toNearest(12, 5));
        assertEquals(15, Rounding.toNearest(13, 5));
        assertEquals(-5, Rounding.toNearest(-3, 5));
        assertEquals(7, Rounding.toNearest(7, 1));
        assertThrows(IllegalArgumentException.class, () -> new SuppressionRule(5, 2, true, 1));
        assertThrows(IllegalArgumentException.class, () -> SmallNumberSuppression.suppress(new long[] {-1, 2}, RULE));
    }

    // ------------------------------------------------------------ 2-D

    @Test
    void primaryOnlySuppressionIsRecoverable_soTheAttackerWorks() {
        long[][] t = {{3, 20, 30}, {25, 40, 35}, {12, 18, 50}};
        Long[][] naive = grid(t);
        naive[0][0] = null;
        Map<String, Long> recovered = recoverBySubtraction(naive);
        assertEquals(3L, recovered.get("0,0"));
    }

    @Test
    void handWorkedTableCannotBeRecovered() {
        long[][] t = {{3, 20, 30}, {25, 40, 35}, {12, 18, 50}};
        SuppressedTable s = SmallNumberSuppression.suppress(t, RULE);
        assertEquals(CellStatus.PRIMARY, s.status()[0][0]);
        assertTrue(s.suppressedCount() >= 4, "at least a 2x2 pattern is needed");
        assertSafe(t, s);
        assertTrue(recoverBySubtraction(s.cells()).isEmpty());
        assertTrue(search(s.cells(), 2_000_000).allAmbiguous(), "exhaustive search pins a suppressed value");
    }

    @Test
    void smallMarginIsSuppressedAndProtected() {
        long[][] t = {{2, 1, 0}, {30, 25, 40}, {22, 35, 41}};
        SuppressedTable s = SmallNumberSuppression.suppress(t, RULE);
        assertEquals(CellStatus.PRIMARY, s.status()[0][3], "row total 3 is small");
        assertSafe(t, s);
        assertTrue(recoverBySubtraction(s.cells()).isEmpty());
        assertTrue(search(s.cells(), 2_000_000).allAmbiguous());
    }

    @Test
    void randomTablesCannotBeRecovered() {
        Random r = new Random(20261125L);
        int searched = 0;
        for (int n = 0; n < 200; n++) {
            int rows = 2 + r.nextInt(4);
            int cols = 2 + r.nextInt(4);
            long[][] t = new long[rows][cols];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    t[i][j] = r.nextDouble() < 0.3 ? r.nextInt(8) : r.nextInt(60);
                }
            }
            SuppressedTable s = SmallNumberSuppression.suppress(t, RULE);
            assertSafe(t, s);
            Map<String, Long> rec = recoverBySubtraction(s.cells());
            assertTrue(rec.isEmpty(), "table " + n + " recovered " + rec);
            if (rows * cols <= 9) {
                Search res = search(s.cells(), 3_000_000);
                if (res.complete) {
                    searched++;
                    assertTrue(res.allAmbiguous(), "table " + n + ": exhaustive search pins " + res.pinned());
                }
            }
        }
        assertTrue(searched > 10, "exhaustive search should complete for many small tables, did " + searched);
    }

    /** Small counts suppressed, published cells untouched, every line with 0 or ≥ 2 suppressions. */
    private static void assertSafe(long[][] t, SuppressedTable s) {
        int r = t.length;
        int c = t[0].length;
        long[][] full = new long[r + 1][c + 1];
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                full[i][j] = t[i][j];
                full[i][c] += t[i][j];
                full[r][j] += t[i][j];
                full[r][c] += t[i][j];
            }
        }
        for (int i = 0; i <= r; i++) {
            for (int j = 0; j <= c; j++) {
                if (full[i][j] >= 1 && full[i][j] <= 7) assertNull(s.cells()[i][j], "small count published at " + i + "," + j);
                if (s.cells()[i][j] != null) assertEquals(full[i][j], s.cells()[i][j], "published value changed at " + i + "," + j);
                assertEquals(s.cells()[i][j] == null, s.status()[i][j].suppressed());
            }
        }
        for (int i = 0; i <= r; i++) {
            int k = 0;
            for (int j = 0; j <= c; j++) if (s.cells()[i][j] == null) k++;
            assertTrue(k != 1, "row " + i + " has a single suppression");
        }
        for (int j = 0; j <= c; j++) {
            int k = 0;
            for (int i = 0; i <= r; i++) if (s.cells()[i][j] == null) k++;
            assertTrue(k != 1, "column " + j + " has a single suppression");
        }
    }

    // ------------------------------------------------------------ the attacker

    private static Long[][] grid(long[][] t) {
        int r = t.length;
        int c = t[0].length;
        Long[][] g = new Long[r + 1][c + 1];
        long[] rowT = new long[r];
        long[] colT = new long[c];
        long all = 0;
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                g[i][j] = t[i][j];
                rowT[i] += t[i][j];
                colT[j] += t[i][j];
                all += t[i][j];
            }
        }
        for (int i = 0; i < r; i++) g[i][c] = rowT[i];
        for (int j = 0; j < c; j++) g[r][j] = colT[j];
        g[r][c] = all;
        return g;
    }

    /** Lines of the grid as lists of {i, j}; the last entry is the line's total. */
    private static List<int[][]> lines(Long[][] g) {
        int rows = g.length;
        int cols = g[0].length;
        List<int[][]> out = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            int[][] line = new int[cols][];
            for (int j = 0; j < cols; j++) line[j] = new int[] {i, j};
            out.add(line);
        }
        for (int j = 0; j < cols; j++) {
            int[][] line = new int[rows][];
            for (int i = 0; i < rows; i++) line[i] = new int[] {i, j};
            out.add(line);
        }
        return out;
    }

    /** Repeated subtraction: any line with one unknown reveals it; iterate until nothing new. */
    private static Map<String, Long> recoverBySubtraction(Long[][] published) {
        Long[][] g = new Long[published.length][];
        for (int i = 0; i < g.length; i++) g[i] = published[i].clone();
        Map<String, Long> recovered = new HashMap<>();
        boolean progress = true;
        while (progress) {
            progress = false;
            for (int[][] line : lines(g)) {
                int unknown = -1;
                int count = 0;
                long partsKnown = 0;
                for (int k = 0; k < line.length; k++) {
                    Long v = g[line[k][0]][line[k][1]];
                    if (v == null) {
                        count++;
                        unknown = k;
                    } else if (k < line.length - 1) {
                        partsKnown += v;
                    }
                }
                if (count != 1) continue;
                int[] cell = line[unknown];
                long value = unknown == line.length - 1 ? partsKnown
                        : g[line[line.length - 1][0]][line[line.length - 1][1]] - partsKnown;
                g[cell[0]][cell[1]] = value;
                recovered.put(cell[0] + "," + cell[1], value);
                progress = true;
            }
        }
        return recovered;
    }

    private static Set<Integer> recoverBySubtraction1D(SuppressedLine s) {
        Long[][] g = new Long[1][s.parts().length + 1];
        for (int j = 0; j < s.parts().length; j++) g[0][j] = s.parts()[j];
        g[0][s.parts().length] = s.total();
        Set<Integer> out = new HashSet<>();
        // a 1-D line: only the row equation is known
        int count = 0;
        for (Long v : g[0]) if (v == null) count++;
        if (count == 1) out.add(0);
        return out;
    }

    /** Result of the exhaustive search: the values each unknown took over all consistent solutions found. */
    private record Search(List<int[]> unknowns, List<Set<Long>> values, boolean complete) {
        boolean allAmbiguous() {
            return values.stream().allMatch(v -> v.size() >= 2);
        }

        List<String> pinned() {
            List<String> out = new ArrayList<>();
            for (int k = 0; k < unknowns.size(); k++) {
                if (values.get(k).size() < 2) out.add(unknowns.get(k)[0] + "," + unknowns.get(k)[1] + "=" + values.get(k));
            }
            return out;
        }
    }

    /** Enumerates non-negative integer fillings of the suppressed entries consistent with all line equations. */
    private static Search search(Long[][] published, int nodeLimit) {
        List<int[]> unknowns = new ArrayList<>();
        for (int i = 0; i < published.length; i++) {
            for (int j = 0; j < published[i].length; j++) if (published[i][j] == null) unknowns.add(new int[] {i, j});
        }
        long cap = 0;
        for (Long[] row : published) for (Long v : row) if (v != null) cap = Math.max(cap, v);
        List<Set<Long>> values = new ArrayList<>();
        for (int k = 0; k < unknowns.size(); k++) values.add(new HashSet<>());
        Long[][] g = new Long[published.length][];
        for (int i = 0; i < g.length; i++) g[i] = published[i].clone();
        int[] nodes = {0};
        boolean complete = dfs(g, unknowns, 0, lines(g), values, Math.max(cap, 1) * 2, nodes, nodeLimit);
        return new Search(unknowns, values, complete);
    }

    private static boolean dfs(Long[][] g, List<int[]> unknowns, int k, List<int[][]> lines, List<Set<Long>> values,
                               long cap, int[] nodes, int limit) {
        if (++nodes[0] > limit) return false;
        if (!consistent(g, lines)) return true;
        if (k == unknowns.size()) {
            for (int u = 0; u < unknowns.size(); u++) values.get(u).add(g[unknowns.get(u)[0]][unknowns.get(u)[1]]);
            return true;
        }
        int[] cell = unknowns.get(k);
        for (long v = 0; v <= cap; v++) {
            g[cell[0]][cell[1]] = v;
            if (!dfs(g, unknowns, k + 1, lines, values, cap, nodes, limit)) {
                g[cell[0]][cell[1]] = null;
                return false;
            }
        }
        g[cell[0]][cell[1]] = null;
        return true;
    }

    /** Fully known lines must add up; partly known lines with a known total must not exceed it. */
    private static boolean consistent(Long[][] g, List<int[][]> lines) {
        for (int[][] line : lines) {
            long parts = 0;
            boolean allParts = true;
            for (int k = 0; k < line.length - 1; k++) {
                Long v = g[line[k][0]][line[k][1]];
                if (v == null) allParts = false; else parts += v;
            }
            Long total = g[line[line.length - 1][0]][line[line.length - 1][1]];
            if (total == null) continue;
            if (parts > total) return false;
            if (allParts && parts != total) return false;
        }
        return true;
    }

    @Test
    void searchFindsTheValueOfANaivelySuppressedCell() {
        long[][] t = {{3, 20}, {25, 40}};
        Long[][] g = grid(t);
        g[0][0] = null;
        g[0][1] = null; // two in row 0, but column 0 still has one
        Search res = search(g, 1_000_000);
        assertTrue(res.complete);
        assertFalse(res.allAmbiguous());
        assertNotNull(recoverBySubtraction(g).get("0,0"));
    }
}
