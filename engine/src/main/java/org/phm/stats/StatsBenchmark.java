package org.phm.stats;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Throughput benchmark for the statistics: for N area × indicator × breakdown groups (default 100,000) it computes
 * a Wilson proportion, a crude rate (exact/Byar's), an ESP2013 DSR (19 bands), an indirectly standardised ratio,
 * a mean from aggregates, and the benchmark comparison and judgement; then SIIs (quintiles, 1,000 simulations
 * each) for one group in 20. Inputs are synthetic and seeded. Run:
 * {@code java -cp <engine classes + commons-math3> org.phm.stats.StatsBenchmark [groups]}.
 */
public final class StatsBenchmark {
    private StatsBenchmark() {}

    public static void main(String[] args) {
        int groups = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Inputs in = Inputs.generate(groups, 20261125L);
        run(in, groups / 10); // warm-up (JIT)
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        long c0 = cpu.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        double checksum = run(in, groups);
        long t1 = System.nanoTime();
        long c1 = cpu.getCurrentThreadCpuTime();
        int siiCount = groups / 20;
        double siiChecksum = runSii(in, siiCount);
        long t2 = System.nanoTime();
        long c2 = cpu.getCurrentThreadCpuTime();
        double core = (t1 - t0) / 1e9;
        double sii = (t2 - t1) / 1e9;
        // CPU time of this thread is the fair single-core figure on a shared machine
        System.out.printf(Locale.ROOT, "groups=%d core statistics: %.3f s wall, %.3f s CPU, %.0f groups/s per core (checksum %.6g)%n",
                groups, core, (c1 - c0) / 1e9, groups / ((c1 - c0) / 1e9), checksum);
        System.out.printf(Locale.ROOT, "SII (5 quintiles, 1,000 simulations) for %d groups: %.3f s wall, %.3f s CPU, %.0f SII/s per core (checksum %.6g)%n",
                siiCount, sii, (c2 - c1) / 1e9, siiCount / ((c2 - c1) / 1e9), siiChecksum);
    }

    private static double run(Inputs in, int groups) {
        double[] esp = DirectStandardisation.esp2013();
        double sum = 0;
        for (int g = 0; g < groups; g++) {
            Estimate p = Proportions.wilson(in.numerator[g], in.denominator[g], 100);
            Estimate r = Rates.crude(in.numerator[g], in.denominator[g], 100_000);
            Estimate d = DirectStandardisation.dsr(in.bandCounts[g], in.bandPops[g], esp, 100_000);
            Estimate i = IndirectStandardisation.ratio(in.numerator[g], in.expected[g], 100);
            Estimate m = Means.mean(in.n[g], in.sum[g], in.sumSq[g]);
            Significance s = Comparison.compare(p.lower95(), p.upper95(), 50);
            String j = Comparison.judgement(s, Polarity.HIGHER_IS_BETTER);
            sum += finite(p.upper95()) + finite(r.lower998()) + finite(d.upper95()) + finite(i.value())
                    + finite(m.lower95()) + j.length();
        }
        return sum;
    }

    private static double runSii(Inputs in, int count) {
        double sum = 0;
        double[] pops = new double[5];
        double[] vals = new double[5];
        double[] lo = new double[5];
        double[] hi = new double[5];
        for (int g = 0; g < count; g++) {
            for (int q = 0; q < 5; q++) {
                int k = (g * 5 + q) % in.numerator.length;
                Estimate e = Proportions.wilson(in.numerator[k], in.denominator[k], 1);
                pops[q] = in.denominator[k];
                vals[q] = e.value();
                lo[q] = e.lower95();
                hi[q] = e.upper95();
            }
            SiiResult r = Inequality.sii(pops, vals, lo, hi, Inequality.ValueType.NORMAL, 1_000, g);
            sum += finite(r.siiUpper95());
        }
        return sum;
    }

    private static double finite(double v) {
        return Double.isFinite(v) ? v : 0;
    }

    /** Synthetic group inputs (practice/PCN-sized). */
    private record Inputs(double[] numerator, double[] denominator, double[] expected, long[] n, double[] sum,
                          double[] sumSq, double[][] bandCounts, double[][] bandPops) {
        static Inputs generate(int groups, long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            double[] num = new double[groups];
            double[] den = new double[groups];
            double[] exp = new double[groups];
            long[] n = new long[groups];
            double[] s = new double[groups];
            double[] ss = new double[groups];
            double[][] bc = new double[groups][19];
            double[][] bp = new double[groups][19];
            for (int g = 0; g < groups; g++) {
                den[g] = 200 + r.nextInt(20_000);
                num[g] = r.nextDouble() < 0.1 ? r.nextInt(10) : Math.floor(den[g] * r.nextDouble() * 0.6);
                exp[g] = Math.max(1, num[g] * (0.7 + 0.6 * r.nextDouble()));
                n[g] = 1 + r.nextInt(500);
                double mean = 50 + 30 * r.nextDouble();
                s[g] = mean * n[g];
                ss[g] = n[g] * (mean * mean + 100);
                for (int b = 0; b < 19; b++) {
                    bp[g][b] = 50 + r.nextInt(1500);
                    bc[g][b] = r.nextInt(1 + b * 3);
                }
            }
            return new Inputs(num, den, exp, n, s, ss, bc, bp);
        }
    }
}
