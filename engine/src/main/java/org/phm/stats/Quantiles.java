package org.phm.stats;

/**
 * Assigns areas to quantiles (e.g. deprivation deciles/quintiles) as Fingertips does, following
 * {@code phe_quantile} in PHEindicatormethods (R/Quantiles.R). Grouping by a higher geography is the caller's job:
 * call once per group.
 *
 * <p>Method: with N non-missing values and q quantiles, rank the (optionally inverted: max − value) values with
 * ties given the minimum rank; quantile = floor((q+1) − ceil(((N+1) − rank) / (N/q))), with 0 mapped to 1.
 * With {@code inverted = true} (the package default) quantile 1 holds the highest values (e.g. IMD score:
 * 1 = most deprived).
 *
 * <p>Edges: NaN values get no quantile (0 in the result); when N &lt; q no area gets a quantile; tied values
 * always share a quantile.
 */
public final class Quantiles {
    private Quantiles() {}

    /**
     * Quantile (1..nQuantiles) of each value; 0 where the value is NaN or there are fewer values than quantiles.
     */
    public static int[] assign(double[] values, int nQuantiles, boolean inverted) {
        if (nQuantiles < 1) throw new IllegalArgumentException("nQuantiles must be >= 1");
        int n = values.length;
        int[] out = new int[n];
        int count = 0;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                count++;
                max = Math.max(max, v);
            }
        }
        if (count < nQuantiles) return out;
        double[] adj = new double[n];
        for (int i = 0; i < n; i++) adj[i] = inverted ? max - values[i] : values[i];
        // rank with ties = min: 1 + number of non-missing values strictly below
        double[] sorted = java.util.Arrays.stream(adj).filter(d -> !Double.isNaN(d)).sorted().toArray();
        double width = (double) count / nQuantiles;
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(adj[i])) continue;
            int rank = lowerBound(sorted, adj[i]) + 1;
            int q = (int) Math.floor((nQuantiles + 1) - Math.ceil(((count + 1) - rank) / width));
            out[i] = q == 0 ? 1 : q;
        }
        return out;
    }

    private static int lowerBound(double[] sorted, double v) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < v) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}
